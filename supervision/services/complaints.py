"""Handling a complaint: the officer forwards it to the organization, asks the complainant for information (the clock
stops), decides it with a reason (and may open a rectification order), or reassigns it; the organization answers.
Every step locks the row, goes through the complaint's state machine and leaves one audit event."""

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError, NotPermitted
from portal.models import City, Role, User
from portal.notifications import notify
from portal.roles import has_role, users_with_role

from ..errors import Codes
from ..models import (
    CLOCK_RUNNING,
    Complaint,
    ComplaintDecision,
    ComplaintMessage,
    ComplaintState,
    HandlingLevel,
    MessageKind,
)
from . import complaint_deadlines as clock
from .complaints_public import check_files, mail_complainant, save_files
from .complaints_rectification import open_rectification_for_complaint

RECTIFIABLE = (ComplaintDecision.UPHELD, ComplaintDecision.PARTLY)


def may_handle(user: User, complaint: Complaint) -> bool:
    """The province's officers always; a city officer of the complaint's city while the city handles it."""
    if has_role(user, complaint.province, Role.PROVINCIAL_OFFICER):
        return True
    return (complaint.level == HandlingLevel.CITY and complaint.city is not None
            and has_role(user, complaint.province, Role.CITY_OFFICER, city=complaint.city))


def handlers(complaint: Complaint) -> list[User]:
    """Whom to tell about a step: the city's officers while the city handles it, else the province's."""
    if complaint.level == HandlingLevel.CITY and complaint.city is not None:
        return users_with_role(complaint.province, Role.CITY_OFFICER, city=complaint.city)
    return users_with_role(complaint.province, Role.PROVINCIAL_OFFICER)


def _link(complaint: Complaint, name: str = "supervision:complaint_detail") -> str:
    return reverse(name, kwargs={"province": complaint.province.slug, "pk": complaint.pk})


def _for_update() -> QuerySet[Complaint]:
    """The complaint row locked alone (its city is nullable: PostgreSQL locks no outer-joined row)."""
    return Complaint.objects.select_for_update(of=("self",)).select_related("province", "institution", "city")


def _locked(complaint: Complaint, acting_user: User) -> Complaint:
    locked = _for_update().get(pk=complaint.pk)
    if not may_handle(acting_user, locked):
        raise NotPermitted(_("您不是该投诉的承办人员。"))
    return locked


def _require_state(complaint: Complaint, *states: str) -> None:
    if complaint.state not in states:
        raise DomainError(_("该投诉当前为“%(state)s”，不能办理此事项。") % {"state": complaint.get_state_display()},
                          code=Codes.COMPLAINT_STATE, status=409)


def _text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, code=Codes.COMPLAINT_INVALID, field=field)
    return value.strip()


def _audit(complaint: Complaint, action: str, *, actor: User | None, before: str, reason: str = "",
           **changes: object) -> None:
    record_event(actor=actor, action=action, obj=complaint, province=complaint.province, from_state=before,
                 to_state=complaint.state, reason=reason, changes=dict(changes))


def forward_to_organization(complaint: Complaint, *, acting_user: User, note: str = "") -> Complaint:
    """Ask the organization to answer; it sees the complaint without the complainant's name or contact."""
    with transaction.atomic():
        locked = _locked(complaint, acting_user)
        _require_state(locked, ComplaintState.OPEN)
        before = locked.state
        locked.forward()
        locked.next_sweep_on = clock.next_sweep_date(locked)
        locked.save()
        ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.FORWARDED, text=note.strip(),
                                        author=acting_user)
        _audit(locked, "complaint_forwarded", actor=acting_user, before=before, reason=note.strip())
        notify(users_with_role(locked.province, Role.INSTITUTION_MEMBER, institution=locked.institution),
               title=_("收到一件待答复的投诉"), body=locked.category_label,
               link=_link(locked, "supervision:organization_complaint"), province=locked.province)
    return locked


def answer_as_organization(complaint: Complaint, *, acting_user: User, text: str,
                           files: list[UploadedFile] | None = None) -> Complaint:
    """The organization's answer (with evidence files); the officer decides next."""
    text = _text(text, "text", _("请填写答复内容。"))
    checked = check_files(files or [])
    with transaction.atomic():
        locked = _for_update().get(pk=complaint.pk)
        if not has_role(acting_user, locked.province, Role.INSTITUTION_MEMBER, institution=locked.institution):
            raise NotPermitted(_("只有被投诉机构的用户可以答复。"))
        _require_state(locked, ComplaintState.AWAITING_ORGANIZATION)
        before = locked.state
        locked.organization_reply(text=text)
        locked.save()
        message = ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.ORGANIZATION_ANSWER, text=text,
                                                  author=acting_user)
        save_files(locked, checked, message=message, from_organization=True)
        _audit(locked, "complaint_organization_answered", actor=acting_user, before=before,
               attachments=len(checked))
        notify(handlers(locked), title=_("评价机构已答复投诉"), body=str(locked), link=_link(locked),
               province=locked.province)
    return locked


