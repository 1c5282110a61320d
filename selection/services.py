"""Every write of selection: one function per change, the only path for it (this and selectors are the public face).

Each function checks the caller's role, runs in a transaction, locks the rows it changes, refuses an illegal move
with a DomainError whose message a person understands, writes an audit event with the reason and the changed
fields, and queues notifications after commit. Applications change state only through filings.services.

When the province's review begins: a city's recommended applications wait in "recommended" until the province acts
on them: forming the provincial panel starts the review of every recommended application of the call, and assigning
or drawing experts for one recommended later (a table that arrives after the panel was formed) starts its review
first. Applications filed straight with the province are started by the provincial officer (start_province_review).
"""

import datetime as dt
import random
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, ApplicationState, Call, Route
from filings.uploads import check_upload
from portal import publicity
from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError, NotPermitted
from portal.identifiers import normalize_credit_code, validate_credit_code
from portal.models import City, Membership, Province, PublicityNotice, Role, User
from portal.notifications import notify

from . import selectors
from .models import (
    ConflictDeclaration,
    ConflictKind,
    Criterion,
    Draw,
    Expert,
    LeadershipApproval,
    Panel,
    PanelLevel,
    Score,
    ScoreSheet,
    SelectionRound,
    SheetState,
    SummaryTable,
    TableRow,
    TableState,
    plain_number,
)

S = ApplicationState
PUBLICITY_KIND = "selection"
APPLICATION_TYPE = "filings.application"
FIELD_PATTERN = re.compile(r"^\d(-\d{2}){0,3}$")


# --- who may act ---

def _has_role(user: User, province: Province, role: str, **binding: Any) -> bool:
    return Membership.objects.active().filter(user=user, province=province, role=role, **binding).exists()


def _require_provincial_officer(user: User, province: Province) -> None:
    if not _has_role(user, province, Role.PROVINCIAL_OFFICER):
        raise NotPermitted(_("只有省级经办人员可以办理此事项。"))


def _require_city_officer(user: User, city: City) -> None:
    if not _has_role(user, city.province, Role.CITY_OFFICER, city=city):
        raise NotPermitted(_("只有%(city)s的地市经办人员可以办理此事项。") % {"city": city.name})


def _require_panel_officer(user: User, panel: Panel) -> None:
    """The provincial officer for any panel; a city's officer for that city's panel."""
    if _has_role(user, panel.province, Role.PROVINCIAL_OFFICER):
        return
    if panel.level == PanelLevel.CITY and panel.city is not None and _has_role(
        user, panel.province, Role.CITY_OFFICER, city=panel.city
    ):
        return
    raise NotPermitted(_("只有该评审专家组的组织单位可以办理此事项。"))


def _own_sheet(sheet: ScoreSheet, user: User) -> None:
    if sheet.expert.user_id != user.pk or not _has_role(user, sheet.panel.province, Role.EXPERT):
        raise NotPermitted(_("只能填写分配给本人的评估表。"))


def _users(province: Province, role: str, **binding: Any) -> list[User]:
    return [m.user for m in Membership.objects.active().filter(province=province, role=role, **binding)
            .select_related("user")]


def _applicants(application: Application) -> list[User]:
    return _users(application.province, Role.INSTITUTION_MEMBER, institution=application.institution)


def _fresh(application: Application, *, lock: bool = False) -> Application:
    qs = Application.objects.select_related("province", "call", "institution", "city")
    return (qs.select_for_update(of=("self",)) if lock else qs).get(pk=application.pk)


# --- links for notifications ---

def _link(name: str, province: Province, **kwargs: Any) -> str:
    return reverse(f"selection:{name}", kwargs={"province": province.slug, **kwargs})


# --- the expert pool ---

@dataclass(frozen=True)
class ExpertData:
    name: str
    employer: str
    employer_credit_code: str = ""
    city: City | None = None
    fields: Sequence[str] = ()
    contact: str = ""
    is_active: bool = True
    user: User | None = None


EXPERT_FIELDS = ["name", "employer", "employer_credit_code", "city", "fields", "contact", "is_active", "user"]


def _clean_expert(province: Province, data: ExpertData) -> dict[str, Any]:
    if not data.name.strip() or not data.employer.strip():
        raise DomainError(_("请填写专家姓名和工作单位。"), code="expert_incomplete")
    code = normalize_credit_code(data.employer_credit_code) if data.employer_credit_code else ""
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code=exc.code or "uscc_invalid") from exc
    fields = sorted({f.strip() for f in data.fields if f.strip()})
    bad = [f for f in fields if not FIELD_PATTERN.match(f)]
    if bad:
        raise DomainError(
            _("专业领域“%(f)s”不是职业分类大典的编码前缀（如 6、6-18、6-18-01）。") % {"f": "、".join(bad)},
            code="expert_field_invalid",
        )
    if data.city is not None and data.city.province_id != province.pk:
        raise DomainError(_("所在地市必须属于%(p)s。") % {"p": province.name}, code="city_outside_province")
    if data.user is not None and not _has_role(data.user, province, Role.EXPERT):
        raise DomainError(
            _("账户“%(u)s”在本省没有评审专家角色，请先为其授权。") % {"u": data.user}, code="expert_role_missing"
        )
    return {"name": data.name.strip(), "employer": data.employer.strip(), "employer_credit_code": code,
            "city": data.city, "fields": fields, "contact": data.contact.strip(), "is_active": data.is_active,
            "user": data.user}


