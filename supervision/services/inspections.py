"""Inspections of drawn organizations: the date and scope, the checklist with its files, findings (each opening a
rectification order; a critical one may propose suspension) and the inspectors' report that completes it."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import ExamPlan
from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError, NotPermitted
from portal.models import Role, User
from portal.notifications import notify
from portal.roles import has_role, users_with_role
from portal.uploads import check_upload

from ..errors import Codes
from ..models import (
    ChecklistItem,
    ChecklistResult,
    Finding,
    Inspection,
    InspectionFile,
    InspectionState,
    Severity,
    SourceKind,
)
from .rectification import open_rectification_order


def is_inspector(user: User, inspection: Inspection) -> bool:
    """One of the inspection's drawn inspectors still in post."""
    return inspection.assignments.filter(inspector=user, replaced_at__isnull=True).exists()


def _require_inspector(user: User, inspection: Inspection) -> None:
    if not is_inspector(user, inspection):
        raise NotPermitted(_("只有本次检查抽中的检查人员可以办理。"))


def _locked_open(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().select_related("province", "institution").get(pk=inspection.pk)
    if locked.state != InspectionState.SCHEDULED:
        raise DomainError(_("该检查已经完成，不能再修改。"), code=Codes.INSPECTION_STATE, status=409)
    return locked


@dataclass(frozen=True)
class Schedule:
    scheduled_on: dt.date
    scope_session: bool
    scope_site: bool
    scope_documents: bool
    exam_plan: ExamPlan | None = None


def schedule_inspection(inspection: Inspection, *, acting_user: User, schedule: Schedule) -> Inspection:
    """Set the date and the scope (an exam session, the site, the documents); an announced one is told to the
    organization, an unannounced one is not."""
    _require_inspector(acting_user, inspection)
    if not (schedule.scope_session or schedule.scope_site or schedule.scope_documents):
        raise DomainError(_("请至少选择一项检查范围。"), code=Codes.CAMPAIGN_INVALID, field="scope_site")
    if schedule.scope_session and schedule.exam_plan is None:
        raise DomainError(_("检查考核现场时请选择考核计划。"), code=Codes.CAMPAIGN_INVALID, field="exam_plan")
    if schedule.exam_plan is not None and schedule.exam_plan.institution_id != inspection.institution_id:
        raise DomainError(_("所选考核计划不属于被检查机构。"), code=Codes.CAMPAIGN_INVALID, field="exam_plan")
    with transaction.atomic():
        locked = _locked_open(inspection)
        before = locked.scheduled_on
        locked.scheduled_on = schedule.scheduled_on
        locked.scope_session, locked.scope_site = schedule.scope_session, schedule.scope_site
        locked.scope_documents, locked.exam_plan = schedule.scope_documents, schedule.exam_plan
        locked.save(update_fields=["scheduled_on", "scope_session", "scope_site", "scope_documents", "exam_plan"])
        record_event(actor=acting_user, action="inspection_scheduled", obj=locked, province=locked.province,
                     changes={"scheduled_on": {"before": before, "after": schedule.scheduled_on}})
    if locked.announced:
        notify(users_with_role(locked.province, Role.INSTITUTION_MEMBER, institution=locked.institution),
               title=_("监督检查通知：%(date)s") % {"date": schedule.scheduled_on.isoformat()},
               body=_("省（市）人社部门将于%(date)s对贵机构开展监督检查，请做好准备。")
               % {"date": schedule.scheduled_on.isoformat()}, province=locked.province)
    return locked


def record_checklist(inspection: Inspection, *, acting_user: User,
                     results: dict[int, tuple[str, str]]) -> int:
    """Record item results ({item id: (result, note)}); the number of items that changed."""
    _require_inspector(acting_user, inspection)
    if any(result not in ChecklistResult.values for result, _note in results.values()):
        raise DomainError(_("检查结果只能是符合、不符合或未检查。"), code=Codes.FINDING_INVALID)
    changed: dict[str, dict[str, str]] = {}
    with transaction.atomic():
        locked = _locked_open(inspection)
        for item in ChecklistItem.objects.select_for_update().filter(inspection=locked, pk__in=results):
            result, note = results[item.pk]
            if (item.result, item.note) != (result, note.strip()):
                changed[item.key] = {"before": item.result, "after": result}
                item.result, item.note = result, note.strip()
                item.save(update_fields=["result", "note"])
        if changed:
            record_event(actor=acting_user, action="inspection_checklist_recorded", obj=locked,
                         province=locked.province, changes=changed)
    return len(changed)


def attach_inspection_file(inspection: Inspection, *, acting_user: User, upload: UploadedFile,
                           item: ChecklistItem | None = None) -> InspectionFile:
    """A photo or file of the inspection, through the portal's one upload check."""
    _require_inspector(acting_user, inspection)
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _locked_open(inspection)
        if item is not None and item.inspection_id != locked.pk:
            raise DomainError(_("检查项不属于本次检查。"), code=Codes.FINDING_INVALID, field="item")
        record = InspectionFile(inspection=locked, item=item, name=(upload.name or "file")[:200],
                                content_type=checked.content_type, sha256=checked.sha256, uploaded_by=acting_user)
        record.file.save("file.bin", upload, save=False)
        record.save()
        record_event(actor=acting_user, action="inspection_file_added", obj=locked, province=locked.province,
                     changes={"file": {"before": None, "after": record.name}})
    return record


def deadline_working_days(inspection: Inspection, severity: str) -> int:
    return dict(pack_for(inspection.province).settings.rectification_working_days)[severity]


def record_finding(inspection: Inspection, *, acting_user: User, severity: str, text: str,
                   item: ChecklistItem | None = None, proposes_suspension: bool = False,
                   suspension_reason: str = "", today: dt.date | None = None) -> Finding:
    """A finding, and the rectification order it opens (deadline in working days by severity, a pack setting)."""
    _require_inspector(acting_user, inspection)
    if severity not in Severity.values or not text.strip():
        raise DomainError(_("请选择问题的严重程度并描述问题。"), code=Codes.FINDING_INVALID, field="text")
    if proposes_suspension and (severity != Severity.CRITICAL or not suspension_reason.strip()):
        raise DomainError(_("只有严重问题可以建议暂停备案，且须说明理由。"), code=Codes.FINDING_INVALID,
                          field="suspension_reason")
    with transaction.atomic():
        locked = _locked_open(inspection)
        finding = Finding.objects.create(inspection=locked, item=item, severity=severity, text=text.strip(),
                                         proposes_suspension=proposes_suspension,
                                         suspension_reason=suspension_reason.strip(), created_by=acting_user)
        record_event(actor=acting_user, action="inspection_finding_recorded", obj=locked, province=locked.province,
                     changes={"finding": {"before": None, "after": f"{finding.get_severity_display()}：{finding.text}"}})
        if proposes_suspension:
            record_event(actor=acting_user, action="suspension_proposed", obj=locked, province=locked.province,
                         reason=finding.suspension_reason, changes={"finding": {"before": None, "after": finding.pk}})
        open_rectification_order(locked.institution, acting_user=acting_user,
                                 source_kind=SourceKind.INSPECTION_FINDING, source_object=finding,
                                 findings_text=finding.text, severity=severity,
                                 deadline_working_days=deadline_working_days(locked, severity), today=today)
    if proposes_suspension:
        notify(users_with_role(locked.province, Role.PROVINCIAL_OFFICER),
               title=_("检查发现严重问题，建议暂停备案：%(org)s") % {"org": locked.institution.name},
               body=finding.suspension_reason, province=locked.province)
    return finding


def complete_inspection(inspection: Inspection, *, acting_user: User, report: str) -> Inspection:
    """The inspectors' conclusion ends the visit; the rectification orders go on by themselves."""
    _require_inspector(acting_user, inspection)
    if not report.strip():
        raise DomainError(_("请填写检查结论。"), code=Codes.FINDING_INVALID, field="report")
    with transaction.atomic():
        locked = _locked_open(inspection)
        if locked.scheduled_on is None:
            locked.scheduled_on = timezone.localdate()
            locked.save(update_fields=["scheduled_on"])
        locked.complete(report=report.strip())
        locked.save()
        record_event(actor=acting_user, action="inspection_completed", obj=locked, province=locked.province,
                     from_state=InspectionState.SCHEDULED, to_state=InspectionState.COMPLETED,
                     changes={"findings": {"before": None, "after": locked.findings.count()}})
    return locked


def can_manage(user: User, inspection: Inspection) -> bool:
    """Officers who may replace an inspector: the province's, or the city officers of a city campaign."""
    campaign = inspection.campaign
    return has_role(user, inspection.province, Role.PROVINCIAL_OFFICER) or (
        campaign.city is not None and has_role(user, inspection.province, Role.CITY_OFFICER, city=campaign.city))
