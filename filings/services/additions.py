"""Adding occupations to a live filing: the application, a chain-leader unit's cultivation, the province's selection."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition
from portal.models import (
    Role,
    SkillLevel,
    User,
)
from portal.notifications import notify
from portal.punctuation import clauses, enumeration
from portal.roles import require_role, users_with_role

from .. import selectors
from ..errors import Codes
from ..models import (
    AdditionOccupation,
    AdditionState,
    Application,
    ApplicationOccupation,
    Call,
    Cultivation,
    Filing,
    FilingStatus,
    OccupationAddition,
)
from ..policies import ApplicationFacts, Verdict
from ..policies.base import OccupationChoice, SelectionBy
from ._common import (
    S,
    ScopeLine,
    _filing_link,
    _institution_members,
    _new_draft,
)
from .cultivation import _notify_cultivation_started, _open_cultivation
from .filing import _add_to_filing


def _occupation_scope_problems(filing: Filing, lines: Sequence[ScopeLine]) -> list[str]:
    """The pack's occupation-scope rules (those that read only the occupations) on the filing's scope plus the new."""
    pack = selectors.pack_for(filing.province)
    current = [ScopeLine(o.occupation, o.work_type, o.levels)
               for o in filing.occupations.select_related("occupation", "work_type")]
    facts = ApplicationFacts(
        category=filing.institution.category, nature=filing.institution.nature, level=filing.institution.level,
        registered_province_code=filing.institution.credit_code[2:4],
        occupations=tuple(
            OccupationChoice(
                code=line.occupation.code, name=line.occupation.name,
                levels=tuple(sorted({int(x) for x in line.levels}, reverse=True)),
                is_skill_type=line.occupation.is_skill_type, has_national_standard=line.occupation.has_national_standard,
                has_evaluation_norm=line.occupation.has_evaluation_norm, is_access_type=line.occupation.is_access_type,
                work_type=line.work_type.name if line.work_type else "",
            )
            for line in [*current, *lines]
        ),
    )
    problems = []
    for rule in pack.rules_for(facts.category):
        if rule.reads == ("occupations",):
            verdict, reason = rule.check(facts)
            if verdict == Verdict.FAIL:
                problems.append(reason)
    not_allowed = sorted({x for line in lines for x in line.levels if int(x) not in pack.settings.allowed_levels})
    if not_allowed:
        problems.append(_("本省不受理以下等级：%(levels)s") % {
            "levels": enumeration(SkillLevel(x).label for x in not_allowed)})
    return problems


def _addition_keys(lines: Sequence[ScopeLine]) -> list[tuple[int, int | None]]:
    """Refuse an empty, ill-levelled or repeated list of new occupations; return their (occupation, work type) keys."""
    if not lines:
        raise DomainError(_("请至少填写一个新增职业（工种）。"), code=Codes.NO_OCCUPATIONS)
    if any(not line.levels or any(int(x) not in SkillLevel.values for x in line.levels) for line in lines):
        raise DomainError(_("请为每个新增职业选择有效的技能等级。"), code=Codes.LEVELS_INVALID)
    keys = [(line.occupation.pk, line.work_type.pk if line.work_type else None) for line in lines]
    if len(set(keys)) != len(keys):
        raise DomainError(_("新增职业有重复。"), code=Codes.OCCUPATION_DUPLICATE)
    return keys


def _check_may_add(
    locked: Filing, lines: Sequence[ScopeLine], keys: list[tuple[int, int | None]], *, conditions_met: bool
) -> None:
    """Refuse an addition the locked filing cannot take: not active, conditions unmet, already filed, out of scope."""
    if locked.status != FilingStatus.ACTIVE:
        raise InvalidTransition(
            _("本机构备案状态为“%(state)s”，不能申请新增职业（工种）；只有备案有效的机构可以申请。")
            % {"state": locked.get_status_display()},
            code=Codes.FILING_NOT_ACTIVE,
        )
    if not conditions_met:
        raise DomainError(
            _("申请新增职业须已自主完成至少一个职业试题审核备案，并已正常开展职业技能等级认定工作。"),
            code=Codes.ADDITION_CONDITIONS_NOT_MET,
        )
    existing = {(o.occupation_id, o.work_type_id) for o in locked.occupations.all()}
    pending = {(o.occupation_id, o.work_type_id) for o in AdditionOccupation.objects.filter(
        addition__filing=locked, addition__state__in=[AdditionState.SUBMITTED, AdditionState.CULTIVATING])}
    clash = [line.occupation.name for line, key in zip(lines, keys, strict=True) if key in existing | pending]
    if clash:
        raise DomainError(_("以下职业已在备案范围内或正在申请中：%(list)s") % {"list": "、".join(clash)},
                          code=Codes.OCCUPATION_ALREADY_FILED)
    problems = _occupation_scope_problems(locked, lines)
    if problems:
        raise DomainError(_("新增职业不符合本省职业范围：") + clauses(problems), code=Codes.OCCUPATION_NOT_ADMITTED,
                          problems=[str(p) for p in problems])


def _chain_leader_cultivates(locked: Filing, is_chain_leader: bool) -> bool:
    """Whether the new occupations go straight to cultivation: a chain-leader cultivation unit in a pack with
    cultivation (001 四(一)4); any other Guangdong addition is selected first, as a new application is."""
    return is_chain_leader and selectors.pack_for(locked.province).settings.has_cultivation


def _selected_like_an_application(locked: Filing, is_chain_leader: bool) -> bool:
    """Whether the addition goes through the province's selection as a new application does: any addition in a pack
    where the province selects and cultivates, except a chain-leader unit's (001 二(二), 四(一)4)."""
    pack_settings = selectors.pack_for(locked.province).settings
    return (not is_chain_leader and pack_settings.has_cultivation
            and pack_settings.selection_by == SelectionBy.PROVINCE)