def _expert_snapshot(expert: Expert) -> dict[str, Any]:
    return {"name": expert.name, "employer": expert.employer, "employer_credit_code": expert.employer_credit_code,
            "city": expert.city_id, "fields": list(expert.fields), "contact": expert.contact,
            "is_active": expert.is_active, "user": expert.user_id}


def add_expert(province: Province, *, acting_user: User, data: ExpertData) -> Expert:
    _require_provincial_officer(acting_user, province)
    values = _clean_expert(province, data)
    try:
        with transaction.atomic():
            expert = Expert.objects.create(province=province, **values)
            record_event(actor=acting_user, action="expert_added", obj=expert, province=province,
                         changes=diff({}, _expert_snapshot(expert)))
    except IntegrityError as exc:
        raise ConflictError(_("该账户已在本省专家库中。"), code="expert_duplicate") from exc
    return expert


def update_expert(expert: Expert, *, acting_user: User, data: ExpertData) -> Expert:
    _require_provincial_officer(acting_user, expert.province)
    values = _clean_expert(expert.province, data)
    try:
        with transaction.atomic():
            locked = Expert.objects.select_for_update(of=("self",)).get(pk=expert.pk)
            before = _expert_snapshot(locked)
            for key, value in values.items():
                setattr(locked, key, value)
            changes = diff(before, _expert_snapshot(locked))
            if not changes:
                return locked
            locked.save()
            record_event(actor=acting_user, action="expert_updated", obj=locked, province=locked.province,
                         changes=changes)
    except IntegrityError as exc:
        raise ConflictError(_("该账户已在本省专家库中。"), code="expert_duplicate") from exc
    return locked


# --- the call's round and its rubric ---

def ensure_round(call: Call, *, acting_user: User) -> SelectionRound:
    """The call's selection round, with the pack's rubric copied into per-call criteria the first time."""
    with transaction.atomic():
        round_, created = SelectionRound.objects.get_or_create(call=call, defaults={"province": call.province})
        if not created:
            return round_
        round_ = SelectionRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
        pack = filing_selectors.pack_for(call.province)
        Criterion.objects.bulk_create(
            Criterion(round=round_, category=category, key=c.key, label=c.label, max_score=c.max_score,
                      description=c.description, position=n)
            for category, rubric in pack.rubrics.items()
            for n, c in enumerate(rubric, start=1)
        )
        record_event(actor=acting_user, action="rubric_copied", obj=call, province=call.province,
                     changes={"rubric": {"before": None, "after": f"{pack.key}: {sorted(pack.rubrics)}"}})
    return round_


def _lock_editable_round(round_: SelectionRound) -> SelectionRound:
    locked = SelectionRound.objects.select_for_update(of=("self",)).select_related("call").get(pk=round_.pk)
    if locked.rubric_locked_at is not None:
        raise DomainError(
            _("首份评估表已于%(at)s提交，评估指标和计分规则不能再修改。")
            % {"at": timezone.localtime(locked.rubric_locked_at).strftime("%Y-%m-%d %H:%M")},
            code="rubric_locked",
        )
    return locked


@dataclass(frozen=True)
class CriterionChange:
    criterion_id: int
    label: str
    max_score: Decimal
    description: str


def update_rubric(round_: SelectionRound, *, acting_user: User, category: str,
                  changes: Sequence[CriterionChange], drop_extremes: bool | None = None) -> list[Criterion]:
    """Edit one category's criteria of the call (labels, maximum scores totalling 100, descriptions) and the
    drop-highest-and-lowest option, until the first sheet of the call is submitted."""
    _require_provincial_officer(acting_user, round_.province)
    with transaction.atomic():
        locked = _lock_editable_round(round_)
        criteria = {c.pk: c for c in Criterion.objects.select_for_update(of=("self",)).filter(round=locked, category=category)}
        unknown = [c.criterion_id for c in changes if c.criterion_id not in criteria]
        if unknown:
            raise DomainError(_("评估指标不属于该类别。"), code="criterion_unknown")
        before = {f"{c.key}": f"{c.label}|{c.max_score}|{c.description}" for c in criteria.values()}
        for change in changes:
            criterion = criteria[change.criterion_id]
            if not change.label.strip():
                raise DomainError(_("评估指标名称不能为空。"), code="criterion_label_missing")
            if change.max_score <= 0:
                raise DomainError(_("“%(l)s”的分值必须大于0。") % {"l": change.label}, code="criterion_max_invalid")
            criterion.label = change.label.strip()
            criterion.max_score = change.max_score.quantize(selectors.CENT)
            criterion.description = change.description.strip()
        total = sum((c.max_score for c in criteria.values()), Decimal(0))
        if total != Decimal(100):
            raise DomainError(
                _("各项分值合计应为100分，现为%(t)s分。") % {"t": plain_number(total)}, code="rubric_total_not_100"
            )
        for criterion in criteria.values():
            criterion.save(update_fields=["label", "max_score", "description"])
        after = {f"{c.key}": f"{c.label}|{c.max_score}|{c.description}" for c in criteria.values()}
        changed = diff(before, after)
        if drop_extremes is not None and drop_extremes != locked.drop_extremes:
            changed["drop_extremes"] = {"before": locked.drop_extremes, "after": drop_extremes}
            locked.drop_extremes = drop_extremes
            locked.save(update_fields=["drop_extremes"])
        if changed:
            record_event(actor=acting_user, action="rubric_updated", obj=locked.call, province=locked.province,
                         reason=category, changes=changed)
    return sorted(criteria.values(), key=lambda c: (c.position, c.pk))


# --- panels and assignment ---

