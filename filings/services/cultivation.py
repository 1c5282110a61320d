"""The cultivation period (培育辅导期): its start, the commitment letter, its end on the last day and reminders."""

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import (
    City,
    Institution,
    Province,
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import require_role

from .. import selectors
from ..errors import Codes
from ..models import (
    Application,
    Cultivation,
    CultivationOccupation,
    CultivationReminder,
    CultivationState,
    CultivationTask,
    Filing,
    OccupationAddition,
    TaskKind,
)
from ..policies.checks import to_bool
from ._common import (
    CO,
    ScopeLine,
    _cultivation_link,
    _institution_members,
    _lock_cultivation,
    _queue,
    _require_active,
    _require_officer_or_system,
    _transition,
)
from .filing import file_application

REMINDER_DAYS_BEFORE = (30, 7, 1)  # notices before the last day of a cultivation


def cultivation_end(start: dt.date, days: int) -> dt.date:
    """The last day of a cultivation of `days` days starting on `start` (day 1): start + days - 1."""
    return start + dt.timedelta(days=days - 1)


def enters_cultivation_at_submission(application: Application) -> bool:
    """Chain-leader cultivation units (链主培育单位, 001 四(一)4) skip selection and enter cultivation directly."""
    pack = selectors.pack_for(application.province)
    return pack.settings.has_cultivation and bool(to_bool(application.facts.get("is_chain_leader")))


def _open_cultivation(
    *, province: Province, institution: Institution, city: City, lines: Sequence[ScopeLine], actor: User | None,
    application: Application | None = None, addition: OccupationAddition | None = None, filing: Filing | None = None,
    reason: str = "",
) -> Cultivation:
    """Create the cultivation, its occupations and their two tasks each (inside the caller's transaction)."""
    pack = selectors.pack_for(province)
    today = timezone.localdate()
    cultivation = Cultivation.objects.create(
        province=province, institution=institution, city=city, application=application, addition=addition,
        filing=filing, started_on=today, ends_on=cultivation_end(today, pack.settings.cultivation_days),
    )
    for line in lines:
        item = CultivationOccupation.objects.create(
            cultivation=cultivation, occupation=line.occupation, work_type=line.work_type,
            levels=sorted({int(x) for x in line.levels}, reverse=True),
        )
        CultivationTask.objects.bulk_create(CultivationTask(occupation=item, kind=kind) for kind in TaskKind.values)
    record_event(
        actor=actor, action="cultivation_started", obj=cultivation, province=province, to_state=cultivation.state,
        reason=reason, changes={
            "started_on": {"before": None, "after": cultivation.started_on.isoformat()},
            "ends_on": {"before": None, "after": cultivation.ends_on.isoformat()},
            "occupations": {"before": None, "after": [line.as_dict()["code"] for line in lines]},
        },
    )
    return cultivation


def _notify_cultivation_started(cultivation: Cultivation) -> None:
    notify(
        _institution_members(cultivation.institution),
        title=_("已进入培育辅导期，请签署培育机构工作承诺书"),
        body=_("培育辅导期自%(start)s起至%(end)s止（共%(days)d天，含当天）。签署承诺书后方可提交试题资源。") % {
            "start": cultivation.started_on.isoformat(), "end": cultivation.ends_on.isoformat(),
            "days": (cultivation.ends_on - cultivation.started_on).days + 1,
        },
        link=_cultivation_link(cultivation), province=cultivation.province,
    )


def _addition_carried_by(application: Application, *, actor: User | None, reason: str) -> OccupationAddition | None:
    """The addition of occupations a selected application carries enters cultivation with it: the cultivation is the
    addition's (one source) and belongs to the existing filing (inside the caller's transaction)."""
    addition = (OccupationAddition.objects.select_for_update(of=("self",)).select_related("filing")
                .filter(application=application).first())
    if addition is None:
        return None
    from_state = addition.state
    addition.start_cultivation()
    addition.save()
    record_event(actor=actor, action="occupation_addition_cultivation_started", obj=addition,
                 province=application.province, from_state=from_state, to_state=addition.state, reason=reason)
    return addition


def _start_cultivation(application: Application, *, actor: User | None, reason: str) -> Cultivation:
    created: dict[str, Cultivation] = {}

    def do(locked: Application) -> None:
        locked.start_cultivation()
        lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                 for o in locked.occupations.select_related("occupation", "work_type")]
        if not lines:
            raise DomainError(_("申请没有申报职业，不能进入培育辅导期。"), code=Codes.NO_OCCUPATIONS)
        addition = _addition_carried_by(locked, actor=actor, reason=reason)
        created["cultivation"] = _open_cultivation(
            province=locked.province, institution=locked.institution, city=locked.city, lines=lines, actor=actor,
            application=locked if addition is None else None, addition=addition,
            filing=addition.filing if addition is not None else None, reason=reason,
        )

    _transition(application, acting_user=actor, action="application_cultivation_started", do=do,
                allowed=lambda a: a.start_cultivation, reason=reason)
    cultivation = created["cultivation"]
    _notify_cultivation_started(cultivation)
    return cultivation


