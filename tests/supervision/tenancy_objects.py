"""Supervision's entries for the tenancy test (tests/portal/test_tenancy.py): every supervision URL under a province
with an id names an organization (an institution holding a filing), a ranking, a fraud flag, a campaign, an inspection, a
rectification order, a complaint, a renewal, an exit, a suspension or a filing of that province. Other cities and other
organizations of the same province are in test_indicators_pages.py."""

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import Province, User
from supervision.models import (
    Campaign,
    Complaint,
    ComplaintAttachment,
    ExitState,
    FilingExit,
    FlagKind,
    FraudFlag,
    Inspection,
    InspectionFile,
    Ranking,
    RectificationFile,
    RectificationOrder,
    RectificationResponse,
    Renewal,
    RenewalDocument,
    SourceKind,
    Suspension,
    WrapUpKind,
    WrapUpTask,
)
from supervision.services import current_formula
from tests.factories import FilingFactory
from tests.factories.complaints import complaint_about
from tests.portal.tenancy_objects import MakeObject, MakeShared


def _organization(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": FilingFactory(province=province).institution_id}


def _ranking(province: Province, requester: User) -> dict[str, Any]:
    ranking = Ranking.objects.create(
        province=province, group="6-18", period_kind="year", period="2026", period_start=dt.date(2026, 1, 1),
        formula=current_formula(province), min_n=30, created_by=requester)
    return {"pk": ranking.pk}


def _flag(province: Province, requester: User) -> dict[str, Any]:
    flag = FraudFlag.objects.create(province=province, kind=FlagKind.SHARED_MOBILE, key=f"t:{requester.pk}",
                                    summary="t", found_at=timezone.now(),
                                    institution=FilingFactory(province=province).institution)
    return {"pk": flag.pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    "supervision:organization": _organization,
    "supervision:declare_enrolment": _organization,
    "supervision:declare_price": _organization,
    "supervision:rate_holder": _organization,
    "api_supervision_feedback": _organization,
    "api_supervision_enrolment": _organization,
    "api_supervision_prices": _organization,
    "supervision:ranking_detail": _ranking,
    "api_supervision_ranking": _ranking,
    "api_supervision_ranking_publish": _ranking,
    "supervision:flag_detail": _flag,
    "api_supervision_flag": _flag,
    "api_supervision_flag_dismiss": _flag,
}



def _campaign(province: Province, requester: User) -> dict[str, Any]:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        province=province, title="t", organizations_to_draw=1, random_source="s", random_source_date=today,
        inspect_from=today, inspect_until=today, created_by=requester)
    return {"pk": campaign.pk}


def _inspection_of(province: Province, requester: User) -> Inspection:
    filing = FilingFactory(province=province)
    campaign = Campaign.objects.get(pk=_campaign(province, requester)["pk"])
    return Inspection.objects.create(campaign=campaign, province=province, institution=filing.institution,
                                     city=filing.city, draw_order=1)