def form_panel(call: Call, *, acting_user: User, level: str, city: City | None = None) -> Panel:
    """Form the call's panel for a city (first-round scoring) or for the province (centralized review).

    Forming the provincial panel starts the province's review of every application the cities recommended.
    Forming a panel twice returns the one already formed.
    """
    if level == PanelLevel.CITY:
        if city is None or city.province_id != call.province_id:
            raise DomainError(_("请选择本省的地市。"), code="panel_city_missing")
        if not _has_role(acting_user, call.province, Role.PROVINCIAL_OFFICER):
            _require_city_officer(acting_user, city)
    elif level == PanelLevel.PROVINCE:
        _require_provincial_officer(acting_user, call.province)
        city = None
    else:
        raise DomainError(_("未知的评审层级。"), code="panel_level_unknown")
    ensure_round(call, acting_user=acting_user)
    existing = Panel.objects.filter(call=call, level=level, city=city).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            panel = Panel.objects.create(province=call.province, call=call, level=level, city=city,
                                         created_by=acting_user)
            record_event(actor=acting_user, action="panel_formed", obj=panel, province=call.province,
                         changes={"panel": {"before": None, "after": str(panel)}})
            if level == PanelLevel.PROVINCE:
                for application in Application.objects.filter(call=call, state=S.RECOMMENDED).order_by("pk"):
                    filing_services.start_province_review(_fresh(application), acting_user=acting_user)
    except IntegrityError:
        return Panel.objects.get(call=call, level=level, city=city)
    return panel


def _conflict_reason(expert: Expert, application: Application) -> str | None:
    """Why the expert may not score the application, or None."""
    if expert.employer_credit_code and expert.employer_credit_code == application.institution.credit_code:
        return ConflictKind.SAME_EMPLOYER.value
    if ConflictDeclaration.objects.filter(expert=expert, application=application).exists():
        return "declared"
    return None


def _check_panel_application(panel: Panel, application: Application) -> None:
    if application.call_id != panel.call_id:
        raise DomainError(_("该申请不属于本评审专家组的申报批次。"), code="application_other_call")
    if not selectors.panel_applications(panel).filter(pk=application.pk).exists():
        raise DomainError(
            _("申请当前状态为“%(state)s”，不在本评审专家组的评审范围内。") % {"state": application.get_state_display()},
            code="application_not_in_panel",
        )


def _start_review_if_waiting(panel: Panel, application: Application, acting_user: User) -> Application:
    if panel.level == PanelLevel.PROVINCE and application.state == S.RECOMMENDED:
        return filing_services.start_province_review(application, acting_user=acting_user)
    return application


def _create_sheet(panel: Panel, application: Application, expert: Expert, *, acting_user: User,
                  draw: Draw | None = None) -> ScoreSheet:
    criteria = selectors.criteria_for(panel.call, application.category)
    if not criteria:
        raise DomainError(_("本批次尚无“%(c)s”类别的评估指标。") % {"c": application.category},
                          code="rubric_missing")
    sheet = ScoreSheet.objects.create(panel=panel, application=application, expert=expert, draw=draw,
                                      assigned_by=acting_user)
    Score.objects.bulk_create(Score(sheet=sheet, criterion=c) for c in criteria)
    record_event(actor=acting_user, action="expert_assigned", obj=sheet, province=panel.province,
                 to_state=SheetState.ASSIGNED,
                 changes={"expert": {"before": None, "after": expert.name},
                          "application": {"before": None, "after": str(application)},
                          "draw": {"before": None, "after": draw.pk if draw else None}})
    if expert.user is not None:
        notify([expert.user], title=_("新的评审任务：%(name)s") % {"name": application.institution.name},
               body=_("%(panel)s，请登录填写评估表。") % {"panel": panel},
               link=_link("sheet", panel.province, pk=sheet.pk), province=panel.province)
    return sheet


def assign_expert(panel: Panel, application: Application, expert: Expert, *, acting_user: User) -> ScoreSheet:
    """Assign one expert by hand. An expert of the applicant's own employer, or who declared a conflict, is refused."""
    _require_panel_officer(acting_user, panel)
    if expert.province_id != panel.province_id or not expert.is_active:
        raise DomainError(_("该专家不在本省专家库中或已停用。"), code="expert_unavailable")
    try:
        return _assign(panel, application, expert, acting_user=acting_user)
    except IntegrityError as exc:
        raise ConflictError(_("%(expert)s刚刚已被分配该申请，请刷新页面查看。") % {"expert": expert.name},
                            code="expert_already_assigned") from exc


def _assign(panel: Panel, application: Application, expert: Expert, *, acting_user: User) -> ScoreSheet:
    with transaction.atomic():
        application = _fresh(application, lock=True)  # one assignment or draw per application at a time
        _check_panel_application(panel, application)
        reason = _conflict_reason(expert, application)
        if reason is not None:
            raise DomainError(
                _("%(expert)s与%(name)s存在利益冲突（%(why)s），不能分配。") % {
                    "expert": expert.name, "name": application.institution.name,
                    "why": _conflict_label(reason)},
                code="expert_conflict",
            )
        existing = ScoreSheet.objects.filter(panel=panel, application=application, expert=expert).first()
        if existing is not None:
            if existing.state == SheetState.RECUSED:
                raise DomainError(_("%(expert)s已声明回避该申请。") % {"expert": expert.name}, code="expert_recused")
            return existing
        application = _start_review_if_waiting(panel, application, acting_user)
        return _create_sheet(panel, application, expert, acting_user=acting_user)


def _conflict_label(reason: str) -> str:
    if reason == "declared":
        return _("本人已声明回避")
    return str(ConflictKind(reason).label)