def _open_call(locked: Filing) -> Call:
    """The province's call open for applications now (the one closing first), or a refusal saying there is none."""
    call = (Call.objects.filter(province=locked.province, application_deadline__gte=timezone.now())
            .order_by("application_deadline", "pk").first())
    if call is None:
        raise DomainError(
            _("新增职业须随申报批次参加遴选，%(province)s目前没有开放申报的批次。请在省级发布下一批申报通知后再申请。")
            % {"province": locked.province.name},
            code=Codes.NO_OPEN_CALL,
        )
    return call


def _prefilled_facts(locked: Filing) -> dict[str, Any]:
    """The answers the filed organization gave in its own application (not asked again); not a chain-leader unit."""
    facts = dict(locked.application.facts) if locked.application is not None else {}
    if "is_chain_leader" in facts:
        facts["is_chain_leader"] = False
    return facts


def _enter_selection(
    addition: OccupationAddition, locked: Filing, lines: Sequence[ScopeLine], *, actor: User
) -> Application:
    """File the addition as a draft application in the open call, prefilled with what the portal knows (inside the
    caller's transaction); the organization completes and submits it, and it travels as any application does."""
    call = _open_call(locked)
    taken = Application.objects.filter(call=call, institution=locked.institution).exclude(state=S.WITHDRAWN).first()
    if taken is not None:
        raise ConflictError(
            _("本机构在“%(call)s”中已有一份申请（%(state)s），同一批次只能有一份申请。")
            % {"call": call.title, "state": taken.get_state_display()},
            code=Codes.ADDITION_IN_SELECTION,
        )
    application = _new_draft(call, locked.institution, city=locked.city, actor=actor, facts=_prefilled_facts(locked))
    ApplicationOccupation.objects.bulk_create(
        ApplicationOccupation(application=application, occupation=line.occupation, work_type=line.work_type,
                              levels=sorted({int(x) for x in line.levels}, reverse=True))
        for line in lines
    )
    addition.application = application
    addition.save(update_fields=["application"])
    record_event(actor=actor, action="occupation_addition_application_created", obj=addition,
                 province=locked.province, changes={"application": {"before": None, "after": application.pk},
                                                    "call": {"before": None, "after": call.title}})
    return application


def _start_addition_cultivation(addition: OccupationAddition, locked: Filing, *, actor: User, reason: str) -> Cultivation:
    """Move the addition to cultivation and open the cultivation of its occupations (inside the caller's transaction)."""
    lines = [ScopeLine(o.occupation, o.work_type, o.levels)
             for o in addition.occupations.select_related("occupation", "work_type")]
    from_state = addition.state
    addition.start_cultivation()
    addition.save()
    record_event(actor=actor, action="occupation_addition_cultivation_started", obj=addition,
                 province=locked.province, from_state=from_state, to_state=addition.state, reason=reason)
    return _open_cultivation(province=locked.province, institution=locked.institution, city=locked.city, lines=lines,
                             actor=actor, addition=addition, filing=locked, reason=reason)


