"""Exits of a filing (003 articles 13–16): the voluntary request, the automatic exit at expiry, the ordered exit with
its announcement, the wrap-up tasks with their evidence, and the province's confirmation with the termination notice.

Dates: a voluntary exit is requested at least the pack's notice days ahead (calendar days, "提前30日"); its exit day
is the day asked for. An automatic exit begins on the day after expiry. An ordered exit begins the day it is ordered.
The wrap-up period's first day is the exit day and its last day is exit day + wrap-up days − 1 (15 days: "15日内").
"""

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import services as certificate_services
from filings import services as filing_services
from filings.models import ExitKind, Filing, FilingStatus
from filings.selectors import pack_for
from portal import publicity
from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition
from portal.models import Province, Role, User
from portal.notifications import notify
from portal.roles import require_role, users_with_role
from portal.uploads import check_upload

from ..errors import Codes
from ..models import ExitState, FilingExit, Suspension, SuspensionState, WrapUpKind, WrapUpTask
from ..selectors.renewals import renewal_pending

EXIT_KIND = "exit"
DEFAULT_NOTICE_DAYS = 30  # 003 art. 13; a pack without the setting gets Guizhou's figure
DEFAULT_WRAP_UP_DAYS = 15  # 003 art. 14


def notice_days(province: Province) -> int:
    return pack_for(province).settings.voluntary_exit_notice_days or DEFAULT_NOTICE_DAYS


def wrap_up_days(province: Province) -> int:
    return pack_for(province).settings.exit_wrap_up_days or DEFAULT_WRAP_UP_DAYS


def earliest_voluntary_exit(province: Province, today: dt.date) -> dt.date:
    """The first exit day a voluntary request made today may ask for (notice days later, calendar days)."""
    return today + dt.timedelta(days=notice_days(province))


def wrap_up_last_day(province: Province, first_day: dt.date) -> dt.date:
    return first_day + dt.timedelta(days=wrap_up_days(province) - 1)


def _renewal_blocks_automatic_exit(filing: Filing) -> bool:
    """True while a renewal application of the filing's current period is under review (submitted or returned for
    correction): the automatic exit waits for its decision. A refused renewal, like none, lets the exit go ahead."""
    return renewal_pending(filing)


def exit_link(filing_exit: FilingExit) -> str:
    return reverse("supervision:exit_detail", kwargs={"province": filing_exit.province.slug, "pk": filing_exit.pk})


def _members(filing: Filing) -> list[User]:
    return users_with_role(filing.province, Role.INSTITUTION_MEMBER, institution=filing.institution)


def _officers(province: Province) -> list[User]:
    return users_with_role(province, Role.PROVINCIAL_OFFICER)


def _reason(text: str) -> str:
    if not text.strip():
        raise DomainError(_("请填写理由。"), code=Codes.REASON_REQUIRED, field="reason")
    return text.strip()


