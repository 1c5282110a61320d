"""Issuing certificate batches and their PDFs.

Issuing a batch reserves each level's number range with one locked counter update, builds the rows in Python and
inserts them with one COPY on PostgreSQL (bulk_create elsewhere); the PDFs are rendered afterwards by the named
pipeline certificates.tasks.issuance.issuance_pipeline (render → notify), started on commit. The QR payload is
signed at render time, with the province's key in force then.
"""

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Filing, FilingStatus
from portal.audit import record_event
from portal.copy import copy_field
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify

from .. import numbering, selectors, signing
from ..errors import Codes
from ..models import ExamPlan
from ..models.issuance import NO_WORK_TYPE, BatchKind, Certificate, CertificateStatus, IssuanceBatch, SigningKey
from ._common import _members, _require_member
from .signing_keys import active_signing_key

ISSUE_ROW_FIELDS = (
    "pk", "name", "id_type", "id_number", "level", "plan__occupation_id", "plan__occupation__code",
    "plan__occupation__name", "plan__work_type__name", "photo__image",
)

CERTIFICATE_COPY_COLUMNS = (
    "province_id", "filing_id", "institution_id", "batch_id", "organization_name", "issued_on", "created_at",
    "status", "revocation_reason_code", "revocation_reason", "payload", "pdf",
    "candidate_id", "number", "holder_name", "id_type", "id_number", "occupation_id", "occupation_code",
    "occupation_name", "work_type_name", "level", "photo",
)


def copy_certificates(rows: Iterable[tuple[Any, ...]], constants: tuple[Any, ...]) -> int:
    """Insert certificate rows with one COPY (PostgreSQL). `constants` are the batch's values of the first 12
    CERTIFICATE_COPY_COLUMNS, each row the remaining 11."""
    head = "\t".join(copy_field(v) for v in constants) + "\t"
    buffer = io.StringIO()
    write = buffer.write
    count = 0
    for row in rows:
        write(head)
        write("\t".join([copy_field(v) for v in row]))
        write("\n")
        count += 1
    buffer.seek(0)
    table = connection.ops.quote_name(Certificate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in CERTIFICATE_COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)  # type: ignore[attr-defined]  # psycopg2's cursor under Django's wrapper
    return count


def _insert_certificates(rows: list[tuple[Any, ...]], constants: tuple[Any, ...]) -> None:
    if connection.vendor == "postgresql":
        copy_certificates(rows, constants)
        return
    # the COPY columns are the model's attribute names (province_id, ...), so the same tuples build instances
    Certificate.objects.bulk_create(
        [Certificate(**dict(zip(CERTIFICATE_COPY_COLUMNS, (*constants, *row), strict=True))) for row in rows],
        batch_size=500,
    )


def _issuable_rows(filing: Filing, *, plan: ExamPlan | None, candidate_ids: Iterable[int] | None) -> list[tuple[Any, ...]]:
    qs = selectors.results_to_certify(filing)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if candidate_ids is not None:
        qs = qs.filter(pk__in=list(candidate_ids))
    return list(qs.order_by("level", "plan_id", "line").values_list(*ISSUE_ROW_FIELDS))


def _numbered_rows(filing: Filing, rows: list[tuple[Any, ...]],
                   year: int) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    """The certificate rows with their numbers (one reserved range per level) and the ranges, for the batch."""
    by_level: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_level[row[4]].append(row)
    cert_rows: list[tuple[Any, ...]] = []
    ranges = []
    for level in sorted(by_level):
        level_rows = by_level[level]
        first = numbering.reserve(filing, year, level, len(level_rows))
        prefix = numbering.prefix(filing, year, level)
        for offset, (candidate_id, name, id_type, id_number, _lvl, occupation_id, code, occupation_name,
                     work_type, photo) in enumerate(level_rows):
            cert_rows.append((
                candidate_id, f"{prefix}{first + offset:06d}", name, id_type, id_number, occupation_id, code,
                occupation_name, work_type or NO_WORK_TYPE, level, photo or "",
            ))
        ranges.append({"level": level, "count": len(level_rows),
                       "first": numbering.format_number(prefix, first),
                       "last": numbering.format_number(prefix, first + len(level_rows) - 1)})
    return cert_rows, ranges