def apply_to_add_occupations(
    filing: Filing, *, acting_user: User, lines: Sequence[ScopeLine], has_completed_question_bank: bool,
    operating_normally: bool, note: str = "", is_chain_leader: bool = False,
) -> OccupationAddition:
    """An active filed organization that has completed a question bank and is operating applies to add occupations.

    Guangdong: a chain-leader cultivation unit's new occupations enter cultivation at once; any other addition becomes
    a draft application in the open call (refused when none is open) and goes through selection and cultivation like
    a new application. Elsewhere the province decides. An organization whose filing is not active cannot apply.
    """
    require_role(acting_user, filing.institution.province, Role.INSTITUTION_MEMBER, institution=filing.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    keys = _addition_keys(lines)
    created: dict[str, Any] = {}
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(pk=filing.pk)
        _check_may_add(locked, lines, keys, conditions_met=has_completed_question_bank and operating_normally)
        addition = OccupationAddition.objects.create(
            province=locked.province, filing=locked, has_completed_question_bank=True, operating_normally=True,
            is_chain_leader=is_chain_leader, note=note.strip(), submitted_by=acting_user,
        )
        AdditionOccupation.objects.bulk_create(
            AdditionOccupation(addition=addition, occupation=line.occupation, work_type=line.work_type,
                               levels=sorted({int(x) for x in line.levels}, reverse=True))
            for line in lines
        )
        record_event(actor=acting_user, action="occupation_addition_submitted", obj=addition,
                     province=locked.province, to_state=addition.state, reason=note.strip(),
                     changes={"occupations": {"before": None, "after": [line.as_dict() for line in lines]},
                              "is_chain_leader": {"before": None, "after": is_chain_leader}})
        if _chain_leader_cultivates(locked, is_chain_leader):
            created["cultivation"] = _start_addition_cultivation(addition, locked, actor=acting_user,
                                                                 reason=_("链主培育单位新增职业直接进入培育辅导期"))
        elif _selected_like_an_application(locked, is_chain_leader):
            created["application"] = _enter_selection(addition, locked, lines, actor=acting_user)
    if "cultivation" in created:
        _notify_cultivation_started(created["cultivation"])
    elif "application" not in created:
        notify(users_with_role(filing.province, Role.PROVINCIAL_OFFICER),
               title=_("新增职业申请待遴选审核：%(name)s") % {"name": filing.institution.name},
               link=_filing_link(filing), province=filing.province)
    return addition


def _approve_addition(locked: OccupationAddition, *, actor: User, reason: str) -> Cultivation | None:
    """Approval: in a pack with cultivation the new occupations enter cultivation (as a selected application does);
    elsewhere they join the filing at once."""
    filing = Filing.objects.select_related("province", "institution", "city").get(pk=locked.filing_id)
    if selectors.pack_for(locked.province).settings.has_cultivation:
        return _start_addition_cultivation(locked, filing, actor=actor,
                                           reason=reason or _("经省级遴选，新增职业进入培育辅导期"))
    lines = [ScopeLine(o.occupation, o.work_type, o.levels)
             for o in locked.occupations.select_related("occupation", "work_type")]
    _add_to_filing(filing, lines, actor=actor, reason=reason)
    locked.add()
    locked.save()
    return None


def decide_occupation_addition(
    addition: OccupationAddition, *, acting_user: User, approve: bool, reason: str = ""
) -> OccupationAddition:
    """The province selects an addition or refuses it. Selected: in Guangdong the new occupations enter cultivation
    (001 二(二), 四(一)4); elsewhere they join the filing at once."""
    require_role(acting_user, addition.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError(_("不予新增必须填写理由。"), code=Codes.REASON_REQUIRED)
    created: dict[str, Cultivation | None] = {}
    with transaction.atomic():
        locked = OccupationAddition.objects.select_for_update(of=("self",)).select_related("filing").get(pk=addition.pk)
        if locked.application_id is not None:
            raise InvalidTransition(_("该新增职业申请随申报批次参加遴选，由遴选结果决定，不能单独作出决定。"),
                                    code=Codes.ADDITION_IN_SELECTION)
        if locked.state != AdditionState.SUBMITTED:
            raise ConflictError(_("该申请当前状态为“%(state)s”，不能再作决定。") % {"state": locked.get_state_display()})
        from_state = locked.state
        if approve:
            created["cultivation"] = _approve_addition(locked, actor=acting_user, reason=reason)
        else:
            locked.refuse(reason)
            locked.save()
        record_event(actor=acting_user, action="occupation_addition_decided", obj=locked, province=locked.province,
                     from_state=from_state, to_state=locked.state, reason=reason,
                     changes={"state": {"before": from_state, "after": locked.state}})
    cultivation = created.get("cultivation")
    if cultivation is not None:
        _notify_cultivation_started(cultivation)
        return locked
    notify(_institution_members(locked.filing.institution),
           title=_("新增职业申请已获批准") if approve else _("新增职业申请不予批准"), body=reason,
           link=_filing_link(locked.filing), province=locked.province)
    return locked
