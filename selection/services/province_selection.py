"""The province's part: starting its review, selecting the applications, recording the leadership group's approval
(not where the centre decides, Shandong: the provincial centre's selection of applications filed with it is
publicised at once).

A city's recommended applications wait in "recommended" until the province acts on them: forming the provincial
panel starts the review of every recommended application of the call (selection.services.panels), and assigning or
drawing experts for one recommended later starts its review first. Applications filed straight with the province
are started by the provincial officer (start_province_review).
"""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, Call, Route
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify
from portal.uploads import check_upload

from ..errors import Codes
from ..models import LeadershipApproval
from ._common import S, applicants, fresh, require_provincial_officer
from .rubric import ensure_round


def start_province_review(application: Application, *, acting_user: User) -> Application:
    """The provincial officer starts the review of an application filed straight with the province (or of a
    recommended one ahead of the panel)."""
    require_provincial_officer(acting_user, application.province)
    application = fresh(application)
    if application.state == S.SUBMITTED and application.route != Route.PROVINCE:
        raise DomainError(_("该申请应由所在地市初审推荐。"), code=Codes.APPLICATION_CITY_ROUTE)
    return filing_services.start_province_review(application, acting_user=acting_user)


def _lock_applications(call: Call, state: str) -> list[Application]:
    return list(Application.objects.select_for_update(of=("self",)).filter(call=call, state=state)
                .select_related("province", "call", "institution", "city").order_by("pk"))


def decide_selection(call: Call, *, acting_user: User, selected_ids: Sequence[int],
                     reason: str) -> tuple[list[Application], list[Application]]:
    """The province selects the ticked applications under review and does not select the others (one reason for
    them, required). All or nothing: if another officer decided one first, nothing is done."""
    require_provincial_officer(acting_user, call.province)
    reason = reason.strip()
    with transaction.atomic():
        applications = _lock_applications(call, S.PROVINCE_REVIEW)
        if not applications:
            raise ConflictError(_("本批次没有待遴选的申请（可能已由他人处理），请刷新页面。"),
                                code=Codes.NOTHING_TO_SELECT)
        by_id = {a.pk: a for a in applications}
        unknown = [pk for pk in selected_ids if pk not in by_id]
        if unknown:
            raise ConflictError(_("部分勾选的申请已不在省级评审中（可能已由他人处理），请刷新页面后重试。"),
                                code=Codes.SELECTION_STALE)
        chosen = [by_id[pk] for pk in sorted(set(selected_ids))]
        others = [a for a in applications if a.pk not in set(selected_ids)]
        if others and not reason:
            raise DomainError(_("未入选的申请必须填写理由。"), code=Codes.REASON_REQUIRED)
        selected = [filing_services.select_application(a, acting_user=acting_user) for a in chosen]
        not_selected = [filing_services.not_select_application(a, acting_user=acting_user, reason=reason)
                        for a in others]
        record_event(actor=acting_user, action="selection_decided", obj=call, province=call.province, reason=reason,
                     changes={"selected": {"before": None, "after": [a.institution.name for a in selected]},
                              "not_selected": {"before": None, "after": [a.institution.name for a in not_selected]}})
    centre = filing_selectors.centre_decides(call.province)
    for application in selected:
        notify(applicants(application), title=_("备案申请拟入选"),
               body=(_("%(name)s经省级中心技术评估确定，待公示。") if centre
                     else _("%(name)s经省级集中评审拟入选，待领导小组审定后公示。")) % {"name": application.institution.name},
               link=reverse("filings:application_detail", kwargs={"province": call.province.slug, "pk": application.pk}),
               province=call.province)
    return selected, not_selected


def record_approval(call: Call, *, acting_user: User, meeting_date: dt.date, document_number: str,
                    attachment: UploadedFile) -> LeadershipApproval:
    """Record the leadership group's approval (领导小组审定) of the selected applications, with its document."""
    require_provincial_officer(acting_user, call.province)
    if filing_selectors.centre_decides(call.province):
        raise DomainError(_("%(p)s的遴选结果由受理中心确定后直接公示，没有领导小组审定环节。") % {"p": call.province.name},
                          code=Codes.NO_LEADERSHIP_APPROVAL, status=409)
    document_number = document_number.strip()
    if not document_number:
        raise DomainError(_("请填写审定文件的文号。"), code=Codes.DOCUMENT_NUMBER_MISSING)
    if meeting_date > timezone.localdate():
        raise DomainError(_("会议日期不能晚于今天。"), code=Codes.MEETING_DATE_FUTURE)
    checked = check_upload(attachment)
    with transaction.atomic():
        round_ = ensure_round(call, acting_user=acting_user)
        applications = _lock_applications(call, S.SELECTED)
        if not applications:
            raise DomainError(_("本批次没有待审定的拟入选申请。"), code=Codes.NOTHING_TO_APPROVE)
        approval = LeadershipApproval(round=round_, meeting_date=meeting_date, document_number=document_number,
                                      attachment_name=(attachment.name or "approval")[:200],
                                      attachment_content_type=checked.content_type, attachment_sha256=checked.sha256,
                                      recorded_by=acting_user)
        approval.attachment.save("approval.bin", attachment, save=False)
        approval.save()
        approval.applications.set(applications)
        why = _("领导小组审定：%(no)s（%(d)s）") % {"no": document_number, "d": meeting_date.isoformat()}
        for application in applications:
            filing_services.approve_application(application, acting_user=acting_user, reason=why)
        record_event(actor=acting_user, action="leadership_approval_recorded", obj=approval, province=call.province,
                     reason=why,
                     changes={"approved": {"before": None, "after": [a.institution.name for a in applications]},
                              "attachment": {"before": None, "after": f"{approval.attachment_name} {checked.sha256[:12]}"}})
    return approval