def _lock_filing(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(
        pk=filing.pk)


def _refuse_if_exit_open(filing: Filing) -> None:
    if FilingExit.objects.filter(filing=filing, state__in=[ExitState.REQUESTED, ExitState.WRAPPING_UP]).exists():
        raise ConflictError(_("该机构已有进行中的退出事项。"), code=Codes.EXIT_OPEN)


def _create_exit(filing: Filing, *, kind: str, reason: str, requested_on: dt.date, exit_on: dt.date,
                 actor: User | None, **extra: object) -> FilingExit:
    filing_exit = FilingExit.objects.create(
        province=filing.province, filing=filing, kind=kind, reason=reason, requested_on=requested_on,
        exit_on=exit_on, requested_by=actor, **extra)
    WrapUpTask.objects.bulk_create(WrapUpTask(exit=filing_exit, kind=k) for k in WrapUpKind.values)
    record_event(actor=actor, action="exit_opened", obj=filing_exit, province=filing.province,
                 to_state=filing_exit.state, reason=reason,
                 changes={"kind": {"before": None, "after": kind}, "exit_on": {"before": None, "after": exit_on},
                          "proposal": {"before": None, "after": f"{extra.get('proposal_type', '')}:"
                                                                 f"{extra.get('proposal_id', '')}".strip(":")}})
    return filing_exit


def _begin_wrap_up(filing_exit: FilingExit, *, due_on: dt.date, actor: User | None) -> None:
    from_state = filing_exit.state
    filing_exit.start_wrap_up(due_on)
    filing_exit.save()
    record_event(actor=actor, action="exit_wrap_up_started", obj=filing_exit, province=filing_exit.province,
                 from_state=from_state, to_state=filing_exit.state,
                 changes={"wrap_up_due_on": {"before": None, "after": due_on}})


def _end_suspension_for_exit(filing: Filing, on: dt.date) -> None:
    """A suspension in force gives way to the exit (the filing leaves suspended for exiting)."""
    suspension = Suspension.objects.select_for_update().filter(filing=filing, state=SuspensionState.IN_FORCE).first()
    if suspension is not None:
        suspension.supersede(on)
        suspension.save()
        record_event(actor=None, action="suspension_superseded", obj=suspension, province=filing.province,
                     from_state=SuspensionState.IN_FORCE, to_state=suspension.state)


# --- voluntary ---

def request_voluntary_exit(filing: Filing, *, acting_user: User, exit_on: dt.date, reason: str,
                           today: dt.date | None = None) -> FilingExit:
    """自愿终止退出: the organization asks to stop on `exit_on`, at least the notice days ahead. From now on it files
    no new exam plan; the wrap-up begins on `exit_on`."""
    require_role(acting_user, filing.province, Role.INSTITUTION_MEMBER, institution=filing.institution)
    reason = _reason(reason)
    day = today or timezone.localdate()
    earliest = earliest_voluntary_exit(filing.province, day)
    if exit_on < earliest:
        raise DomainError(
            _("自愿退出须提前%(n)d日申请：最早可申请的退出日期为%(day)s。") % {
                "n": notice_days(filing.province), "day": earliest.isoformat()},
            code=Codes.EXIT_TOO_EARLY, field="exit_on", earliest=earliest.isoformat())
    with transaction.atomic():
        locked = _lock_filing(filing)
        if locked.status not in (FilingStatus.ACTIVE, FilingStatus.SUSPENDED):
            raise InvalidTransition(_("备案当前状态为“%(s)s”，不能申请退出。") % {"s": locked.get_status_display()})
        _refuse_if_exit_open(locked)
        filing_exit = _create_exit(locked, kind=ExitKind.VOLUNTARY, reason=reason, requested_on=day,
                                   exit_on=exit_on, actor=acting_user)
        filing_services.mark_exit_requested(locked, on=day)
        notify(_officers(locked.province), title=_("机构申请自愿退出：%(org)s") % {"org": locked.institution.name},
               body=_("申请退出日期：%(day)s。%(reason)s") % {"day": exit_on.isoformat(), "reason": reason},
               link=exit_link(filing_exit), province=locked.province)
    return filing_exit


def withdraw_voluntary_exit(filing_exit: FilingExit, *, acting_user: User, reason: str) -> FilingExit:
    """The organization withdraws its request before the exit day: it may file exam plans again."""
    require_role(acting_user, filing_exit.province, Role.INSTITUTION_MEMBER, institution=filing_exit.filing.institution)
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock_exit(filing_exit)
        if locked.state != ExitState.REQUESTED:
            raise InvalidTransition(_("退出事项当前状态为“%(s)s”，不能撤回。") % {"s": locked.get_state_display()})
        locked.withdraw()
        locked.save()
        filing_services.mark_exit_requested(locked.filing, on=None)
        record_event(actor=acting_user, action="exit_withdrawn", obj=locked, province=locked.province,
                     from_state=ExitState.REQUESTED, to_state=locked.state, reason=reason)
    return locked


def _lock_exit(filing_exit: FilingExit) -> FilingExit:
    return FilingExit.objects.select_for_update(of=("self",)).select_related(
        "province", "filing__institution", "filing__province").get(pk=filing_exit.pk)


def start_due_voluntary_exit(exit_id: int, *, today: dt.date | None = None) -> bool:
    """Sweep: on the exit day the filing moves to exiting and the wrap-up begins. Re-checked under the row lock."""
    day = today or timezone.localdate()
    with transaction.atomic():
        locked = FilingExit.objects.select_for_update(of=("self",)).select_related("province", "filing").filter(
            pk=exit_id, state=ExitState.REQUESTED, exit_on__lte=day).first()
        if locked is None:
            return False
        _end_suspension_for_exit(locked.filing, locked.exit_on)
        filing_services.start_filing_exit(locked.filing, acting_user=None, kind=ExitKind.VOLUNTARY,
                                          reason=locked.reason, on=locked.exit_on)
        _begin_wrap_up(locked, due_on=wrap_up_last_day(locked.province, max(locked.exit_on, day)), actor=None)
    notify(_members(locked.filing), title=_("已进入退出收尾期"), link=exit_link(locked), province=locked.province,
           body=_("请在%(day)s前完成证书数据上报和评价资料归档，并上传佐证材料。") % {
               "day": locked.wrap_up_due_on.isoformat() if locked.wrap_up_due_on else ""})
    return True


# --- automatic ---

def start_automatic_exit(filing_id: int, *, today: dt.date | None = None) -> bool:
    """自动终止退出 (sweep): a filing past its validity with no renewal under review moves to exiting on the day after
    expiry, with the wrap-up days from then (from today when a refused renewal kept it waiting)."""
    day = today or timezone.localdate()
    with transaction.atomic():
        filing = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution").filter(
            pk=filing_id, status__in=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED], valid_until__lt=day).first()
        if filing is None or _renewal_blocks_automatic_exit(filing):
            return False
        if FilingExit.objects.filter(filing=filing, state__in=[ExitState.REQUESTED, ExitState.WRAPPING_UP]).exists():
            return False
        exit_on = filing.valid_until + dt.timedelta(days=1)
        reason = _("备案有效期已于%(day)s届满，未获续期，自动终止评价资格。") % {"day": filing.valid_until.isoformat()}
        filing_exit = _create_exit(filing, kind=ExitKind.AUTOMATIC, reason=reason, requested_on=exit_on,
                                   exit_on=exit_on, actor=None)
        _end_suspension_for_exit(filing, exit_on)
        filing_services.start_filing_exit(filing, acting_user=None, kind=ExitKind.AUTOMATIC, reason=reason,
                                          on=exit_on)
        _begin_wrap_up(filing_exit, due_on=wrap_up_last_day(filing.province, max(exit_on, day)), actor=None)
    notify([*_members(filing), *_officers(filing.province)], title=_("备案有效期届满，进入自动终止退出程序"),
           body=_("%(reason)s请在%(day)s前完成收尾工作。") % {
               "reason": reason, "day": filing_exit.wrap_up_due_on.isoformat() if filing_exit.wrap_up_due_on else ""},
           link=exit_link(filing_exit), province=filing.province)
    return True


