"""Renewal (续期): the window to the day, the counts from real certificates on both sides of every threshold, the
review (return, correct, approve, refuse) and what the filing becomes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import Certificate
from filings.models import Filing, FilingOccupation
from portal.errors import DomainError, InvalidTransition, NotPermitted
from portal.models import AuditEvent
from supervision import selectors, services
from supervision.models import Renewal, RenewalState
from tests.factories import at, certify, pdf_bytes, provincial_officer, renewing_filing, the_member

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2026, 6, 30)  # a filing of 2023-07-01 is valid to 2026-06-30
OPENS = dt.date(2026, 4, 1)  # 90 days before


def _lines(filing: Filing) -> list[FilingOccupation]:
    return list(filing.occupations.order_by("pk"))


def _upload_all(renewal: Renewal) -> None:
    member = the_member(renewal.filing)
    for key in ("renewal_form", "work_report", "conditions_evidence", "pay_link_evidence"):
        if key == "pay_link_evidence" and renewal.institution.category != "employer":
            continue
        services.upload_renewal_document(renewal, acting_user=member, checklist_key=key,
                                         upload=SimpleUploadedFile(f"{key}.pdf", pdf_bytes(), "application/pdf"))


def _ready(filing: Filing, *, today: dt.date = OPENS) -> Renewal:
    """A started renewal with every declaration made and every material uploaded."""
    member = the_member(filing)
    with at(today):
        renewal = services.start_renewal(filing, acting_user=member, today=today)
        facts = {"in_good_standing": True, "core_conditions_still_met": True, "certificates_linked_to_pay": True}
        services.update_renewal(renewal, acting_user=member, facts=facts, occupations=renewal.occupations)
        _upload_all(renewal)
    renewal.refresh_from_db()
    return renewal


# --- the window, to the day ---


def test_the_window_opens_90_days_before_the_last_valid_day() -> None:
    filing = renewing_filing()
    assert filing.valid_until == LAST_DAY

    assert not selectors.renewal_window(filing, today=OPENS - dt.timedelta(days=1)).is_open
    assert selectors.renewal_window(filing, today=OPENS).is_open
    assert selectors.renewal_window(filing, today=LAST_DAY).is_open
    assert selectors.renewal_window(filing, today=LAST_DAY).days_left == 0
    assert not selectors.renewal_window(filing, today=LAST_DAY + dt.timedelta(days=1)).is_open


def test_starting_the_day_before_the_window_is_refused_with_its_dates() -> None:
    filing = renewing_filing()
    with pytest.raises(DomainError) as refused:
        services.start_renewal(filing, acting_user=the_member(filing), today=dt.date(2026, 3, 31))

    assert refused.value.code == "renewal_not_open"
    assert "2026-04-01至2026-06-30" in refused.value.message


def test_starting_on_the_last_valid_day_works_and_the_day_after_is_refused() -> None:
    late = renewing_filing()
    with pytest.raises(DomainError):
        services.start_renewal(late, acting_user=the_member(late), today=dt.date(2026, 7, 1))

    on_time = renewing_filing()
    renewal = services.start_renewal(on_time, acting_user=the_member(on_time), today=LAST_DAY)
    assert renewal.state == RenewalState.DRAFT
    assert (renewal.period_start, renewal.period_end) == (dt.date(2023, 7, 1), LAST_DAY)
    assert sorted(renewal.occupations) == [line.pk for line in _lines(on_time)]


def test_only_the_organizations_members_may_start() -> None:
    filing = renewing_filing()
    with pytest.raises(NotPermitted):
        services.start_renewal(filing, acting_user=the_member(renewing_filing()), today=OPENS)


def test_one_renewal_per_validity_period() -> None:
    filing = renewing_filing()
    services.start_renewal(filing, acting_user=the_member(filing), today=OPENS)
    with pytest.raises(DomainError) as again:
        services.start_renewal(filing, acting_user=the_member(filing), today=OPENS)
    assert again.value.code == "renewal_exists"


# --- the counts, from real certificates ---


def test_certificates_are_counted_from_the_first_valid_day_and_not_before() -> None:
    filing = renewing_filing(category="employer", occupations=1)
    line = _lines(filing)[0]
    certify(filing, line.occupation, 2, on=dt.date(2023, 6, 30))
    certify(filing, line.occupation, 3, on=dt.date(2023, 7, 1))
    certify(filing, line.occupation, 4, on=LAST_DAY - dt.timedelta(days=100))

    renewal = _ready(filing)
    check = selectors.renewal_check(renewal)

    assert check.total == 7
    assert [(o.line.pk, o.count) for o in check.occupations] == [(line.pk, 7)]
    assert selectors.counted_certificates(renewal).count() == 7


def test_revoked_certificates_do_not_count() -> None:
    filing = renewing_filing(category="employer", occupations=1)
    line = _lines(filing)[0]
    certify(filing, line.occupation, 3, on=dt.date(2024, 1, 10))
    Certificate.objects.filter(pk=Certificate.objects.filter(filing=filing).first().pk).update(status="revoked")

    assert selectors.renewal_check(_ready(filing)).total == 2


@pytest.mark.parametrize(("category", "threshold"), [("employer", 150), ("school", 300)])
def test_the_total_threshold_from_both_sides(category: str, threshold: int) -> None:
    filing = renewing_filing(category=category, occupations=1)
    line = _lines(filing)[0]
    certify(filing, line.occupation, threshold - 1, on=dt.date(2024, 5, 6))
    renewal = _ready(filing)

    with at(OPENS), pytest.raises(DomainError) as refused:
        services.submit_renewal(renewal, acting_user=the_member(filing), today=OPENS)
    assert refused.value.code == "renewal_blocked"
    assert f"{threshold - 1}人次" in refused.value.message

    certify(filing, line.occupation, 1, on=dt.date(2025, 5, 6))
    with at(OPENS):
        submitted = services.submit_renewal(renewal, acting_user=the_member(filing), today=OPENS)
    assert submitted.state == RenewalState.SUBMITTED
    assert submitted.counts["total"] == threshold
    rule = next(r for r in submitted.precheck if r["rule"] == "gz.renewal.certificates_total")
    assert rule["verdict"] == "pass"


def test_a_social_organization_needs_600_in_total() -> None:
    filing = renewing_filing(occupations=2)
    first, second = _lines(filing)
    certify(filing, first.occupation, 399, on=dt.date(2024, 5, 6))
    certify(filing, second.occupation, 200, on=dt.date(2024, 5, 7))
    renewal = _ready(filing)

    check = selectors.renewal_check(renewal)
    assert check.total == 599
    assert [r.rule_id for r in check.blocking] == ["gz.renewal.certificates_total"]
    assert not check.can_submit

    certify(filing, first.occupation, 1, on=dt.date(2026, 4, 1))
    check = selectors.renewal_check(renewal)
    assert check.total == 600
    assert check.blocking == []
    assert check.renewed_ids == [first.pk, second.pk]


def test_an_occupation_under_100_drops_out_while_the_others_renew() -> None:
    filing = renewing_filing(occupations=3)
    big, hundred, short = _lines(filing)
    certify(filing, big.occupation, 401, on=dt.date(2024, 5, 6))
    certify(filing, hundred.occupation, 100, on=dt.date(2024, 5, 7))
    certify(filing, short.occupation, 99, on=dt.date(2024, 5, 8))
    renewal = _ready(filing)

    check = selectors.renewal_check(renewal)
    assert check.total == 600
    assert check.renewed_ids == [big.pk, hundred.pk]
    assert [o.line.pk for o in check.dropped] == [short.pk]
    per_occupation = next(r for r in check.results if r.rule_id == "gz.renewal.certificates_per_occupation")
    assert per_occupation.verdict == "fail" and "99人次" in per_occupation.reason
    assert check.can_submit

    officer = provincial_officer("gz")
    with at(OPENS):
        services.submit_renewal(renewal, acting_user=the_member(filing), today=OPENS)
        approved = services.approve_renewal(renewal, acting_user=officer)

    filing.refresh_from_db()
    assert approved.new_valid_until == dt.date(2029, 6, 30)
    assert filing.valid_until == dt.date(2029, 6, 30)
    assert approved.letter_number == "黔技评续〔2026〕1号"
    valid = dict(filing.occupations.values_list("pk", "valid_until"))
    assert valid == {big.pk: dt.date(2029, 6, 30), hundred.pk: dt.date(2029, 6, 30), short.pk: LAST_DAY}


def test_no_occupation_reaching_100_blocks_the_renewal() -> None:
    filing = renewing_filing(occupations=1)
    certify(filing, _lines(filing)[0].occupation, 99, on=dt.date(2024, 5, 6))
    check = selectors.renewal_check(_ready(filing))

    assert check.renewed_ids == []
    assert not check.can_submit


# --- the review ---


def _submitted_employer() -> Renewal:
    filing = renewing_filing(category="employer", occupations=1)
    certify(filing, _lines(filing)[0].occupation, 150, on=dt.date(2024, 5, 6))
    renewal = _ready(filing)
    with at(OPENS):
        return services.submit_renewal(renewal, acting_user=the_member(filing), today=OPENS)


def test_returned_corrected_and_approved_with_one_audit_event_per_transition() -> None:
    renewal = _submitted_employer()
    officer = provincial_officer("gz")
    member = the_member(renewal.filing)

    assert selectors.renewal_pending(renewal.filing)
    services.return_renewal(renewal, acting_user=officer, reason="工作报告缺少获证人员明细。")
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.RETURNED
    assert selectors.renewal_pending(renewal.filing)

    after_expiry = LAST_DAY + dt.timedelta(days=3)  # a corrected renewal may come after expiry: it is under review
    services.upload_renewal_document(renewal, acting_user=member, checklist_key="work_report",
                                     upload=SimpleUploadedFile("r.pdf", pdf_bytes("v2"), "application/pdf"))
    services.submit_renewal(renewal, acting_user=member, today=after_expiry)
    approved = services.approve_renewal(renewal, acting_user=officer)

    assert approved.state == RenewalState.APPROVED
    assert not selectors.renewal_pending(renewal.filing)
    actions = list(AuditEvent.objects.filter(object_id=str(renewal.pk), action__in=[
        "renewal_submitted", "renewal_returned", "renewal_approved"]).order_by("id").values_list("action", "to_state"))
    assert actions == [("renewal_submitted", "submitted"), ("renewal_returned", "returned"),
                       ("renewal_submitted", "submitted"), ("renewal_approved", "approved")]
    assert AuditEvent.objects.filter(action="filing_renewed", object_id=str(renewal.filing.pk)).count() == 1


def test_a_draft_cannot_be_submitted_after_the_last_valid_day() -> None:
    filing = renewing_filing(category="employer", occupations=1)
    certify(filing, _lines(filing)[0].occupation, 150, on=dt.date(2024, 5, 6))
    renewal = _ready(filing)
    with pytest.raises(DomainError) as late:
        services.submit_renewal(renewal, acting_user=the_member(filing), today=dt.date(2026, 7, 1))
    assert late.value.code == "renewal_not_open"
    services.submit_renewal(renewal, acting_user=the_member(filing), today=LAST_DAY)


def test_refused_with_reasons_and_the_exit_sweep_can_read_it() -> None:
    renewal = _submitted_employer()
    officer = provincial_officer("gz")

    with pytest.raises(DomainError) as no_reason:
        services.refuse_renewal(renewal, acting_user=officer, reason="  ")
    assert no_reason.value.code == "reason_required"

    services.refuse_renewal(renewal, acting_user=officer, reason="证书与待遇挂钩佐证不实。")
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.REFUSED
    assert renewal.decision_reason == "证书与待遇挂钩佐证不实。"
    assert selectors.renewal_refused(renewal.filing)
    assert not selectors.renewal_pending(renewal.filing)
    assert selectors.renewal_state(renewal.filing) == "refused"
    with pytest.raises(InvalidTransition):
        services.approve_renewal(renewal, acting_user=officer)


def test_an_organization_cannot_review_its_own_renewal() -> None:
    renewal = _submitted_employer()
    with pytest.raises(NotPermitted):
        services.approve_renewal(renewal, acting_user=the_member(renewal.filing))


def test_a_submitted_renewal_cannot_be_edited() -> None:
    renewal = _submitted_employer()
    with pytest.raises(InvalidTransition):
        services.update_renewal(renewal, acting_user=the_member(renewal.filing), facts={}, occupations=renewal.occupations)


def test_the_renewal_letter_is_rendered_once_with_the_renewed_scope() -> None:
    renewal = _submitted_employer()
    services.approve_renewal(renewal, acting_user=provincial_officer("gz"))

    assert services.render_renewal_letter(renewal.pk) is True
    assert services.render_renewal_letter(renewal.pk) is False
    renewal.refresh_from_db()
    assert renewal.letter_pdf.read().startswith(b"%PDF")


def test_guangdong_renews_with_its_documented_default() -> None:
    filing = renewing_filing("gd", category="other", occupations=1)
    member = the_member(filing)
    renewal = services.start_renewal(filing, acting_user=member, today=OPENS)
    services.update_renewal(renewal, acting_user=member, facts={"renewal_good_standing": True},
                            occupations=renewal.occupations)
    for key in ("renewal_form", "work_report"):
        services.upload_renewal_document(renewal, acting_user=member, checklist_key=key,
                                         upload=SimpleUploadedFile("f.pdf", pdf_bytes(), "application/pdf"))
    assert selectors.renewal_check(renewal).blocking[0].rule_id == "gd.renewal.certificates_total"

    certify(filing, _lines(filing)[0].occupation, 1, on=dt.date(2025, 1, 6))
    submitted = services.submit_renewal(renewal, acting_user=member, today=OPENS)
    assert submitted.counts["total"] == 1
