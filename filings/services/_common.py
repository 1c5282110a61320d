"""Helpers the service modules of filings share: role rules on an object, the transition, links, locks."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from portal.audit import diff, record_event, snapshot as field_values
from portal.errors import ConflictError, InvalidTransition, NotPermitted
from portal.models import (
    City,
    Institution,
    Occupation,
    Province,
    Role,
    SkillLevel,
    User,
    WorkType,
)
from portal.punctuation import enumeration
from portal.roles import has_role, require_role, users_with_role

from ..errors import Codes
from ..models import (
    AdditionState,
    Application,
    ApplicationState,
    Call,
    Cultivation,
    CultivationOccupationState,
    CultivationState,
    Filing,
    OccupationAddition,
    Route,
)

S = ApplicationState
# An application that ends here ends the addition of occupations it carries (refused at city review or selection,
# or withdrawn by the organization).
_REFUSES_ITS_ADDITION = frozenset({S.NOT_RECOMMENDED, S.NOT_SELECTED, S.WITHDRAWN})


def _require_city_reviewer(user: User, application: Application) -> None:
    """The province's officers, or on the city route the officers of the application's city."""
    if has_role(user, application.province, Role.PROVINCIAL_OFFICER):
        return
    if application.route == Route.CITY and has_role(user, application.province, Role.CITY_OFFICER,
                                                    city=application.city):
        return
    raise NotPermitted(_("只有申请所在地市的经办人员或省级经办人员可以办理此事项。"))


def _require_officer_or_system(acting_user: User | None, province: Province) -> None:
    """Sweeps act as the system (acting_user None); people must be provincial officers."""
    if acting_user is not None:
        require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))


# The columns a transition may change besides the state (foreign keys by their id column, no extra query).
_AUDITED_COLUMNS = [
    f.attname for f in Application._meta.concrete_fields if f.attname not in ("id", "state", "created_at", "updated_at")
]


def _new_draft(call: Call, institution: Institution, *, city: City, actor: User,
               facts: dict[str, Any] | None = None) -> Application:
    """A new draft application of the institution in the call, and its audit event (inside the caller's transaction)."""
    application = Application.objects.create(
        province=call.province, call=call, institution=institution, city=city, category=institution.category,
        facts=facts or {}, created_by=actor,
    )
    record_event(actor=actor, action="application_created", obj=application, province=call.province,
                 to_state=application.state)
    return application


def _refuse_addition_of(application: Application, *, actor: User | None, reason: str) -> None:
    """The addition of occupations this application carried is refused with it (inside the caller's transaction)."""
    addition = (OccupationAddition.objects.select_for_update(of=("self",))
                .filter(application=application, state=AdditionState.SUBMITTED).first())
    if addition is None:
        return
    why = reason or application.decision_reason or _("遴选申请%(state)s") % {"state": application.get_state_display()}
    addition.refuse(why)
    addition.save()
    record_event(actor=actor, action="occupation_addition_refused", obj=addition, province=application.province,
                 from_state=AdditionState.SUBMITTED, to_state=addition.state, reason=why,
                 changes={"state": {"before": AdditionState.SUBMITTED, "after": addition.state}})


def _transition(
    application: Application,
    *,
    acting_user: User | None,
    action: str,
    do: Callable[[Application], None],
    allowed: Callable[[Application], Any],
    reason: str = "",
    extra_changes: dict[str, Any] | None = None,
    before_save: Callable[[Application], None] | None = None,
) -> Application:
    """Lock the row, check the move, make it, save, audit. Raises InvalidTransition / ConflictError.

    The audit event records the state and every other column the move changed (route, reviewer, reason, dates).
    """
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().select_related(
                "province", "call", "institution", "city"
            ).get(pk=application.pk)
            if locked.state != application.state:
                raise ConflictError(
                    _("该申请刚刚已被处理（当前状态：%(state)s），请刷新页面查看。")
                    % {"state": locked.get_state_display()}
                )
            if not can_proceed(allowed(locked)):
                raise InvalidTransition(
                    _("申请当前状态为“%(state)s”，不能执行该操作。") % {"state": locked.get_state_display()}
                )
            before = field_values(locked, _AUDITED_COLUMNS)
            if before_save is not None:
                before_save(locked)
            from_state = locked.state
            do(locked)
            locked.save()
            record_event(
                actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                to_state=locked.state, reason=reason, changes={"state": {"before": from_state, "after": locked.state},
                                                               **diff(before, field_values(locked, _AUDITED_COLUMNS)),
                                                               **(extra_changes or {})},
            )
            if locked.state in _REFUSES_ITS_ADDITION:
                _refuse_addition_of(locked, actor=acting_user, reason=reason)
    except ConcurrentTransition as exc:
        raise ConflictError(_("该申请刚刚已被他人处理，请刷新页面查看。")) from exc
    application.refresh_from_db()
    return locked


def _applicant_link(application: Application) -> str:
    return reverse("filings:application_detail", kwargs={"province": application.province.slug, "pk": application.pk})


def _review_link(application: Application) -> str:
    return reverse("filings:review_detail", kwargs={"province": application.province.slug, "pk": application.pk})


CO = CultivationOccupationState


@dataclass(frozen=True)
class ScopeLine:
    """One occupation (and work type) with its levels, as it enters a cultivation or a filing."""

    occupation: Occupation
    work_type: WorkType | None
    levels: Sequence[int]

    def as_dict(self) -> dict[str, Any]:
        levels = sorted({int(x) for x in self.levels}, reverse=True)
        return {
            "code": self.occupation.code,
            "occupation": self.occupation.name,
            "work_type": self.work_type.name if self.work_type else "",
            "levels": levels,
            "level_labels": enumeration(SkillLevel(x).label for x in levels),
        }


def _institution_members(institution: Institution) -> list[User]:
    return users_with_role(institution.province, Role.INSTITUTION_MEMBER, institution=institution)


def _cultivation_link(cultivation: Cultivation) -> str:
    return reverse("filings:cultivation_detail", kwargs={"province": cultivation.province.slug, "pk": cultivation.pk})


def _filing_link(filing: Filing) -> str:
    return reverse("filings:filing_detail", kwargs={"province": filing.province.slug, "pk": filing.pk})


def _lock_cultivation(cultivation: Cultivation) -> Cultivation:
    return Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(
        pk=cultivation.pk
    )


def _require_active(cultivation: Cultivation, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if cultivation.state != CultivationState.ACTIVE or today > cultivation.ends_on:
        raise InvalidTransition(
            _("培育辅导期已于%(end)s结束（当前状态：%(state)s），不能再办理培育任务。")
            % {"end": cultivation.ends_on.isoformat(), "state": cultivation.get_state_display()},
            code=Codes.CULTIVATION_NOT_ACTIVE,
        )


def _queue(task_name: str, *args: Any) -> None:
    """Start a filings task (call only from transaction.on_commit)."""
    from .. import tasks

    getattr(tasks, task_name).delay(*args)
