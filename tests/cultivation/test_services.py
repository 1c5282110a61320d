"""Cultivation and filing services, driven directly: the earlier stages are not the point here."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings import selectors, services
from filings.models import (
    ApplicationState,
    Cultivation,
    CultivationState,
    FilingStatus,
    LetterKind,
    QuestionBankRound,
    ReviewDecision,
    TaskKind,
    TaskState,
)
from filings.services import cultivation as cultivation_services
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.models import AuditEvent, Occupation, Province
from tests import factories as f
from tests.factories import MembershipFactory, OccupationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _events(obj: object, action: str) -> int:
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action).count()  # type: ignore[attr-defined]


# --- starting a cultivation ---

@time_machine.travel(START, tick=False)
def test_guangdong_publicity_end_starts_a_180_day_cultivation_with_two_tasks_per_occupation() -> None:
    application = f.ApplicationFactory(publicity_ended=True, province="gd", occupations=2)

    cultivation = services.advance_after_publicity(application)

    application.refresh_from_db()
    assert application.state == ApplicationState.CULTIVATING
    assert cultivation.state == CultivationState.ACTIVE
    assert cultivation.started_on == dt.date(2026, 3, 2)
    assert cultivation.ends_on == dt.date(2026, 8, 28)  # day 180, inclusive: start + 179 days
    assert cultivation.days_left(dt.date(2026, 3, 2)) == 180
    assert cultivation.days_left(dt.date(2026, 8, 28)) == 1
    assert cultivation.days_left(dt.date(2026, 8, 29)) == 0
    assert cultivation.day_number(dt.date(2026, 8, 28)) == 180
    assert sorted(t.kind for o in cultivation.occupations.all() for t in o.tasks.all()) == sorted(
        [TaskKind.QUESTION_BANK, TaskKind.EXAM_TRAINING] * 2)
    assert _events(cultivation, "cultivation_started") == 1
    assert _events(application, "application_cultivation_started") == 1


def test_cultivation_starts_only_after_publicity_and_only_in_a_province_with_cultivation() -> None:
    in_publicity = f.ApplicationFactory(publicity_ended=True, province="gd", state=ApplicationState.IN_PUBLICITY)
    with pytest.raises(InvalidTransition):
        services.start_cultivation(in_publicity, acting_user=None)
    with pytest.raises(DomainError) as refused:
        services.start_cultivation(f.ApplicationFactory(publicity_ended=True, province="sd"), acting_user=None)
    assert refused.value.code == "no_cultivation_in_province"


def test_a_city_officer_cannot_start_a_cultivation() -> None:
    application = f.ApplicationFactory(publicity_ended=True, province="gd")
    with pytest.raises(NotPermitted):
        services.start_cultivation(application, acting_user=f.city_officer_of(application.institution))


def _submittable_guangdong_draft(**facts: object) -> tuple:
    """A Guangdong draft that passes submission: a welder occupation, every required material, the pledge."""
    application = f.ApplicationFactory(publicity_ended=True, province="gd", state=ApplicationState.DRAFT, route="", occupations=[
        (Occupation.objects.get(code="6-18-02-04"), [5, 4, 3])])
    user = f.the_member(application.institution)
    services.save_facts(application, acting_user=user, facts=dict(facts))
    pack = selectors.pack_for(application.province)
    for item in pack.checklist_for(application.category):
        if item.required:
            services.upload_evidence(application, acting_user=user, checklist_key=item.key, upload=f.pdf_upload())
    services.confirm_pledge(application, acting_user=user, signer="王强")
    application.refresh_from_db()
    assert services.submission_problems(application) == []
    return application, user


def test_a_chain_leader_unit_enters_cultivation_directly_at_submission() -> None:
    application, user = _submittable_guangdong_draft(is_chain_leader=True)

    submitted = services.submit_application(application, acting_user=user)

    assert submitted.state == ApplicationState.CULTIVATING
    assert submitted.cultivation.state == CultivationState.ACTIVE
    assert list(submitted.cultivation.occupations.values_list("occupation__code", flat=True)) == ["6-18-02-04"]


def test_a_chain_leader_submission_is_rolled_back_when_its_cultivation_cannot_start(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any,
) -> None:
    # given a submittable chain-leader draft, and a cultivation that fails to open
    application, user = _submittable_guangdong_draft(is_chain_leader=True)
    events_before = AuditEvent.objects.count()

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the cultivation could not be created")

    monkeypatch.setattr(cultivation_services, "_open_cultivation", broken)

    # when it is submitted
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        services.submit_application(application, acting_user=user)

    # then the submission is undone with the cultivation: still a draft, no submission, no audit, no one told
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.submissions.count() == 0
    assert not Cultivation.objects.filter(application=application).exists()
    assert AuditEvent.objects.count() == events_before
    assert callbacks == []


def test_an_ordinary_guangdong_applicant_stays_submitted() -> None:
    application, user = _submittable_guangdong_draft(is_chain_leader=False)

    assert services.submit_application(application, acting_user=user).state == ApplicationState.SUBMITTED


# --- the commitment letter ---

def test_tasks_stay_closed_until_the_commitment_letter_is_signed() -> None:
    cultivation = f.cultivation(signed=False, occupations=1)
    item = cultivation.occupations.get()
    user = f.the_member(cultivation.institution)

    with pytest.raises(DomainError) as refused:
        services.submit_question_bank(f.task(item, TaskKind.QUESTION_BANK), acting_user=user, items=f.pdf_upload())
    assert refused.value.code == "commitment_not_signed"
    with pytest.raises(DomainError):
        services.record_training_attendance(f.task(item, TaskKind.EXAM_TRAINING),
                                            acting_user=f.provincial_officer(), attended_on=timezone.localdate())

    signed = services.sign_commitment(cultivation, acting_user=user, signer_name=" 张明 ", signer_title="法定代表人")

    assert signed.commitment_signer_name == "张明"
    assert signed.commitment_text == selectors.pack_for(cultivation.province).commitment_letter
    assert signed.commitment_signed_by == user
    assert services.submit_question_bank(f.task(item, TaskKind.QUESTION_BANK), acting_user=user,
                                         items=f.pdf_upload()).number == 1


def test_the_commitment_letter_is_signed_once_by_the_organization() -> None:
    cultivation = f.cultivation(signed=False, occupations=1)
    with pytest.raises(NotPermitted):
        services.sign_commitment(cultivation, acting_user=f.provincial_officer(), signer_name="甲", signer_title="乙")
    with pytest.raises(DomainError) as missing:
        services.sign_commitment(cultivation, acting_user=f.the_member(cultivation.institution), signer_name="张明",
                                 signer_title=" ")
    assert missing.value.code == "commitment_signer_missing"
    services.sign_commitment(cultivation, acting_user=f.the_member(cultivation.institution), signer_name="张明",
                             signer_title="法定代表人")
    with pytest.raises(ConflictError) as twice:
        services.sign_commitment(cultivation, acting_user=f.the_member(cultivation.institution), signer_name="李四",
                                 signer_title="总经理")
    assert twice.value.code == "commitment_already_signed"
    assert _events(cultivation, "commitment_signed") == 1


# --- question banks and training ---

def test_a_question_bank_is_returned_with_reasons_and_accepted_in_a_later_round() -> None:
    cultivation = f.cultivation(occupations=1)
    item = cultivation.occupations.get()
    bank = f.task(item, TaskKind.QUESTION_BANK)
    user, officer = f.the_member(cultivation.institution), f.provincial_officer()
    services.submit_question_bank(bank, acting_user=user, items=f.pdf_upload(),
                                  documents=[f.pdf_upload("开发说明.pdf")], note="第一版")
    bank.refresh_from_db()

    with pytest.raises(DomainError) as no_reason:
        services.review_question_bank(bank, acting_user=officer, accept=False, reasons="  ")
    assert no_reason.value.code == "reason_required"
    services.review_question_bank(bank, acting_user=officer, accept=False, reasons="理论知识试题数量不足")
    bank.refresh_from_db()
    assert bank.state == TaskState.RETURNED
    services.submit_question_bank(bank, acting_user=user, items=f.pdf_upload("试题-修订.pdf"))
    bank.refresh_from_db()
    services.review_question_bank(bank, acting_user=officer, accept=True)

    bank.refresh_from_db()
    rounds = list(QuestionBankRound.objects.filter(task=bank).values_list("number", "decision", "reasons"))
    assert rounds == [(1, ReviewDecision.RETURNED, "理论知识试题数量不足"), (2, ReviewDecision.ACCEPTED, "")]
    assert bank.state == TaskState.ACCEPTED
    assert sorted(QuestionBankRound.objects.get(task=bank, number=1).files.values_list("kind", flat=True)) == [
        "documents", "items"]
    item.refresh_from_db()
    assert item.state == "in_progress"  # the training is still open

    services.record_training_attendance(f.task(item, TaskKind.EXAM_TRAINING), acting_user=f.city_officer_of(
        cultivation.institution), attended_on=timezone.localdate(), note="第一期考务培训")

    item.refresh_from_db()
    assert item.state == "accepted"
    assert _events(cultivation, "cultivation_occupation_accepted") == 1


def test_question_bank_files_are_checked_by_content() -> None:
    cultivation = f.cultivation(occupations=1)
    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)
    fake = SimpleUploadedFile("试题.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(DomainError) as refused:
        services.submit_question_bank(bank, acting_user=f.the_member(cultivation.institution), items=fake)

    assert refused.value.code == "upload_type"
    assert not QuestionBankRound.objects.filter(task=bank).exists()


def test_two_officers_reviewing_at_once_conflict_and_nothing_is_done_twice() -> None:
    cultivation = f.cultivation(occupations=1)
    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=f.the_member(cultivation.institution), items=f.pdf_upload())
    bank.refresh_from_db()
    first_tab, second_tab = f.task(bank.occupation, TaskKind.QUESTION_BANK), f.task(bank.occupation,
                                                                                    TaskKind.QUESTION_BANK)
    services.review_question_bank(first_tab, acting_user=f.provincial_officer(), accept=True)

    with pytest.raises(ConflictError):
        services.review_question_bank(second_tab, acting_user=f.provincial_officer(), accept=False, reasons="不行")

    assert _events(bank, "question_bank_accepted") == 1
    assert _events(bank, "question_bank_returned") == 0


def test_only_the_province_reviews_and_only_the_own_city_records_training() -> None:
    cultivation = f.cultivation(occupations=1)
    item = cultivation.occupations.get()
    bank = f.task(item, TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=f.the_member(cultivation.institution), items=f.pdf_upload())
    bank.refresh_from_db()
    other_city = MembershipFactory(province="gd", role="city_officer",
                                   city=Province.objects.get(slug="gd").cities.get(code="4403")).user

    with pytest.raises(NotPermitted):
        services.review_question_bank(bank, acting_user=f.city_officer_of(cultivation.institution), accept=True)
    with pytest.raises(NotPermitted):
        services.record_training_attendance(f.task(item, TaskKind.EXAM_TRAINING), acting_user=other_city,
                                            attended_on=timezone.localdate())
    with pytest.raises(DomainError) as future:
        services.record_training_attendance(f.task(item, TaskKind.EXAM_TRAINING), acting_user=f.provincial_officer(),
                                            attended_on=timezone.localdate() + dt.timedelta(days=1))
    assert future.value.code == "attended_on_future"


# --- filing ---

@time_machine.travel(START, tick=False)
def test_the_province_files_accepted_occupations_in_batches_into_one_filing() -> None:
    cultivation = f.cultivation(occupations=2)
    first, second = cultivation.occupations.all()
    officer = f.provincial_officer()
    f.accept_occupation(first, officer)

    with pytest.raises(DomainError) as not_accepted:
        services.file_cultivation(cultivation, acting_user=officer, occupation_ids=[second.pk])
    assert not_accepted.value.code == "occupation_not_accepted"
    filing = services.file_cultivation(cultivation, acting_user=officer)

    cultivation.refresh_from_db()
    assert cultivation.application.state == ApplicationState.FILED
    assert cultivation.state == CultivationState.ACTIVE  # the second occupation goes on
    assert filing.status == FilingStatus.ACTIVE
    assert (filing.filed_on, filing.valid_from, filing.valid_until) == (
        dt.date(2026, 3, 2), dt.date(2026, 3, 2), dt.date(2029, 3, 1))
    assert filing.filing_number == "粤技评备〔2026〕1号"
    assert filing.organization_sequence == "000001"
    assert filing.institution_code == ""
    assert filing.published_at is not None
    assert [o.occupation_id for o in filing.occupations.all()] == [first.occupation_id]

    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        f.accept_occupation(second, officer)
        again = services.file_cultivation(cultivation, acting_user=officer)

    assert again.pk == filing.pk
    letters = list(filing.letters.order_by("pk"))
    assert [(x.number, x.is_addition) for x in letters] == [("粤技评备〔2026〕1号", False), ("粤技评备〔2026〕2号", True)]
    assert {o.valid_until for o in filing.occupations.all()} == {dt.date(2029, 3, 1)}
    cultivation.refresh_from_db()
    assert cultivation.state == CultivationState.COMPLETED
    with pytest.raises(InvalidTransition):
        services.file_cultivation(cultivation, acting_user=officer)


def test_nothing_accepted_means_nothing_to_file_and_only_the_province_files() -> None:
    cultivation = f.cultivation(occupations=1)
    with pytest.raises(NotPermitted):
        services.file_cultivation(cultivation, acting_user=f.city_officer_of(cultivation.institution))
    with pytest.raises(DomainError) as nothing:
        services.file_cultivation(cultivation, acting_user=f.provincial_officer())
    assert nothing.value.code == "nothing_to_file"


def test_organization_sequences_follow_each_other_per_province() -> None:
    sequences = [f.filing("sd", with_pdf=False).organization_sequence for _ in range(3)]
    guizhou = f.filing("gz", with_pdf=False)

    assert sequences == ["000001", "000002", "000003"]
    assert guizhou.organization_sequence == "000001"


def test_shandong_files_at_publicity_end_with_an_institution_code_and_a_receipt() -> None:
    jinan = f.ApplicationFactory(publicity_ended=True, province="sd", occupations=2, route="city")
    provincial = f.ApplicationFactory(publicity_ended=True, province="sd", route="province")

    filing = services.advance_after_publicity(jinan)
    by_province = services.advance_after_publicity(provincial)

    jinan.refresh_from_db()
    assert jinan.state == ApplicationState.FILED
    assert filing.institution_code == "37010001"
    assert by_province.institution_code == "37000001"
    receipt = filing.letters.get()
    assert receipt.kind == LetterKind.RECEIPT
    assert receipt.number.startswith("鲁技评回执〔")
    assert receipt.issuing_body == "济南市职业技能鉴定（指导）中心"
    assert by_province.letters.get().issuing_body == "山东省职业技能鉴定指导中心"
    assert len(receipt.scope) == 2
    # the city reports its list, then the province publishes the catalog (002 三(二)4)
    assert filing.reported_at is None and filing.published_at is None
    assert by_province.reported_at is not None and by_province.published_at is None


def test_guizhou_files_at_publicity_end_with_a_filing_letter() -> None:
    filing = services.advance_after_publicity(f.ApplicationFactory(publicity_ended=True, province="gz"))

    assert filing.institution_code == ""
    assert filing.letters.get().kind == LetterKind.LETTER
    assert filing.letters.get().issuing_body == "贵州省人力资源和社会保障厅"
    assert filing.published_at is not None


def test_the_city_reports_and_the_province_publishes_shandong_filings() -> None:
    filing = f.filing("sd", with_pdf=False)
    other_city = f.filing("sd", with_pdf=False)
    jinan = filing.city
    officer = MembershipFactory(province="sd", role="city_officer", city=jinan).user

    assert services.report_filings(jinan, acting_user=officer) == 2  # both in 济南, the factory's default city
    assert services.report_filings(jinan, acting_user=officer) == 0
    with pytest.raises(NotPermitted):
        services.publish_filings(filing.province, acting_user=officer)
    assert services.publish_filings(filing.province, acting_user=f.provincial_officer("sd"),
                                    filing_ids=[filing.pk]) == 1

    filing.refresh_from_db()
    other_city.refresh_from_db()
    assert filing.published_at is not None and other_city.published_at is None


def test_a_filing_is_suspended_reinstated_and_terminated_with_reasons_and_history() -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    officer = f.provincial_officer()

    services.suspend_filing(filing, acting_user=officer, reason="督导检查发现问题，限期整改")
    services.reinstate_filing(filing, acting_user=officer, reason="整改完成")
    services.terminate_filing(filing, acting_user=officer, kind="ordered", reason="严重违规")

    filing.refresh_from_db()
    assert (filing.status, filing.exit_kind) == (FilingStatus.TERMINATED, "ordered")
    actions = list(AuditEvent.objects.filter(object_type="filings.filing", object_id=str(filing.pk))
                   .order_by("pk").values_list("action", "from_state", "to_state"))
    assert actions == [("filing_suspended", "active", "suspended"), ("filing_reinstated", "suspended", "active"),
                       ("filing_terminated", "active", "terminated")]
    with pytest.raises(InvalidTransition):
        services.suspend_filing(filing, acting_user=officer, reason="再次")


# --- adding occupations ---

@time_machine.travel(START, tick=False)
def test_a_chain_leader_units_added_occupation_is_cultivated_and_ends_on_the_original_filing_date() -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    original_until = filing.valid_until
    new = OccupationFactory()

    with time_machine.travel(START + dt.timedelta(days=200), tick=False):
        addition = services.apply_to_add_occupations(
            filing, acting_user=f.the_member(filing.institution), lines=[services.ScopeLine(new, None, [4, 3])],
            has_completed_question_bank=True, operating_normally=True, is_chain_leader=True,
        )
        cultivation = addition.cultivation
        assert addition.state == "cultivating"
        assert cultivation.filing == filing
        assert cultivation.ends_on == dt.date(2026, 9, 18) + dt.timedelta(days=179)
        services.sign_commitment(cultivation, acting_user=f.the_member(filing.institution), signer_name="张明",
                                 signer_title="法定代表人")
        f.accept_occupation(cultivation.occupations.get())
        services.file_cultivation(cultivation, acting_user=f.provincial_officer())

    added = filing.occupations.get(occupation=new)
    assert added.valid_until == original_until == dt.date(2029, 3, 1)
    assert added.letter.is_addition
    addition.refresh_from_db()
    assert addition.state == "added"
    filing.refresh_from_db()
    assert filing.valid_until == original_until


@time_machine.travel(START, tick=False)
def test_a_guangdong_addition_of_a_unit_that_is_not_a_chain_leader_is_selected_as_a_new_application() -> None:
    """001 二(二), 四(一)4: only chain-leader cultivation units skip selection; another organization's addition becomes
    an application in the open call and is not decided by the province on its own (the whole route is in
    tests/filings/test_addition_selection.py)."""
    _, filing = f.filed_cultivation("gd", occupations=1)
    member, officer = f.the_member(filing.institution), f.provincial_officer()
    with time_machine.travel(START + dt.timedelta(days=200), tick=False):
        call = f.CallFactory(province="gd")
        waiting = services.apply_to_add_occupations(
            filing, acting_user=member, lines=[services.ScopeLine(OccupationFactory(), None, [4])],
            has_completed_question_bank=True, operating_normally=True)
        assert (waiting.state, waiting.is_chain_leader) == ("submitted", False)
        assert not Cultivation.objects.filter(addition=waiting).exists()
        with pytest.raises(InvalidTransition) as decided:
            services.decide_occupation_addition(waiting, acting_user=officer, approve=True)

    assert decided.value.code == "addition_in_selection"
    assert waiting.application is not None
    assert (waiting.application.call, waiting.application.state) == (call, ApplicationState.DRAFT)
    assert filing.occupations.count() == 1  # nothing joins the filing before its cultivation is accepted


def test_an_organization_that_is_not_active_cannot_apply_to_add_an_occupation() -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    services.suspend_filing(filing, acting_user=f.provincial_officer(), reason="限期整改")

    with pytest.raises(InvalidTransition) as refused:
        services.apply_to_add_occupations(
            filing, acting_user=f.the_member(filing.institution), lines=[services.ScopeLine(OccupationFactory(), None, [4])],
            has_completed_question_bank=True, operating_normally=True,
        )

    assert refused.value.code == "filing_not_active"
    assert "暂停" in str(refused.value) and "不能申请新增职业" in str(refused.value)


def test_adding_needs_a_completed_question_bank_and_normal_operation_and_an_admissible_occupation() -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    user = f.the_member(filing.institution)
    with pytest.raises(DomainError) as conditions:
        services.apply_to_add_occupations(filing, acting_user=user, lines=[services.ScopeLine(OccupationFactory(), None, [4])],
                                          has_completed_question_bank=True, operating_normally=False)
    assert conditions.value.code == "addition_conditions_not_met"
    with pytest.raises(DomainError) as access_type:
        services.apply_to_add_occupations(filing, acting_user=user,
                                          lines=[services.ScopeLine(OccupationFactory(access_type=True), None, [4])],
                                          has_completed_question_bank=True, operating_normally=True)
    assert access_type.value.code == "occupation_not_admitted"
    existing = filing.occupations.get().occupation
    with pytest.raises(DomainError) as duplicate:
        services.apply_to_add_occupations(filing, acting_user=user, lines=[services.ScopeLine(existing, None, [4])],
                                          has_completed_question_bank=True, operating_normally=True)
    assert duplicate.value.code == "occupation_already_filed"


def test_shandong_additions_respect_three_occupations_and_are_decided_by_the_province() -> None:
    filing = f.FilingFactory(province="sd", scope=[OccupationFactory(), OccupationFactory()])
    user = f.the_member(filing.institution)
    with pytest.raises(DomainError) as too_many:
        services.apply_to_add_occupations(
            filing, acting_user=user, lines=[services.ScopeLine(OccupationFactory(), None, [4]),
                                             services.ScopeLine(OccupationFactory(), None, [4])],
            has_completed_question_bank=True, operating_normally=True)
    assert too_many.value.code == "occupation_not_admitted"
    with pytest.raises(DomainError) as level_two:
        services.apply_to_add_occupations(filing, acting_user=user, lines=[services.ScopeLine(OccupationFactory(), None, [2])],
                                          has_completed_question_bank=True, operating_normally=True)
    assert level_two.value.code == "occupation_not_admitted"

    addition = services.apply_to_add_occupations(filing, acting_user=user,
                                                 lines=[services.ScopeLine(OccupationFactory(), None, [4, 3])],
                                                 has_completed_question_bank=True, operating_normally=True)
    assert addition.state == "submitted"
    services.decide_occupation_addition(addition, acting_user=f.provincial_officer("sd"), approve=True)

    assert filing.occupations.count() == 3
    assert filing.letters.filter(is_addition=True, kind=LetterKind.RECEIPT).count() == 1
    with pytest.raises(ConflictError):
        services.decide_occupation_addition(addition, acting_user=f.provincial_officer("sd"), approve=False,
                                            reason="重复")