def draw_candidates(panel: Panel, application: Application, *, match_fields: bool) -> tuple[list[int], dict[str, str]]:
    """(candidate expert ids in id order, {expert id: why excluded}) for a draw."""
    codes = [o.occupation.code for o in application.occupations.select_related("occupation")]
    taken = set(ScoreSheet.objects.filter(panel=panel, application=application).values_list("expert_id", flat=True))
    declared = set(ConflictDeclaration.objects.filter(application=application).values_list("expert_id", flat=True))
    candidates: list[int] = []
    excluded: dict[str, str] = {}
    for expert in Expert.objects.filter(province=panel.province, is_active=True).order_by("pk"):
        if match_fields and not expert.covers(codes):
            continue
        if expert.pk in taken:
            excluded[str(expert.pk)] = "already_assigned"
        elif expert.employer_credit_code and expert.employer_credit_code == application.institution.credit_code:
            excluded[str(expert.pk)] = ConflictKind.SAME_EMPLOYER.value
        elif expert.pk in declared:
            excluded[str(expert.pk)] = "declared_conflict"
        else:
            candidates.append(expert.pk)
    return candidates, excluded


def replay_draw(draw: Draw) -> list[int]:
    """The result a draw must have: the same seed on the same candidate list gives the same experts."""
    return random.Random(draw.seed).sample(list(draw.candidates), draw.requested)  # noqa: S311 - reproducible by design


def draw_experts(panel: Panel, application: Application, *, acting_user: User, count: int,
                 seed: int | None = None, match_fields: bool = True) -> Draw:
    """Draw `count` more experts at random from the pool (filtered by field), excluding those already assigned, of
    the applicant's employer, or who declared a conflict; seed, candidates and result are recorded."""
    _require_panel_officer(acting_user, panel)
    if count < 1 or count > 50:
        raise DomainError(_("抽取人数应在1至50之间。"), code="draw_count_invalid")
    if seed is None:
        seed = secrets.randbelow(2**31)
    try:
        return _draw(panel, application, acting_user=acting_user, count=count, seed=seed, match_fields=match_fields)
    except IntegrityError as exc:
        raise ConflictError(_("刚刚有其他人为该申请分配了专家，请刷新页面后重新抽取。"),
                            code="expert_already_assigned") from exc


def _draw(panel: Panel, application: Application, *, acting_user: User, count: int, seed: int,
          match_fields: bool) -> Draw:
    with transaction.atomic():
        application = _fresh(application, lock=True)  # one assignment or draw per application at a time
        _check_panel_application(panel, application)
        candidates, excluded = draw_candidates(panel, application, match_fields=match_fields)
        if len(candidates) < count:
            raise DomainError(
                _("符合条件的候选专家只有%(n)d名，不足%(k)d名。可取消“按专业领域筛选”或扩充专家库。")
                % {"n": len(candidates), "k": count},
                code="draw_not_enough_candidates",
            )
        draw = Draw(panel=panel, application=application, seed=seed, requested=count, match_fields=match_fields,
                    candidates=candidates, excluded=excluded, created_by=acting_user)
        draw.result = replay_draw(draw)
        draw.save()
        record_event(actor=acting_user, action="experts_drawn", obj=draw, province=panel.province,
                     changes={"seed": {"before": None, "after": seed}, "candidates": {"before": None, "after": candidates},
                              "excluded": {"before": None, "after": excluded},
                              "result": {"before": None, "after": draw.result}})
        application = _start_review_if_waiting(panel, application, acting_user)
        experts = Expert.objects.in_bulk(draw.result)
        for expert_id in draw.result:
            _create_sheet(panel, application, experts[expert_id], acting_user=acting_user, draw=draw)
    return draw


def declare_conflict(application: Application, *, acting_user: User, kind: str, reason: str = "") -> ConflictDeclaration:
    """An expert declares a conflict of interest: they are recused from the application in every panel (a submitted
    sheet no longer counts) and never assigned it again; the organizers are told to draw a replacement."""
    expert = Expert.objects.filter(province=application.province, user=acting_user).first()
    if expert is None or not _has_role(acting_user, application.province, Role.EXPERT):
        raise NotPermitted(_("只有本省专家库中的专家可以声明回避。"))
    if kind not in ConflictKind.values:
        raise DomainError(_("请选择回避情形。"), code="conflict_kind_invalid")
    reason = reason.strip()
    if kind != ConflictKind.SAME_EMPLOYER and not reason:
        raise DomainError(_("请说明需要回避的原因。"), code="reason_required")
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            expert=expert, application=application, defaults={"kind": kind, "reason": reason})
        sheets = list(ScoreSheet.objects.select_for_update(of=("self",)).select_related("panel__city", "panel__province")
                      .filter(expert=expert, application=application).exclude(state=SheetState.RECUSED))
        for sheet in sheets:
            before = sheet.state
            sheet.state = SheetState.RECUSED
            sheet.save(update_fields=["state"])
            record_event(actor=acting_user, action="sheet_recused", obj=sheet, province=application.province,
                         from_state=before, to_state=SheetState.RECUSED, reason=reason or str(ConflictKind(kind).label))
        if created:
            record_event(actor=acting_user, action="conflict_declared", obj=declaration,
                         province=application.province, reason=reason,
                         changes={"kind": {"before": None, "after": kind}})
    for sheet in sheets:
        organizers = (_users(sheet.panel.province, Role.CITY_OFFICER, city=sheet.panel.city)
                      if sheet.panel.level == PanelLevel.CITY else _users(sheet.panel.province, Role.PROVINCIAL_OFFICER))
        notify(organizers, title=_("专家声明回避：%(name)s") % {"name": application.institution.name},
               body=_("%(expert)s声明回避（%(kind)s），请补充抽取专家。") % {
                   "expert": expert.name, "kind": ConflictKind(kind).label},
               link=_link("panel_detail", sheet.panel.province, pk=sheet.panel_id), province=sheet.panel.province)
    return declaration