def _inspection(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": _inspection_of(province, requester).pk}


def _inspection_file(province: Province, requester: User) -> dict[str, Any]:
    inspection = _inspection_of(province, requester)
    record = InspectionFile(inspection=inspection, name="a.pdf", content_type="application/pdf", sha256="0",
                            uploaded_by=requester)
    record.file.save("a.bin", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": inspection.pk, "file_pk": record.pk}


def _order_of(province: Province, requester: User) -> RectificationOrder:
    filing = FilingFactory(province=province)
    return RectificationOrder.objects.create(
        province=province, institution=filing.institution, city=filing.city, source_kind=SourceKind.COMPLAINT,
        severity="minor", findings_text="t", issued_on=timezone.localdate(), working_days=5,
        deadline=timezone.localdate(), created_by=requester)


def _order(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": _order_of(province, requester).pk}


def _order_file(province: Province, requester: User) -> dict[str, Any]:
    order = _order_of(province, requester)
    response = RectificationResponse.objects.create(order=order, text="t", submitted_by=requester,
                                                    submitted_on=timezone.localdate())
    record = RectificationFile(response=response, name="a.pdf", content_type="application/pdf", sha256="0")
    record.file.save("a.bin", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": order.pk, "file_pk": record.pk}


TENANT_OBJECTS.update({
    "supervision:campaign_detail": _campaign,
    "api_supervision_campaign": _campaign,
    "api_supervision_campaign_commit": _campaign,
    "api_supervision_campaign_draw": _campaign,
    "api_supervision_campaign_replace": _campaign,
    "api_supervision_campaign_close": _campaign,
    "supervision:inspection_detail": _inspection,
    "supervision:inspection_file": _inspection_file,
    "api_supervision_inspection": _inspection,
    "api_supervision_inspection_schedule": _inspection,
    "api_supervision_inspection_checklist": _inspection,
    "api_supervision_inspection_findings": _inspection,
    "api_supervision_inspection_complete": _inspection,
    "supervision:order_detail": _order,
    "supervision:order_file": _order_file,
    "api_supervision_order": _order,
    "api_supervision_order_answer": _order,
    "api_supervision_order_verify": _order,
})

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}


def _complaint_of(province: Province) -> Complaint:
    complaint, _code = complaint_about(FilingFactory(province=province, with_scope=True))
    return complaint


def _complaint(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": _complaint_of(province).pk}


def _complaint_attachment(province: Province, requester: User) -> dict[str, Any]:
    complaint = _complaint_of(province)
    attachment = ComplaintAttachment(complaint=complaint, name="a.pdf", content_type="application/pdf")
    attachment.file.save("a.bin", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": complaint.pk, "attachment": attachment.pk}


def _renewal(province: Province, requester: User) -> dict[str, Any]:
    filing = FilingFactory(province=province)
    renewal = Renewal.objects.create(province=province, filing=filing, institution=filing.institution,
                                     period_start=filing.valid_from, period_end=filing.valid_until,
                                     created_by=requester)
    return {"pk": renewal.pk}


def _renewal_letter(province: Province, requester: User) -> dict[str, Any]:
    renewal = Renewal.objects.get(pk=_renewal(province, requester)["pk"])
    renewal.letter_number = "续〔2026〕1号"
    renewal.letter_pdf.save("letter.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": renewal.pk}


def _renewal_document(province: Province, requester: User) -> dict[str, Any]:
    renewal = Renewal.objects.get(pk=_renewal(province, requester)["pk"])
    document = RenewalDocument(renewal=renewal, checklist_key="work_report", original_name="a.pdf",
                               content_type="application/pdf", size=8, sha256="0", uploaded_by=requester)
    document.file.save("a.bin", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": renewal.pk, "document_pk": document.pk}


def _renewable_filing(province: Province, requester: User) -> dict[str, Any]:
    return {"filing_pk": FilingFactory(province=province).pk}


TENANT_OBJECTS.update({
    **dict.fromkeys(["supervision:complaint_detail", "supervision:organization_complaint", "api_complaint",
                     "api_complaint_answer", "api_complaint_decide", "api_complaint_forward", "api_complaint_reassign",
                     "api_complaint_request_information"], _complaint),
    "supervision:complaint_attachment": _complaint_attachment,
    **dict.fromkeys(["supervision:renewal_detail", "supervision:renewal_declarations", "supervision:renewal_document",
                     "supervision:renewal_submit", "supervision:renewal_decide", "supervision:renewal_certificates",
                     "api_supervision_renewal", "api_supervision_renewal_submit",
                     "api_supervision_renewal_decision"], _renewal),
    "supervision:renewal_letter": _renewal_letter,
    "supervision:renewal_document_file": _renewal_document,
    "supervision:renewal_start": _renewable_filing,
})


def _filing_pk(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": FilingFactory(province=province).pk}


def _exit_of(province: Province, requester: User, **values: Any) -> FilingExit:
    filing = FilingFactory(province=province)
    today = timezone.localdate()
    return FilingExit.objects.create(province=province, filing=filing, kind="voluntary", reason="t",
                                     requested_on=today, exit_on=today, **values)


def _exit(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": _exit_of(province, requester).pk}


def _exit_task(province: Province, requester: User) -> dict[str, Any]:
    filing_exit = _exit_of(province, requester)
    WrapUpTask.objects.create(exit=filing_exit, kind=WrapUpKind.ARCHIVES)
    return {"pk": filing_exit.pk, "kind": WrapUpKind.ARCHIVES.value}


def _terminated_exit(province: Province, requester: User) -> dict[str, Any]:
    filing_exit = _exit_of(province, requester, state=ExitState.TERMINATED, notice_number="终〔2026〕1号")
    filing_exit.notice_pdf.save("notice.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": filing_exit.pk}


def _suspension(province: Province, requester: User) -> dict[str, Any]:
    filing = FilingFactory(province=province)
    today = timezone.localdate()
    suspension = Suspension.objects.create(province=province, filing=filing, reason="t", starts_on=today,
                                           decided_by=requester,
                                           ends_on=today + dt.timedelta(days=30))
    return {"pk": suspension.pk}


TENANT_OBJECTS.update({
    **dict.fromkeys(["supervision:voluntary_exit", "supervision:order_exit", "supervision:suspend",
                     "api_supervision_voluntary_exit", "api_supervision_order_exit", "api_supervision_suspend"],
                    _filing_pk),
    **dict.fromkeys(["supervision:exit_detail", "api_supervision_exit", "api_supervision_exit_confirm",
                     "api_supervision_exit_withdraw"], _exit),
    "api_supervision_exit_task": _exit_task,
    "supervision:termination_notice": _terminated_exit,
    **dict.fromkeys(["supervision:suspension_detail", "api_supervision_resume"], _suspension),
})