def start_cultivation(application: Application, *, acting_user: User | None, reason: str = "") -> Cultivation:
    """Publicity ended with no upheld objection (or a chain-leader unit submitted): cultivation begins today."""
    _require_officer_or_system(acting_user, application.province)
    if not selectors.pack_for(application.province).settings.has_cultivation:
        raise DomainError(_("本省没有培育辅导期。"), code=Codes.NO_CULTIVATION_IN_PROVINCE)
    return _start_cultivation(application, actor=acting_user, reason=reason)


def advance_after_publicity(application: Application, *, acting_user: User | None = None) -> Cultivation | Filing:
    """What follows a publicity that ended with no upheld objection, by the province's pack.

    Called by selection right after end_application_publicity. Guangdong (has_cultivation): the cultivation starts;
    Shandong (assigns_institution_code): filed with an institution code and a receipt; elsewhere filed with a letter.
    """
    pack = selectors.pack_for(application.province)
    if pack.settings.has_cultivation:
        return start_cultivation(application, acting_user=acting_user, reason=_("公示期满无异议，进入培育辅导期"))
    return file_application(application, acting_user=acting_user)


def sign_commitment(
    cultivation: Cultivation, *, acting_user: User, signer_name: str, signer_title: str
) -> Cultivation:
    """The organization signs the province's commitment letter (培育机构工作承诺书); the PDF is rendered after commit."""
    require_role(acting_user, cultivation.institution.province, Role.INSTITUTION_MEMBER, institution=cultivation.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    signer_name, signer_title = signer_name.strip(), signer_title.strip()
    if not signer_name or not signer_title:
        raise DomainError(_("请填写签署人姓名和职务。"), code=Codes.COMMITMENT_SIGNER_MISSING)
    text = selectors.pack_for(cultivation.province).commitment_letter
    if not text:
        raise DomainError(_("本省政策包没有培育机构工作承诺书。"), code=Codes.NO_COMMITMENT_LETTER)
    with transaction.atomic():
        locked = _lock_cultivation(cultivation)
        if locked.commitment_signed_at is not None:  # signed already
            raise ConflictError(
                _("承诺书已于%(at)s由%(name)s签署。") % {
                    "at": timezone.localtime(locked.commitment_signed_at).strftime("%Y-%m-%d %H:%M"),
                    "name": locked.commitment_signer_name},
                code=Codes.COMMITMENT_ALREADY_SIGNED,
            )
        _require_active(locked)
        locked.commitment_text = text
        locked.commitment_signer_name = signer_name
        locked.commitment_signer_title = signer_title
        locked.commitment_signed_at = timezone.now()
        locked.commitment_signed_by = acting_user
        locked.save(update_fields=["commitment_text", "commitment_signer_name", "commitment_signer_title",
                                   "commitment_signed_at", "commitment_signed_by"])
        record_event(
            actor=acting_user, action="commitment_signed", obj=locked, province=locked.province, reason=text,
            changes={"commitment_signer_name": {"before": "", "after": signer_name},
                     "commitment_signer_title": {"before": "", "after": signer_title},
                     "commitment_signed_at": {"before": None, "after": locked.commitment_signed_at}},
        )
        transaction.on_commit(lambda: _queue("render_commitment_letter", locked.pk))
    return locked


def end_cultivation(cultivation_id: int, *, today: dt.date, actor: User | None = None) -> str | None:
    """The last day of a cultivation has ended: eliminate what is unfinished (001 四(三), "含当天").

    Unfinished occupations are eliminated; a cultivation with accepted occupations awaits the province's filing
    decision (ended); one with nothing accepted or filed is eliminated, and so is its application. Re-checks the
    state under the lock, so a second run (or a cultivation that is not due) changes nothing and returns None.
    """
    with transaction.atomic():
        locked = (Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution", "application")
                  .filter(pk=cultivation_id).first())
        if locked is None or locked.state != CultivationState.ACTIVE or locked.ends_on >= today:
            return None
        items = list(locked.occupations.select_for_update(of=("self",)).select_related("occupation", "work_type"))
        for item in items:
            if item.state == CO.IN_PROGRESS:
                item.eliminate()
                item.save(update_fields=["state", "closed_at"])
                record_event(
                    actor=actor, action="cultivation_occupation_eliminated", obj=locked, province=locked.province,
                    from_state=CO.IN_PROGRESS, to_state=CO.ELIMINATED, reason=_("培育期终止（含当天）未完成相关任务"),
                    changes={str(item): {"before": CO.IN_PROGRESS, "after": CO.ELIMINATED}},
                )
        states = {item.state for item in items}
        from_state = locked.state
        if CO.ACCEPTED in states:
            locked.end()
        elif CO.FILED in states:
            locked.complete()
        else:
            locked.eliminate()
        locked.save(update_fields=["state", "closed_at"])
        record_event(actor=actor, action=f"cultivation_{locked.state}", obj=locked, province=locked.province,
                     from_state=from_state, to_state=locked.state, reason=_("培育期终止"),
                     changes={"state": {"before": from_state, "after": locked.state}})
        if locked.state == CultivationState.ELIMINATED:
            _eliminate_source(locked, actor=actor)
    eliminated = [str(i) for i in items if i.state == CO.ELIMINATED]
    if locked.state == CultivationState.ELIMINATED:
        title = _("培育期已终止，未完成培育任务，已自然淘汰")
    elif eliminated:
        title = _("培育期已终止，未完成的职业已自然淘汰：%(list)s") % {"list": "、".join(eliminated)}
    else:
        title = _("培育期已终止")
    notify(_institution_members(locked.institution), title=title, link=_cultivation_link(locked),
           province=locked.province)
    return str(locked.state)


def _eliminate_application(application_id: int, *, province: Province, actor: User | None) -> None:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
    if can_proceed(application.eliminate):
        from_state = application.state
        application.eliminate()
        application.save()
        record_event(actor=actor, action="application_eliminated", obj=application, province=province,
                     from_state=from_state, to_state=application.state, reason=_("培育期终止未通过验收"),
                     changes={"state": {"before": from_state, "after": application.state}})


def _eliminate_source(cultivation: Cultivation, *, actor: User | None) -> None:
    """The application or the addition (and the application carrying it) whose cultivation ended with nothing."""
    if cultivation.application_id is not None:
        _eliminate_application(cultivation.application_id, province=cultivation.province, actor=actor)
    if cultivation.addition_id is not None:
        addition = OccupationAddition.objects.select_for_update(of=("self",)).get(pk=cultivation.addition_id)
        if addition.application_id is not None:
            _eliminate_application(addition.application_id, province=cultivation.province, actor=actor)
        if can_proceed(addition.eliminate):
            from_state = addition.state
            addition.eliminate()
            addition.save()
            record_event(actor=actor, action="occupation_addition_eliminated", obj=addition,
                         province=cultivation.province, from_state=from_state, to_state=addition.state,
                         changes={"state": {"before": from_state, "after": addition.state}})


def remind_cultivation(cultivation_id: int, *, days_before: int, today: dt.date) -> bool:
    """Send the reminder `days_before` the last day, once (the CultivationReminder row records it)."""
    with transaction.atomic():
        cultivation = (Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution")
                       .filter(pk=cultivation_id, state=CultivationState.ACTIVE).first())
        if cultivation is None or cultivation.ends_on <= today:
            return False
        try:
            with transaction.atomic():
                CultivationReminder.objects.create(cultivation=cultivation, days_before=days_before)
        except IntegrityError:
            return False
        notify(
            _institution_members(cultivation.institution),
            title=_("培育辅导期将于%(end)s结束，距最后一天还有%(n)d天") % {
                "n": (cultivation.ends_on - today).days, "end": cultivation.ends_on.isoformat()},
            body=_("未在培育期内完成试题资源开发和考务培训并通过验收的职业将自然淘汰。"),
            link=_cultivation_link(cultivation), province=cultivation.province,
        )
    return True