# --- scoring sheets ---

@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    score: Decimal | None
    comment: str = ""


def _parse_score(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(_("“%(v)s”不是有效的分数。") % {"v": value}, code="score_invalid") from exc
    if not number.is_finite():
        raise DomainError(_("“%(v)s”不是有效的分数。") % {"v": value}, code="score_invalid")
    return number


def _lock_own_sheet(sheet: ScoreSheet, user: User) -> ScoreSheet:
    _own_sheet(sheet, user)
    locked = ScoreSheet.objects.select_for_update(of=("self",)).select_related(
        "panel__province", "panel__call", "panel__city", "application__institution", "expert").get(pk=sheet.pk)
    if locked.state == SheetState.SUBMITTED:
        raise ConflictError(
            _("该评估表已于%(at)s提交并锁定，本次提交未作任何更改。")
            % {"at": timezone.localtime(locked.submitted_at).strftime("%Y-%m-%d %H:%M:%S") if locked.submitted_at else ""},
            code="sheet_already_submitted",
        )
    if locked.state == SheetState.RECUSED:
        raise DomainError(_("您已声明回避该申请，不能评分。"), code="sheet_recused")
    return locked


def _apply_scores(sheet: ScoreSheet, scores: Sequence[ScoreInput], comment: str | None) -> dict[str, Any]:
    rows = {s.criterion_id: s for s in sheet.scores.select_related("criterion").select_for_update(of=("self",)).order_by("pk")}
    before = {str(s.criterion.key): (str(s.score) if s.score is not None else None, s.comment) for s in rows.values()}
    errors = []
    for given in scores:
        row = rows.get(given.criterion_id)
        if row is None:
            raise DomainError(_("评估指标不属于该评估表。"), code="criterion_unknown")
        value = given.score
        if value is not None:
            if value < 0 or value > row.criterion.max_score:
                errors.append(_("“%(l)s”的得分应在0至%(m)s分之间") % {"l": row.criterion.label,
                                                                   "m": row.criterion.max_points})
                continue
            if value != value.quantize(selectors.CENT):
                errors.append(_("“%(l)s”的得分最多保留两位小数") % {"l": row.criterion.label})
                continue
            value = value.quantize(selectors.CENT)
        row.score = value
        row.comment = given.comment.strip()
    if errors:
        raise DomainError("；".join(errors) + "。", code="score_out_of_range")
    for row in rows.values():
        row.save(update_fields=["score", "comment"])
    after = {str(s.criterion.key): (str(s.score) if s.score is not None else None, s.comment) for s in rows.values()}
    changes = diff(before, after)
    if comment is not None and comment.strip() != sheet.comment:
        changes["comment"] = {"before": sheet.comment, "after": comment.strip()}
        sheet.comment = comment.strip()
    scored = [s.score for s in rows.values() if s.score is not None]
    sheet.total = sum(scored, Decimal(0)) if scored else None
    return changes


def save_sheet(sheet: ScoreSheet, *, acting_user: User, scores: Sequence[ScoreInput], comment: str | None = None) -> ScoreSheet:
    """Save a draft of the expert's scores (the sheet stays open)."""
    with transaction.atomic():
        locked = _lock_own_sheet(sheet, acting_user)
        changes = _apply_scores(locked, scores, comment)
        locked.saved_at = timezone.now()
        locked.save(update_fields=["total", "comment", "saved_at"])
        if changes:
            record_event(actor=acting_user, action="sheet_saved", obj=locked, province=locked.panel.province,
                         changes=changes)
    return locked


def submit_sheet(sheet: ScoreSheet, *, acting_user: User, scores: Sequence[ScoreInput] | None = None,
                 comment: str | None = None) -> ScoreSheet:
    """Submit the sheet (with the scores of the form, if given). A submitted sheet is locked: a second submit, from
    another tab, changes nothing and says so."""
    with transaction.atomic():
        locked = _lock_own_sheet(sheet, acting_user)
        changes = _apply_scores(locked, scores or (), comment)
        missing = [s.criterion.label for s in locked.scores.select_related("criterion") if s.score is None]
        if missing:
            raise DomainError(_("以下指标尚未评分：%(l)s。") % {"l": "、".join(missing)}, code="sheet_incomplete")
        now = timezone.now()
        locked.state = SheetState.SUBMITTED
        locked.submitted_at = now
        locked.saved_at = now
        locked.save(update_fields=["state", "total", "comment", "submitted_at", "saved_at"])
        round_ = SelectionRound.objects.select_for_update(of=("self",)).get(call=locked.panel.call)
        if round_.rubric_locked_at is None:
            round_.rubric_locked_at = now
            round_.save(update_fields=["rubric_locked_at"])
        record_event(actor=acting_user, action="sheet_submitted", obj=locked, province=locked.panel.province,
                     from_state=SheetState.ASSIGNED, to_state=SheetState.SUBMITTED,
                     changes={**changes, "total": {"before": None, "after": str(locked.total)}})
        aggregate = selectors.aggregates(locked.panel, [locked.application_id])[locked.application_id]
    if aggregate.complete:
        panel = locked.panel
        if panel.level == PanelLevel.CITY:
            organizers = _users(panel.province, Role.CITY_OFFICER, city=panel.city)
            link = _link("city_table", panel.province, call_pk=panel.call_id, city=panel.city.code)  # type: ignore[union-attr]
        else:
            organizers = _users(panel.province, Role.PROVINCIAL_OFFICER)
            link = _link("province_ranking", panel.province, call_pk=panel.call_id)
        notify(organizers, title=_("评估表已全部提交：%(name)s") % {"name": locked.application.institution.name},
               body=_("%(panel)s：%(n)s份评估表已全部提交，综合得分%(score)s。") % {
                   "panel": panel, "n": aggregate.progress, "score": aggregate.score},
               link=link, province=panel.province)
    return locked


def reopen_sheet(sheet: ScoreSheet, *, acting_user: User, reason: str) -> ScoreSheet:
    """An organizer reopens a submitted sheet for the expert to correct (reason required; scores are kept)."""
    _require_panel_officer(acting_user, sheet.panel)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("退回重评必须填写理由。"), code="reason_required")
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update(of=("self",)).select_related(
            "panel__province", "expert__user", "application__institution").get(pk=sheet.pk)
        if locked.state != SheetState.SUBMITTED:
            raise ConflictError(_("该评估表当前状态为“%(s)s”，无需退回。") % {"s": locked.get_state_display()},
                                code="sheet_not_submitted")
        if locked.application.state not in (S.CITY_SCORING, S.PROVINCE_REVIEW):
            raise DomainError(_("该申请已作出推荐或遴选决定，评估表不能再退回。"), code="sheet_decided")
        locked.state = SheetState.ASSIGNED
        locked.reopened_count += 1
        locked.save(update_fields=["state", "reopened_count"])
        record_event(actor=acting_user, action="sheet_reopened", obj=locked, province=locked.panel.province,
                     from_state=SheetState.SUBMITTED, to_state=SheetState.ASSIGNED, reason=reason,
                     changes={"reopened_count": {"before": locked.reopened_count - 1, "after": locked.reopened_count}})
    if locked.expert.user is not None:
        notify([locked.expert.user], title=_("评估表被退回重评：%(name)s") % {"name": locked.application.institution.name},
               body=reason, link=_link("sheet", locked.panel.province, pk=locked.pk), province=locked.panel.province)
    return locked


