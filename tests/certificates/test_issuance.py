"""Issuing a batch: exact numbers and printed fields, one audit event, refusals, and the pipeline started on commit
(render the PDFs, then notify), each step idempotent."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from certificates import services
from certificates.models import (
    Certificate,
    CertificateStatus,
    IssuanceBatch,
    PlanState,
    RosterPhoto,
)
from filings.models import FilingStatus
from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent, Notification
from tests.factories import (
    CandidateFactory,
    ExamPlanFactory,
    FilingFactory,
    UserFactory,
    approved_plan,
    member_of,
    the_member,
)

pytestmark = pytest.mark.django_db
YY = timezone.localdate().strftime("%y")


def test_a_batch_gets_consecutive_numbers_and_the_printed_fields() -> None:
    # given a Guangdong organization (filed with the province, sequence 000123) and 3 passed welders at level 3
    filing = FilingFactory(province="gd", organization_sequence="000123")
    plan = approved_plan(filing, candidates=3, level=3)
    first = plan.candidates.order_by("line")[0]

    # when its member issues them
    batch = services.issue_certificates(filing, acting_user=the_member(filing), plan=plan)

    # then three certificates, numbered 1..3 of 2026 level 3, with the fields of SPEC §5
    numbers = list(Certificate.objects.filter(batch=batch).order_by("number").values_list("number", flat=True))
    assert numbers == [f"S000044000123{YY}300000{n}" for n in (1, 2, 3)]
    certificate = Certificate.objects.get(candidate=first)
    assert (certificate.holder_name, certificate.id_number, certificate.id_type) == (
        first.name, first.id_number, "resident_id")
    assert (certificate.occupation_code, certificate.occupation_name, certificate.work_type_name) == (
        "6-18-02-04", "焊工", "--")
    assert certificate.level_label == "三级/高级工"
    assert certificate.organization_name == filing.institution.name
    assert certificate.issued_on == timezone.localdate()
    assert certificate.status == CertificateStatus.VALID
    assert batch.total == 3
    assert batch.number_ranges == [{"level": 3, "count": 3, "first": numbers[0], "last": numbers[-1]}]
    event = AuditEvent.objects.get(action="certificates_issued")
    assert event.object_id == str(batch.pk)
    assert event.changes["count"] == {"before": None, "after": 3}


def test_each_level_has_its_own_range_and_the_next_batch_continues() -> None:
    filing = FilingFactory(province="gd", organization_sequence="000007")
    approved_plan(filing, candidates=2, level=4)
    approved_plan(filing, candidates=1, level=3)
    member = the_member(filing)

    first = services.issue_certificates(filing, acting_user=member)
    later_plan = approved_plan(filing, candidates=2, level=4)
    second = services.issue_certificates(filing, acting_user=member, plan=later_plan)

    assert [(r["level"], r["first"], r["last"]) for r in first.number_ranges] == [
        (3, f"S000044000007{YY}3000001", f"S000044000007{YY}3000001"),
        (4, f"S000044000007{YY}4000001", f"S000044000007{YY}4000002"),
    ]
    assert second.number_ranges[0]["first"] == f"S000044000007{YY}4000003"


def test_a_result_is_certified_once() -> None:
    filing = FilingFactory()
    approved_plan(filing, candidates=2)
    services.issue_certificates(filing, acting_user=the_member(filing))

    with pytest.raises(DomainError) as refused:
        services.issue_certificates(filing, acting_user=the_member(filing))

    assert refused.value.code == "nothing_to_issue"
    assert Certificate.objects.count() == 2


def test_results_not_approved_or_not_passed_are_not_issued() -> None:
    filing = FilingFactory()
    plan = approved_plan(filing, candidates=1)
    CandidateFactory(plan=plan, passed=False)
    in_review = ExamPlanFactory(filing=filing, state=PlanState.PROVINCE_REVIEW)
    CandidateFactory(plan=in_review)

    batch = services.issue_certificates(filing, acting_user=the_member(filing))

    assert batch.total == 1


def test_only_the_organizations_members_issue() -> None:
    filing = FilingFactory()
    approved_plan(filing, candidates=1)
    other = member_of(FilingFactory().institution)

    with pytest.raises(NotPermitted):
        services.issue_certificates(filing, acting_user=other)
    with pytest.raises(NotPermitted):
        services.issue_certificates(filing, acting_user=UserFactory())


def test_a_suspended_filing_issues_nothing() -> None:
    filing = FilingFactory(status=FilingStatus.SUSPENDED)
    approved_plan(filing, candidates=1)

    with pytest.raises(DomainError) as refused:
        services.issue_certificates(filing, acting_user=the_member(filing))

    assert refused.value.code == "filing_not_active"
    assert not IssuanceBatch.objects.exists()


def test_the_pipeline_renders_each_pdf_once_then_notifies(
        django_capture_on_commit_callbacks: Callable[..., object]) -> None:
    # given a batch of two, issued with the pipeline run on commit (Celery eager in tests)
    filing = FilingFactory()
    approved_plan(filing, candidates=2)
    member = the_member(filing)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[attr-defined]
        batch = services.issue_certificates(filing, acting_user=member)

    # then both PDFs are stored with a signed payload, the batch is complete and the organization told once
    batch.refresh_from_db()
    assert len(callbacks) >= 1
    assert (batch.rendered, batch.rendered_at is not None, batch.notified_at is not None) == (2, True, True)
    for certificate in Certificate.objects.filter(batch=batch):
        assert certificate.pdf.name.endswith(f"{certificate.number}.pdf")
        assert certificate.payload.count(".") == 1
        assert certificate.signing_key is not None
    assert Notification.objects.filter(recipient=member, title="证书已生成：2张").count() == 1
    # and running the steps again changes nothing
    pdf_names = set(Certificate.objects.values_list("pdf", flat=True))
    assert services.render_batch(batch.pk) == 0
    assert services.notify_batch(batch.pk) is False
    assert set(Certificate.objects.values_list("pdf", flat=True)) == pdf_names


def test_a_batch_larger_than_a_part_is_rendered_in_parts_and_announced_once(
        django_capture_on_commit_callbacks: Callable[..., object]) -> None:
    # given a batch of more than two parts (each part a task a worker process takes on its own)
    from certificates.tasks.issuance import PART_SIZE

    filing = FilingFactory()
    approved_plan(filing, candidates=2 * PART_SIZE + 3)
    member = the_member(filing)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        batch = services.issue_certificates(filing, acting_user=member)

    # then every PDF is stored, the batch marked rendered once and the organization told once
    batch.refresh_from_db()
    assert (batch.rendered, batch.total, batch.rendered_at is not None) == (2 * PART_SIZE + 3,) * 2 + (True,)
    assert not Certificate.objects.filter(batch=batch, pdf="").exists()
    assert AuditEvent.objects.filter(action="certificate_pdfs_rendered", object_id=str(batch.pk)).count() == 1
    assert Notification.objects.filter(recipient=member, title__startswith="证书已生成").count() == 1
    # and a part delivered twice renders nothing and announces nothing again
    from certificates.tasks.issuance import render_certificate_pdfs

    again = list(Certificate.objects.filter(batch=batch).values_list("pk", flat=True)[:PART_SIZE])
    assert render_certificate_pdfs.apply(args=(batch.pk, again)).get() == 0
    assert Notification.objects.filter(recipient=member, title__startswith="证书已生成").count() == 1


def test_a_render_killed_before_its_commit_leaves_no_second_file() -> None:
    # given a certificate whose render was killed after writing its file and before committing its row
    filing = FilingFactory()
    approved_plan(filing, candidates=1)
    batch = services.issue_certificates(filing, acting_user=the_member(filing))  # pipeline not run: no on-commit
    certificate = Certificate.objects.get(batch=batch)
    name = certificate.pdf.field.generate_filename(certificate, f"{certificate.number}.pdf")
    certificate.pdf.storage.save(name, io.BytesIO(b"%PDF-1.7 half-written"))
    assert certificate.pdf.storage.exists(name) and not certificate.pdf

    # when the batch is rendered again
    assert services.render_batch(batch.pk) == 1

    # then the PDF keeps its number's name (no suffixed copy beside the orphan) and holds the new render
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    folder = Path(certificate.pdf.storage.path(name)).parent
    assert [p.name for p in folder.glob(f"{certificate.number}*")] == [f"{certificate.number}.pdf"]
    assert certificate.pdf.open("rb").read() != b"%PDF-1.7 half-written"


def test_a_photo_uploaded_with_the_roster_is_printed(django_capture_on_commit_callbacks: Callable[..., object]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    filing = FilingFactory()
    plan = approved_plan(filing, candidates=1)
    candidate = plan.candidates.get()
    member = the_member(filing)
    services.attach_photo(candidate, acting_user=member,
                          upload=SimpleUploadedFile(f"{candidate.id_number}.png", portrait(), "image/png"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        batch = services.issue_certificates(filing, acting_user=member)

    # the photo is stored as a small JPEG and printed; the PDF stays under 200 KB
    certificate = Certificate.objects.get(batch=batch)
    stored = RosterPhoto.objects.get(candidate=candidate)
    assert certificate.photo.name == stored.image.name
    with Image.open(stored.image.open("rb")) as image:
        assert (image.format, image.size) == ("JPEG", (330, 440))
    assert certificate.pdf.size < 200 * 1024


def portrait() -> bytes:
    """A 1200 × 1600 PNG with soft shapes, about what a scanned ID photo is."""
    image = Image.new("RGB", (1200, 1600), (200, 215, 235))
    draw = ImageDraw.Draw(image)
    draw.ellipse((380, 300, 820, 860), fill=(225, 190, 170))
    draw.rectangle((250, 900, 950, 1600), fill=(40, 50, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_must_be_an_image() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    filing = FilingFactory()
    candidate = approved_plan(filing, candidates=1).candidates.get()

    with pytest.raises(DomainError):
        services.attach_photo(candidate, acting_user=the_member(filing),
                              upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 not a photo", "application/pdf"))
