"""Suspensions (暂停) of a filing: an officer suspends it for a period with a reason (e.g. pending rectification);
it resumes by decision, or by the sweep on the day after the period's last day. While suspended the filing files no
exam plan and issues no certificate (certificates refuses with `filing_not_active`)."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import services as filing_services
from filings.models import Filing, FilingStatus
from portal.audit import record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import Role, User
from portal.notifications import notify
from portal.roles import require_role, users_with_role

from ..errors import Codes
from ..models import Suspension, SuspensionEnd, SuspensionState


def suspension_link(suspension: Suspension) -> str:
    return reverse("supervision:suspension_detail", kwargs={"province": suspension.province.slug, "pk": suspension.pk})


def suspend(filing: Filing, *, acting_user: User, reason: str, ends_on: dt.date,
            today: dt.date | None = None) -> Suspension:
    """Suspend an active filing from today to `ends_on` (its last day), with the reason."""
    require_role(acting_user, filing.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以暂停备案。"))
    day = today or timezone.localdate()
    if not reason.strip():
        raise DomainError(_("请填写暂停理由。"), code=Codes.REASON_REQUIRED, field="reason")
    if ends_on < day:
        raise DomainError(_("暂停截止日不能早于今天（%(day)s）。") % {"day": day.isoformat()},
                          code=Codes.SUSPENSION_PERIOD_INVALID, field="ends_on")
    if filing.status != FilingStatus.ACTIVE:
        raise InvalidTransition(_("备案当前状态为“%(s)s”，只有有效备案可以暂停。") % {"s": filing.get_status_display()})
    with transaction.atomic():
        filing_services.suspend_filing(filing, acting_user=acting_user, reason=reason)
        suspension = Suspension.objects.create(province=filing.province, filing=filing, reason=reason.strip(),
                                               starts_on=day, ends_on=ends_on, decided_by=acting_user)
        record_event(actor=acting_user, action="suspension_started", obj=suspension, province=filing.province,
                     to_state=suspension.state, reason=suspension.reason,
                     changes={"period": {"before": None, "after": f"{day.isoformat()}—{ends_on.isoformat()}"}})
    return suspension


def _end(suspension_id: int, *, actor: User | None, how: str, reason: str, day: dt.date,
         due_only: bool) -> Suspension | None:
    with transaction.atomic():
        qs = Suspension.objects.select_for_update(of=("self",)).select_related("province", "filing__institution")
        locked = qs.filter(pk=suspension_id).first()
        if locked is None or locked.state != SuspensionState.IN_FORCE or (due_only and locked.ends_on >= day):
            return None
        locked.end(day, how, reason)
        locked.save()
        filing_services.reinstate_filing(locked.filing, acting_user=actor, reason=reason)
        record_event(actor=actor, action="suspension_ended", obj=locked, province=locked.province,
                     from_state=SuspensionState.IN_FORCE, to_state=locked.state, reason=reason,
                     changes={"ended_how": {"before": "", "after": how}, "ended_on": {"before": None, "after": day}})
    return locked


def resume(suspension: Suspension, *, acting_user: User, reason: str, today: dt.date | None = None) -> Suspension:
    """Resume the filing by decision before the period ends (e.g. rectification accepted)."""
    require_role(acting_user, suspension.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以恢复备案。"))
    if not reason.strip():
        raise DomainError(_("请填写恢复理由。"), code=Codes.REASON_REQUIRED, field="reason")
    ended = _end(suspension.pk, actor=acting_user, how=SuspensionEnd.DECISION, reason=reason.strip(),
                 day=today or timezone.localdate(), due_only=False)
    if ended is None:
        raise InvalidTransition(_("该暂停已结束，不能再次恢复。"))
    return ended


def end_due_suspension(suspension_id: int, *, today: dt.date | None = None) -> bool:
    """Sweep: a suspension whose last day has passed ends, and the filing is active again (from the day after)."""
    day = today or timezone.localdate()
    ended = _end(suspension_id, actor=None, how=SuspensionEnd.END_DATE, day=day, due_only=True,
                 reason=_("暂停期限届满，自动恢复。"))
    if ended is None:
        return False
    notify(users_with_role(ended.province, Role.INSTITUTION_MEMBER, institution=ended.filing.institution),
           title=_("暂停期限届满，备案已恢复有效"), body=ended.reason, link=suspension_link(ended),
           province=ended.province)
    return True


def sweep_suspensions(today: dt.date | None = None) -> int:
    """Daily: every suspension whose last day is before today ends (index suspension_due), re-checked per row."""
    from portal.sweeps import sweep

    day = today or timezone.localdate()
    return sweep(Suspension.objects.filter(state=SuspensionState.IN_FORCE, ends_on__lt=day),
                 lambda pk: end_due_suspension(pk, today=day)).acted