# --- the city's recommendation and summary table ---

def _table_for_update(call: Call, city: City) -> SummaryTable:
    table, _created = SummaryTable.objects.get_or_create(call=call, city=city, defaults={"province": call.province})
    return SummaryTable.objects.select_for_update(of=("self",)).get(pk=table.pk)


def _refuse_if_sent(table: SummaryTable) -> None:
    if table.state == TableState.SENT:
        raise ConflictError(
            _("%(city)s的汇总表已于%(at)s报送，本次操作未作任何更改。") % {
                "city": table.city.name,
                "at": timezone.localtime(table.sent_at).strftime("%Y-%m-%d %H:%M") if table.sent_at else ""},
            code="table_already_sent",
        )


def decide_recommendation(application: Application, *, acting_user: User, recommended: bool, reason: str = "") -> TableRow:
    """The city officer marks an application recommended (reason optional) or not (reason required) on the table."""
    _require_city_officer(acting_user, application.city)
    reason = reason.strip()
    if not recommended and not reason:
        raise DomainError(_("不予推荐必须填写理由。"), code="reason_required")
    with transaction.atomic():
        application = _fresh(application)
        if application.route != Route.CITY or application.state != S.CITY_SCORING:
            raise DomainError(
                _("申请当前状态为“%(s)s”，不能作出推荐意见。") % {"s": application.get_state_display()},
                code="application_not_in_city_scoring",
            )
        table = _table_for_update(application.call, application.city)
        _refuse_if_sent(table)
        row, _created = TableRow.objects.get_or_create(table=table, application=application)
        before = {"recommended": row.recommended, "reason": row.reason}
        row.recommended = recommended
        row.reason = reason
        row.decided_by = acting_user
        row.decided_at = timezone.now()
        row.save()
        changes = diff(before, {"recommended": recommended, "reason": reason})
        if changes:
            record_event(actor=acting_user, action="recommendation_decided", obj=application,
                         province=application.province, reason=reason, changes=changes)
    return row


@dataclass(frozen=True)
class TableLine:
    """One line of the summary table as the documents show it."""

    institution: str
    credit_code: str
    category: str
    occupations: str
    score: Decimal | None
    rank: int | None
    sheets: str
    recommended: bool | None
    remarks: str


def table_lines(call: Call, city: City) -> list[TableLine]:
    """The summary table's lines: recorded at sending, or the current ranking and decisions while a draft."""
    pack = filing_selectors.pack_for(call.province)
    categories = dict(pack.category_choices())
    table = selectors.summary_table(call, city)
    rows = {r.application_id: r for r in table.rows.all()} if table else {}
    applications = list(selectors.with_occupations(selectors.city_applications(call, city)))
    overall, _per_occupation = selectors.rankings(selectors.city_panel(call, city), applications)
    sent = table is not None and table.is_sent
    lines = []
    for ranked in overall:
        app, row = ranked.application, rows.get(ranked.application.pk)
        lines.append(TableLine(
            institution=app.institution.name, credit_code=app.institution.credit_code,
            category=str(categories.get(app.category, app.category)),
            occupations="；".join(f"{o.occupation.code} {o}（{o.level_labels()}）" for o in ranked.occupations),
            score=row.score if sent and row else ranked.aggregate.score,
            rank=row.rank if sent and row else ranked.rank,
            sheets=row.sheets if sent and row else ranked.aggregate.progress,
            recommended=row.recommended if row else None, remarks=row.reason if row else "",
        ))
    if sent:
        lines.sort(key=lambda line: (line.rank is None, line.rank or 0, line.institution))
    return lines