# --- ordered ---

def order_exit(filing: Filing, *, acting_user: User, reason: str, evidence: UploadedFile | None,
               proposal_type: str = "", proposal_id: str = "", today: dt.date | None = None) -> FilingExit:
    """责令终止退出: the province orders the exit with its reason and evidence. At once the filing is exiting, every
    plan not yet held is cancelled (notices to the organization and the city), and an announcement (kind `exit`) is
    published. `proposal_type`/`proposal_id` name what proposed it (an inspection finding, an upheld complaint)."""
    require_role(acting_user, filing.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以责令退出。"))
    reason = _reason(reason)
    if evidence is None:
        raise DomainError(_("请上传责令退出的证据材料。"), code=Codes.EVIDENCE_REQUIRED, field="evidence")
    check_upload(evidence)
    day = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_filing(filing)
        if locked.status not in (FilingStatus.ACTIVE, FilingStatus.SUSPENDED):
            raise InvalidTransition(_("备案当前状态为“%(s)s”，不能责令退出。") % {"s": locked.get_status_display()})
        _refuse_if_exit_open(locked)
        filing_exit = _create_exit(locked, kind=ExitKind.ORDERED, reason=reason, requested_on=day, exit_on=day,
                                   actor=acting_user, proposal_type=proposal_type.strip()[:100],
                                   proposal_id=str(proposal_id).strip()[:40])
        filing_exit.evidence.save(evidence.name or "evidence", evidence, save=True)
        _end_suspension_for_exit(locked, day)
        filing_services.start_filing_exit(locked, acting_user=acting_user, kind=ExitKind.ORDERED, reason=reason,
                                          on=day)
        _begin_wrap_up(filing_exit, due_on=wrap_up_last_day(locked.province, day), actor=acting_user)
        cancelled = certificate_services.cancel_plans_of_filing(
            locked, acting_user=acting_user, reason=_("机构被责令终止评价活动：%(r)s") % {"r": reason}, today=day)
        notice = _announce(filing_exit, locked, acting_user=acting_user)
        filing_exit.announcement_id = notice.pk
        filing_exit.cancelled_plans = [{"id": p.pk, "title": p.title} for p in cancelled]
        filing_exit.save(update_fields=["announcement_id", "cancelled_plans", "updated_at"])
    notify(_members(locked), title=_("责令终止评价活动"), body=reason, link=exit_link(filing_exit),
           province=locked.province)
    return filing_exit


def _announce(filing_exit: FilingExit, filing: Filing, *, acting_user: User) -> publicity.PublicityNotice:
    title = _("关于责令%(org)s终止职业技能等级认定活动的公告") % {"org": filing.institution.name}
    body = _("经查，%(org)s（备案编号%(number)s）存在严重违法违规行为，依据《贵州省职业技能等级认定机构遴选及退出实施细则》"
             "等规定，自%(day)s起责令其终止评价活动，移出评价机构目录。该机构此前依规颁发的证书继续有效，可通过证书查询核验。") % {
        "org": filing.institution.name, "number": filing.filing_number, "day": filing_exit.exit_on.isoformat()}
    return publicity.publish_notice(
        filing.province, kind=EXIT_KIND, title=title, body=body, acting_user=acting_user, source=f"exit:{filing_exit.pk}",
        working_days=pack_for(filing.province).settings.publicity_working_days,
        items=[publicity.ItemSpec(object_type=FilingExit._meta.label_lower, object_id=str(filing_exit.pk),
                                  title=filing.institution.name, detail=filing_exit.reason[:300])])


# --- wrap-up and confirmation ---

def complete_wrap_up_task(task: WrapUpTask, *, acting_user: User, evidence: UploadedFile | None,
                          note: str = "") -> WrapUpTask:
    """The organization ticks off a wrap-up task with its evidence (checked like every upload)."""
    filing = task.exit.filing
    require_role(acting_user, filing.province, Role.INSTITUTION_MEMBER, institution=filing.institution)
    if evidence is None:
        raise DomainError(_("请上传佐证材料。"), code=Codes.EVIDENCE_REQUIRED, field="evidence")
    check_upload(evidence)
    with transaction.atomic():
        locked = WrapUpTask.objects.select_for_update(of=("self",)).select_related("exit__province").get(pk=task.pk)
        if locked.exit.state not in (ExitState.REQUESTED, ExitState.WRAPPING_UP):
            raise InvalidTransition(_("退出事项已结束，不能再提交收尾材料。"))
        before = locked.evidence_name
        locked.evidence.save(evidence.name or "evidence", evidence, save=False)
        locked.evidence_name = (evidence.name or "")[:200]
        locked.note = note.strip()
        locked.done_at, locked.done_by = timezone.now(), acting_user
        locked.save()
        record_event(actor=acting_user, action="wrap_up_task_done", obj=locked.exit, province=locked.exit.province,
                     reason=str(locked.get_kind_display()),
                     changes={"task": {"before": before or None, "after": f"{locked.kind}: {locked.evidence_name}"}})
    return locked


def confirm_exit(filing_exit: FilingExit, *, acting_user: User, reason: str = "") -> FilingExit:
    """The province confirms the exit: the filing is terminated and the termination notice issued (PDF after commit).
    Every wrap-up task must be done — unless the wrap-up is overdue, when the province terminates anyway."""
    require_role(acting_user, filing_exit.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以确认退出。"))
    day = timezone.localdate()
    with transaction.atomic():
        locked = _lock_exit(filing_exit)
        if locked.state != ExitState.WRAPPING_UP:
            raise InvalidTransition(_("退出事项当前状态为“%(s)s”，不能确认终止。") % {"s": locked.get_state_display()})
        open_tasks = [str(t.get_kind_display()) for t in locked.tasks.all() if not t.is_done]
        if open_tasks and not locked.is_overdue(day):
            raise DomainError(_("收尾工作尚未完成：%(tasks)s。") % {"tasks": "、".join(open_tasks)},
                              code=Codes.WRAP_UP_INCOMPLETE, tasks=open_tasks)
        text = reason.strip() or _("%(kind)s，收尾工作已完成。") % {"kind": locked.get_kind_display()}
        if open_tasks:
            text = _("收尾期已于%(day)s届满，仍有未完成事项：%(tasks)s。") % {
                "day": locked.wrap_up_due_on.isoformat() if locked.wrap_up_due_on else "", "tasks": "、".join(open_tasks)}
        filing_services.terminate_filing(locked.filing, acting_user=acting_user, kind=locked.kind, reason=text)
        locked.terminate(day)
        locked.notice_number = _next_notice_number(locked.province, day.year)
        locked.save()
        record_event(actor=acting_user, action="exit_confirmed", obj=locked, province=locked.province,
                     from_state=ExitState.WRAPPING_UP, to_state=locked.state, reason=text,
                     changes={"notice_number": {"before": "", "after": locked.notice_number},
                              "terminated_on": {"before": None, "after": day}})
        transaction.on_commit(lambda: _queue_notice(locked.pk))
    notify(_members(locked.filing), title=_("终止评价活动通知书已出具"), body=locked.notice_number,
           link=exit_link(locked), province=locked.province)
    return locked


def _next_notice_number(province: Province, year: int) -> str:
    value = filing_services.next_counter_value(province, f"exit_notice:{year}")
    return f"{filing_services.province_abbreviation(province)}技评终〔{year}〕{value}号"


def _queue_notice(exit_id: int) -> None:
    from ..tasks import render_termination_notice

    render_termination_notice.delay(exit_id)


def render_termination_notice(exit_id: int) -> bool:
    """Render the termination notice (终止评价活动通知书) once and store it. Idempotent."""
    from django.core.files.base import ContentFile

    from portal.documents import render_pdf

    filing_exit = FilingExit.objects.select_related("province", "filing__institution", "filing__city").get(pk=exit_id)
    if filing_exit.notice_pdf or filing_exit.state != ExitState.TERMINATED:
        return False
    pdf = render_pdf("documents/termination_notice.html", {
        "exit": filing_exit, "filing": filing_exit.filing,
        "issuing_body": filing_services.issuing_body(filing_exit.province)})
    with transaction.atomic():
        locked = FilingExit.objects.select_for_update(of=("self",)).get(pk=exit_id)
        if locked.notice_pdf:
            return False
        locked.notice_pdf.save(f"termination-notice-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.save(update_fields=["notice_pdf", "updated_at"])
        record_event(actor=None, action="termination_notice_rendered", obj=locked, province=locked.province,
                     changes={"notice_pdf": {"before": "", "after": locked.notice_pdf.name}})
    return True



# --- sweeps ---

def flag_overdue_wrap_up(exit_id: int, *, today: dt.date | None = None) -> bool:
    """Sweep: a wrap-up past its last day is flagged once (逾期未完成收尾) and the province told."""
    day = today or timezone.localdate()
    with transaction.atomic():
        locked = FilingExit.objects.select_for_update(of=("self",)).select_related("province", "filing__institution").filter(
            pk=exit_id, state=ExitState.WRAPPING_UP, wrap_up_due_on__lt=day, overdue_flagged_on__isnull=True).first()
        if locked is None:
            return False
        locked.overdue_flagged_on = day
        locked.save(update_fields=["overdue_flagged_on", "updated_at"])
        open_tasks = [str(t.get_kind_display()) for t in locked.tasks.all() if not t.is_done]
        record_event(actor=None, action="exit_wrap_up_overdue", obj=locked, province=locked.province,
                     reason="、".join(open_tasks), changes={"overdue_flagged_on": {"before": None, "after": day}})
    notify([*_officers(locked.province), *_members(locked.filing)],
           title=_("退出收尾逾期：%(org)s") % {"org": locked.filing.institution.name},
           body=_("收尾期已于%(day)s届满，未完成：%(tasks)s") % {
               "day": locked.wrap_up_due_on.isoformat() if locked.wrap_up_due_on else "",
               "tasks": "、".join(open_tasks) or "—"},
           link=exit_link(locked), province=locked.province)
    return True


def sweep_exits(today: dt.date | None = None) -> dict[str, int]:
    """The daily exit sweeps, each through its index and re-checked per row: voluntary exits reaching their day,
    filings past their validity (automatic exit), and wrap-ups past their last day."""
    from portal.sweeps import sweep

    day = today or timezone.localdate()
    voluntary = sweep(FilingExit.objects.filter(state=ExitState.REQUESTED, exit_on__lte=day),
                      lambda pk: start_due_voluntary_exit(pk, today=day))
    automatic = sweep(Filing.objects.filter(status__in=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED],
                                            valid_until__lt=day),
                      lambda pk: start_automatic_exit(pk, today=day))
    overdue = sweep(FilingExit.objects.filter(state=ExitState.WRAPPING_UP, wrap_up_due_on__lt=day,
                                              overdue_flagged_on__isnull=True),
                    lambda pk: flag_overdue_wrap_up(pk, today=day))
    return {"voluntary": voluntary.acted, "automatic": automatic.acted, "overdue": overdue.acted}