def request_information(complaint: Complaint, *, acting_user: User, text: str) -> Complaint:
    """Ask the complainant for more: the clock stops today and resumes on their answer."""
    text = _text(text, "text", _("请说明需要投诉人补充的内容。"))
    with transaction.atomic():
        locked = _locked(complaint, acting_user)
        _require_state(locked, ComplaintState.OPEN, ComplaintState.ORGANIZATION_ANSWERED)
        before = locked.state
        locked.request_information()
        suspension = clock.suspend_clock(locked, timezone.localdate())
        locked.save()
        ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.INFORMATION_REQUEST, text=text,
                                        author=acting_user)
        _audit(locked, "complaint_information_requested", actor=acting_user, before=before, reason=text,
               suspended_on=suspension.started_on)
        mail_complainant(locked, _("您的投诉需要补充材料"), _(
            "承办单位请您补充：%(text)s。请凭查询码登录投诉查询页面补充，补充前办理时限暂停计算。") % {"text": text})
    return locked


def _record_answer(complaint: Complaint, today: dt.date) -> None:
    if complaint.first_answered_on is None:
        complaint.first_answered_on = today
        complaint.answered_on_time = clock.answered_on_time(complaint, today)
    days = pack_for(complaint.province).settings.complaint_dissatisfaction_days
    complaint.reply_window_ends_on = today + dt.timedelta(days=days)
    complaint.next_sweep_on = clock.next_sweep_date(complaint)


def decide_complaint(complaint: Complaint, *, acting_user: User, decision: str, reason: str,
                     open_rectification: bool = False, rectification_days: int | None = None) -> Complaint:
    """Upheld, partly upheld or not upheld, with a reason the complainant reads; an upheld (or partly upheld)
    complaint may open a rectification order against the organization with a deadline in working days."""
    if decision not in ComplaintDecision.values:
        raise DomainError(_("请选择认定结果。"), code=Codes.COMPLAINT_INVALID, field="decision")
    reason = _text(reason, "reason", _("请填写认定理由。"))
    if open_rectification and decision not in RECTIFIABLE:
        raise DomainError(_("只有属实或部分属实的投诉可以责令整改。"), code=Codes.COMPLAINT_INVALID,
                          field="open_rectification")
    if open_rectification and not (rectification_days and 1 <= rectification_days <= 120):
        raise DomainError(_("请填写整改期限（1–120个工作日）。"), code=Codes.COMPLAINT_INVALID,
                          field="rectification_days")
    with transaction.atomic():
        locked = _locked(complaint, acting_user)
        _require_state(locked, ComplaintState.OPEN, ComplaintState.ORGANIZATION_ANSWERED)
        before = locked.state
        locked.decide(decision=decision, reason=reason, by=acting_user)
        _record_answer(locked, timezone.localdate())
        locked.open_rectification = open_rectification
        locked.rectification_days = rectification_days if open_rectification else None
        locked.save()
        if open_rectification:
            locked.rectification_order_id = open_rectification_for_complaint(
                locked, acting_user=acting_user, deadline_working_days=int(rectification_days or 0))
            locked.save(update_fields=["rectification_order_id", "updated_at"])
        ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.DECISION, author=acting_user,
                                        text=f"{ComplaintDecision(decision).label}：{reason}")
        _audit(locked, "complaint_decided", actor=acting_user, before=before, reason=reason, decision=decision,
               on_time=locked.answered_on_time, open_rectification=open_rectification,
               rectification_days=locked.rectification_days)
        mail_complainant(locked, _("您的投诉已答复"), _(
            "您的投诉已答复：%(decision)s。如不满意，可在%(date)s前凭查询码提出。") % {
            "decision": ComplaintDecision(decision).label, "date": locked.reply_window_ends_on})
    return locked


def reassign_complaint(complaint: Complaint, *, acting_user: User, level: str, city: City | None = None,
                       reason: str = "") -> Complaint:
    """A provincial officer moves a complaint to a city of the province or to the province (audited)."""
    if not has_role(acting_user, complaint.province, Role.PROVINCIAL_OFFICER):
        raise NotPermitted(_("只有省级经办人员可以改派投诉。"))
    reason = _text(reason, "reason", _("请填写改派理由。"))
    if level == HandlingLevel.CITY and (city is None or city.province_id != complaint.province_id):
        raise DomainError(_("请选择本省的地市。"), code=Codes.COMPLAINT_INVALID, field="city")
    if level not in HandlingLevel.values:
        raise DomainError(_("请选择承办层级。"), code=Codes.COMPLAINT_INVALID, field="level")
    with transaction.atomic():
        locked = _locked(complaint, acting_user)
        _require_state(locked, *CLOCK_RUNNING, ComplaintState.AWAITING_COMPLAINANT)
        before = {"level": locked.level, "city": locked.city_id}
        locked.level = level
        if city is not None:
            locked.city = city
        if locked.state in CLOCK_RUNNING:
            locked.next_sweep_on = clock.next_sweep_date(locked)
        locked.save()
        ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.REASSIGNED, text=reason,
                                        author=acting_user)
        _audit(locked, "complaint_reassigned", actor=acting_user, before=locked.state, reason=reason,
               level={"before": before["level"], "after": locked.level},
               city={"before": before["city"], "after": locked.city_id})
        notify(handlers(locked), title=_("改派给您的投诉"), body=str(locked), link=_link(locked),
               province=locked.province)
    return locked