def send_summary_table(call: Call, city: City, *, acting_user: User) -> SummaryTable:
    """Send the city's summary table to the province before the call's city-review deadline: each recommended
    application is recommended through filings, each other one not recommended with its reason."""
    _require_city_officer(acting_user, city)
    pack = filing_selectors.pack_for(call.province)
    with transaction.atomic():
        table = _table_for_update(call, city)
        _refuse_if_sent(table)
        if timezone.now() > call.city_review_deadline:
            raise DomainError(
                _("本批次地市初审截止时间为%(d)s，已截止，汇总表不能再报送。")
                % {"d": timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")},
                code="deadline_passed",
            )
        applications = list(selectors.with_occupations(
            selectors.city_applications(call, city).filter(state=S.CITY_SCORING)).order_by("pk"))
        if not applications:
            raise DomainError(_("没有待推荐的申请，无需报送汇总表。"), code="table_empty")
        rows = {r.application_id: r for r in table.rows.select_for_update(of=("self",))}
        undecided = [a.institution.name for a in applications if a.pk not in rows or rows[a.pk].recommended is None]
        if undecided:
            raise DomainError(_("以下申请尚未作出推荐意见：%(n)s。") % {"n": "、".join(undecided)},
                              code="table_incomplete")
        count = sum(1 for a in applications if rows[a.pk].recommended)
        low, high = pack.settings.city_recommend_min, pack.settings.city_recommend_max
        if (low is not None and count < low) or (high is not None and count > high):
            raise DomainError(
                _("%(p)s规定每个地市推荐%(low)s至%(high)s家机构，本表推荐了%(n)d家，请调整后再报送。") % {
                    "p": call.province.name, "low": low if low is not None else 0,
                    "high": high if high is not None else "—", "n": count},
                code="recommend_count_out_of_range",
            )
        overall, _per_occupation = selectors.rankings(selectors.city_panel(call, city), applications)
        for ranked in overall:
            row = rows[ranked.application.pk]
            row.score, row.rank, row.sheets = ranked.aggregate.score, ranked.rank, ranked.aggregate.progress
            row.save(update_fields=["score", "rank", "sheets"])
            if row.recommended:
                filing_services.recommend_application(ranked.application, acting_user=acting_user, reason=row.reason)
            else:
                filing_services.not_recommend_application(ranked.application, acting_user=acting_user,
                                                          reason=row.reason)
        table.state = TableState.SENT
        table.sent_at = timezone.now()
        table.sent_by = acting_user
        table.save(update_fields=["state", "sent_at", "sent_by"])
        record_event(actor=acting_user, action="summary_table_sent", obj=table, province=call.province,
                     from_state=TableState.DRAFT, to_state=TableState.SENT,
                     changes={"recommended": {"before": None, "after": [r.application.institution.name
                                                                        for r in overall if rows[r.application.pk].recommended]},
                              "not_recommended": {"before": None, "after": [r.application.institution.name for r in overall
                                                                            if not rows[r.application.pk].recommended]}})
    notify(_users(call.province, Role.PROVINCIAL_OFFICER),
           title=_("%(city)s遴选推荐汇总表已报送") % {"city": city.name},
           body=_("%(call)s：推荐%(n)d家，不予推荐%(m)d家。") % {"call": call.title, "n": count,
                                                              "m": len(applications) - count},
           link=_link("province_ranking", call.province, call_pk=call.pk), province=call.province)
    return table


# --- the province: review, selection, approval and publicity ---

def start_province_review(application: Application, *, acting_user: User) -> Application:
    """The provincial officer starts the review of an application filed straight with the province (or of a
    recommended one ahead of the panel)."""
    _require_provincial_officer(acting_user, application.province)
    application = _fresh(application)
    if application.state == S.SUBMITTED and application.route != Route.PROVINCE:
        raise DomainError(_("该申请应由所在地市初审推荐。"), code="application_city_route")
    return filing_services.start_province_review(application, acting_user=acting_user)


def decide_selection(call: Call, *, acting_user: User, selected_ids: Sequence[int], reason: str) -> tuple[list[Application], list[Application]]:
    """The province selects the ticked applications under review and does not select the others (one reason for
    them, required). All or nothing: if another officer decided one first, nothing is done."""
    _require_provincial_officer(acting_user, call.province)
    reason = reason.strip()
    with transaction.atomic():
        applications = list(Application.objects.select_for_update(of=("self",)).filter(call=call, state=S.PROVINCE_REVIEW)
                            .select_related("province", "call", "institution", "city").order_by("pk"))
        if not applications:
            raise ConflictError(_("本批次没有待遴选的申请（可能已由他人处理），请刷新页面。"), code="nothing_to_select")
        by_id = {a.pk: a for a in applications}
        unknown = [pk for pk in selected_ids if pk not in by_id]
        if unknown:
            raise ConflictError(_("部分勾选的申请已不在省级评审中（可能已由他人处理），请刷新页面后重试。"),
                                code="selection_stale")
        chosen = [by_id[pk] for pk in sorted(set(selected_ids))]
        others = [a for a in applications if a.pk not in set(selected_ids)]
        if others and not reason:
            raise DomainError(_("未入选的申请必须填写理由。"), code="reason_required")
        selected = [filing_services.select_application(a, acting_user=acting_user) for a in chosen]
        not_selected = [filing_services.not_select_application(a, acting_user=acting_user, reason=reason)
                        for a in others]
        record_event(actor=acting_user, action="selection_decided", obj=call, province=call.province, reason=reason,
                     changes={"selected": {"before": None, "after": [a.institution.name for a in selected]},
                              "not_selected": {"before": None, "after": [a.institution.name for a in not_selected]}})
    for application in selected:
        notify(_applicants(application), title=_("备案申请拟入选"),
               body=_("%(name)s经省级集中评审拟入选，待领导小组审定后公示。") % {"name": application.institution.name},
               link=reverse("filings:application_detail", kwargs={"province": call.province.slug, "pk": application.pk}),
               province=call.province)
    return selected, not_selected


def record_approval(call: Call, *, acting_user: User, meeting_date: dt.date, document_number: str,
                    attachment: UploadedFile) -> LeadershipApproval:
    """Record the leadership group's approval (领导小组审定) of the selected applications, with its document."""
    _require_provincial_officer(acting_user, call.province)
    document_number = document_number.strip()
    if not document_number:
        raise DomainError(_("请填写审定文件的文号。"), code="document_number_missing")
    if meeting_date > timezone.localdate():
        raise DomainError(_("会议日期不能晚于今天。"), code="meeting_date_future")
    checked = check_upload(attachment)
    with transaction.atomic():
        round_ = ensure_round(call, acting_user=acting_user)
        applications = list(Application.objects.select_for_update(of=("self",)).filter(call=call, state=S.SELECTED)
                            .select_related("province", "call", "institution", "city").order_by("pk"))
        if not applications:
            raise DomainError(_("本批次没有待审定的拟入选申请。"), code="nothing_to_approve")
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


def publicity_item(application: Application, categories: Mapping[str, str]) -> publicity.ItemSpec:
    occupations = "；".join(f"{o.occupation.code} {o}（{o.level_labels()}）" for o in application.occupations.all())
    return publicity.ItemSpec(
        object_type=APPLICATION_TYPE, object_id=str(application.pk), title=application.institution.name,
        detail=_("%(city)s · %(category)s · 申报职业：%(occupations)s") % {
            "city": application.city.name, "category": categories.get(application.category, application.category),
            "occupations": occupations},
    )


def publish_selection(call: Call, *, acting_user: User) -> PublicityNotice:
    """Publish the approved applications of the call for the pack's publicity period (working days)."""
    _require_provincial_officer(acting_user, call.province)
    pack = filing_selectors.pack_for(call.province)
    with transaction.atomic():
        applications = list(selectors.with_occupations(
            Application.objects.select_for_update(of=("self",)).filter(call=call, state=S.APPROVED)).order_by("pk"))
        if not applications:
            raise DomainError(_("本批次没有已经领导小组审定、待公示的申请。"), code="nothing_to_publish")
        categories = {k: str(v) for k, v in pack.category_choices()}
        notice = publicity.publish_notice(
            call.province, kind=PUBLICITY_KIND, source=f"filings.call:{call.pk}",
            title=_("%(title)s拟入选名单公示") % {"title": call.title},
            body=_("经评审专家评审和领导小组审定，以下机构拟入选%(title)s，现予公示。公示期为%(n)d个工作日。"
                   "如有异议，请在公示期内通过本页面提出，并提供联系方式和必要的证明材料。")
            % {"title": call.title, "n": pack.settings.publicity_working_days},
            items=[publicity_item(a, categories) for a in applications],
            working_days=pack.settings.publicity_working_days, acting_user=acting_user,
        )
        for application in applications:
            filing_services.publish_application(_fresh(application), acting_user=acting_user)
        record_event(actor=acting_user, action="selection_published", obj=call, province=call.province,
                     changes={"notice": {"before": None, "after": notice.pk},
                              "period": {"before": None, "after": f"{notice.starts_on}—{notice.ends_on}"}})
    for application in applications:
        notify(_applicants(application), title=_("遴选结果公示中"),
               body=_("%(name)s已列入《%(notice)s》，公示期%(start)s至%(end)s。") % {
                   "name": application.institution.name, "notice": notice.title,
                   "start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()},
               link=reverse("public_notice", kwargs={"province": call.province.slug, "pk": notice.pk}),
               province=call.province)
    return notice


# --- what the publicity of a selection does to its applications (registered in SelectionConfig.ready) ---

def _item_application(item: Any) -> Application | None:
    if item.object_type != APPLICATION_TYPE:
        return None
    return Application.objects.select_related("province", "call", "institution", "city").filter(
        pk=int(item.object_id)).first()


def withdraw_after_objection(item: Any, *, reason: str, acting_user: User) -> None:
    """An objection was upheld: the application is withdrawn from publicity and not selected, with the reason."""
    application = _item_application(item)
    if application is None or application.state != S.IN_PUBLICITY:
        return
    filing_services.not_select_application(application, acting_user=acting_user,
                                           reason=_("公示期间异议成立：%(r)s") % {"r": reason})


def pass_publicity(notice: Any, items: Sequence[Any], *, acting_user: User | None) -> None:
    """The period ended without an upheld objection: each application moves to publicity_ended, then on to its
    pack's next step (filings.services.advance_after_publicity: Guangdong's cultivation, Shandong's filing)."""
    for item in items:
        application = _item_application(item)
        if application is None or application.state != S.IN_PUBLICITY:
            continue
        ended = filing_services.end_application_publicity(application, acting_user=acting_user)
        filing_services.advance_after_publicity(ended, acting_user=acting_user)
