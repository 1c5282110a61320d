"""Adding occupations to a live filing: the application, its cultivation or the province's decision."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition
from portal.models import (
    Role,
    SkillLevel,
    User,
)
from portal.notifications import notify
from portal.roles import require_role, users_with_role

from .. import selectors
from ..errors import Codes
from ..models import (
    AdditionOccupation,
    AdditionState,
    Filing,
    FilingStatus,
    OccupationAddition,
)
from ..policies import ApplicationFacts, Verdict
from ..policies.base import OccupationChoice
from ._common import (
    ScopeLine,
    _filing_link,
    _institution_members,
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
            "levels": "、".join(str(SkillLevel(x).label) for x in not_allowed)})
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
        raise DomainError(_("新增职业不符合本省职业范围：") + "；".join(problems), code=Codes.OCCUPATION_NOT_ADMITTED,
                          problems=[str(p) for p in problems])


def apply_to_add_occupations(
    filing: Filing, *, acting_user: User, lines: Sequence[ScopeLine], has_completed_question_bank: bool,
    operating_normally: bool, note: str = "",
) -> OccupationAddition:
    """An active filed organization that has completed a question bank and is operating applies to add occupations.

    Guangdong: the new occupations enter cultivation at once; elsewhere the province decides. An organization whose
    filing is not active cannot apply.
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
            note=note.strip(), submitted_by=acting_user,
        )
        AdditionOccupation.objects.bulk_create(
            AdditionOccupation(addition=addition, occupation=line.occupation, work_type=line.work_type,
                               levels=sorted({int(x) for x in line.levels}, reverse=True))
            for line in lines
        )
        record_event(actor=acting_user, action="occupation_addition_submitted", obj=addition,
                     province=locked.province, to_state=addition.state, reason=note.strip(),
                     changes={"occupations": {"before": None, "after": [line.as_dict() for line in lines]}})
        if selectors.pack_for(locked.province).settings.has_cultivation:
            addition.start_cultivation()
            addition.save()
            record_event(actor=acting_user, action="occupation_addition_cultivation_started", obj=addition,
                         province=locked.province, from_state=AdditionState.SUBMITTED, to_state=addition.state)
            created["cultivation"] = _open_cultivation(
                province=locked.province, institution=locked.institution, city=locked.city, lines=lines,
                actor=acting_user, addition=addition, filing=locked, reason=_("已备案机构申请新增职业"),
            )
    if "cultivation" in created:
        _notify_cultivation_started(created["cultivation"])
    else:
        notify(users_with_role(filing.province, Role.PROVINCIAL_OFFICER),
               title=_("新增职业申请待审核：%(name)s") % {"name": filing.institution.name},
               link=_filing_link(filing), province=filing.province)
    return addition


def decide_occupation_addition(
    addition: OccupationAddition, *, acting_user: User, approve: bool, reason: str = ""
) -> OccupationAddition:
    """The province approves an addition (packs without cultivation; the occupations join the filing) or refuses it."""
    require_role(acting_user, addition.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError(_("不予新增必须填写理由。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        locked = OccupationAddition.objects.select_for_update(of=("self",)).select_related("filing").get(pk=addition.pk)
        if locked.state != AdditionState.SUBMITTED:
            raise ConflictError(_("该申请当前状态为“%(state)s”，不能再作决定。") % {"state": locked.get_state_display()})
        from_state = locked.state
        if approve:
            lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                     for o in locked.occupations.select_related("occupation", "work_type")]
            _add_to_filing(locked.filing, lines, actor=acting_user, reason=reason)
            locked.add()
        else:
            locked.refuse(reason)
        locked.save()
        record_event(actor=acting_user, action="occupation_addition_decided", obj=locked, province=locked.province,
                     from_state=from_state, to_state=locked.state, reason=reason,
                     changes={"state": {"before": from_state, "after": locked.state}})
    notify(_institution_members(locked.filing.institution),
           title=_("新增职业申请已获批准") if approve else _("新增职业申请不予批准"), body=reason,
           link=_filing_link(locked.filing), province=locked.province)
    return locked