def issue_certificates(
    filing: Filing, *, acting_user: User, plan: ExamPlan | None = None, candidate_ids: Iterable[int] | None = None,
) -> IssuanceBatch:
    """The organization issues certificates for its approved results (all, one plan's, or the given candidates).

    Numbers per SPEC §5 (certificates.numbering); the filing row is locked first, so two batches of one organization
    at the same moment run one after the other and the second sees what the first issued. The PDFs are rendered
    after commit by the issuance pipeline (render → notify).
    """
    _require_member(acting_user, filing.institution)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        locked = (Filing.objects.select_for_update(of=("self",))
                  .select_related("province", "institution", "city", "application").get(pk=filing.pk))
        if locked.status != FilingStatus.ACTIVE:
            raise DomainError(_("备案状态为“%(status)s”，不能颁发证书。") % {"status": locked.get_status_display()},
                              code=Codes.NOT_ACTIVE)
        rows = _issuable_rows(locked, plan=plan, candidate_ids=candidate_ids)
        if not rows:
            raise DomainError(_("没有可发证的合格人员：结果须经公示、地市和省级审核通过，且尚未发证。"),
                              code=Codes.NOTHING_TO_ISSUE)
        batch = IssuanceBatch.objects.create(
            province=locked.province, filing=locked, institution=locked.institution, plan=plan, kind=BatchKind.ISSUE,
            issued_on=today, total=len(rows), created_by=acting_user,
        )
        cert_rows, ranges = _numbered_rows(locked, rows, today.year)
        constants = (locked.province_id, locked.pk, locked.institution_id, batch.pk, locked.institution.name, today,
                     now, CertificateStatus.VALID, "", "", "", "")
        try:
            with transaction.atomic():
                _insert_certificates(cert_rows, constants)
        except IntegrityError as exc:
            raise ConflictError(_("部分人员已在另一批次中发证，请刷新后重试。"), code=Codes.ALREADY_ISSUED) from exc
        batch.number_ranges = ranges
        batch.save(update_fields=["number_ranges"])
        active_signing_key(locked.province)
        record_event(
            actor=acting_user, action="certificates_issued", obj=batch, province=locked.province, to_state="issued",
            changes={"count": {"before": None, "after": len(cert_rows)},
                     "number_ranges": {"before": None, "after": ranges},
                     "plan": {"before": None, "after": plan.pk if plan else None}},
        )
        start_pipeline_on_commit(batch.pk)
    return batch


def start_pipeline_on_commit(batch_id: int) -> None:
    from ..tasks.issuance import issuance_pipeline

    transaction.on_commit(lambda: issuance_pipeline(batch_id).apply_async())


def sign_certificate(certificate: Certificate, key: SigningKey, sign: Callable[[signing.Payload], str]) -> None:
    from ..pdf import payload_for

    certificate.payload = sign(payload_for(certificate, key.key_id))
    certificate.signing_key = key


def render_certificate(certificate_id: int, *, key: SigningKey | None = None,
                       sign: Callable[[signing.Payload], str] | None = None) -> bool:
    """Sign (once) and render one certificate's PDF and keep it. Idempotent: a stored PDF is never re-rendered."""
    from ..pdf import render_certificate_pdf

    certificate = Certificate.objects.select_related("province").get(pk=certificate_id)
    if certificate.pdf:
        return False
    if not certificate.payload:
        key = key or active_signing_key(certificate.province)
        sign = sign or signing.signer(signing.decrypt_private_key(key.private_key_encrypted))
        sign_certificate(certificate, key, sign)
    content = render_certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf:
            return False
        if not locked.payload:
            locked.payload, locked.signing_key = certificate.payload, certificate.signing_key
        _drop_orphan_file(locked)
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["payload", "signing_key", "pdf", "pdf_rendered_at"])
        IssuanceBatch.objects.filter(pk=locked.batch_id).update(rendered=F("rendered") + 1)
    return True


def _drop_orphan_file(certificate: Certificate) -> None:
    """A render killed between writing the file and committing its row left the file without a row pointing at it:
    remove it (the caller holds the row lock and the row has no PDF), so the file keeps its number's name instead of
    a suffixed one beside the orphan."""
    name = certificate.pdf.field.generate_filename(certificate, f"{certificate.number}.pdf")
    if certificate.pdf.storage.exists(name):
        certificate.pdf.storage.delete(name)


def pending_certificates(batch_id: int) -> list[int]:
    """The ids of the batch's certificates whose PDF is not stored yet, in number order."""
    return list(Certificate.objects.filter(batch_id=batch_id, pdf="").order_by("number").values_list("pk", flat=True))


def render_batch(batch_id: int, certificate_ids: list[int] | None = None) -> int:
    """Render the PDFs of the batch that are not rendered yet (all of them, then the batch is marked rendered; or
    those of `certificate_ids`: one part of the batch, so that several workers share it, and the caller finishes the
    batch); returns how many were rendered now.

    idempotency: a certificate with a stored PDF is skipped, so a retried or repeated run finishes what is left.
    """
    batch = IssuanceBatch.objects.select_related("province").get(pk=batch_id)
    key = active_signing_key(batch.province)
    sign = signing.signer(signing.decrypt_private_key(key.private_key_encrypted))
    pending = pending_certificates(batch_id) if certificate_ids is None else certificate_ids
    rendered = sum(render_certificate(pk, key=key, sign=sign) for pk in pending)
    if certificate_ids is None:
        finish_batch(batch_id)  # the whole batch was asked for: mark it rendered when it is
    return rendered


def finish_batch(batch_id: int) -> bool:
    """Count the batch's stored PDFs; when every one is there, mark the batch rendered (once). Returns whether this
    call did: the caller that completes a batch is the one that tells the organization."""
    with transaction.atomic():
        locked = IssuanceBatch.objects.select_for_update().select_related("province").get(pk=batch_id)
        done = locked.certificates.exclude(pdf="").count()
        locked.rendered = done
        completed = done >= locked.total and locked.rendered_at is None
        if completed:
            locked.rendered_at = timezone.now()
            key = active_signing_key(locked.province)
            record_event(actor=None, action="certificate_pdfs_rendered", obj=locked, province=locked.province,
                         changes={"rendered": {"before": None, "after": done}, "key_id": {"before": None,
                                                                                          "after": key.key_id}})
        locked.save(update_fields=["rendered", "rendered_at"])
    return completed


def notify_batch(batch_id: int) -> bool:
    """Tell the organization its certificates are ready. Idempotent: a batch is announced once."""
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().select_related("province", "filing").get(pk=batch_id)
        if batch.notified_at is not None or batch.rendered_at is None:
            return False
        batch.notified_at = timezone.now()
        batch.save(update_fields=["notified_at"])
        record_event(actor=None, action="certificates_notified", obj=batch, province=batch.province,
                     changes={"notified_at": {"before": None, "after": batch.notified_at}})
        notify(
            _members(batch.filing.institution),
            title=_("证书已生成：%(count)d张") % {"count": batch.total},
            body=_("%(date)s颁发的%(count)d张职业技能等级证书PDF已生成，可在发证批次页面下载。")
            % {"date": batch.issued_on.isoformat(), "count": batch.total},
            link=reverse("certificates:batch_detail",
                         kwargs={"province": batch.province.slug, "pk": batch.pk}),
            province=batch.province,
            email=False,
        )
    return True
