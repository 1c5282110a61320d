"""Panels (评审专家组) and who scores what: forming a panel, assigning an expert by hand, drawing experts at random.

Assigning or drawing for a recommended application after the provincial panel was formed starts its province
review first (through filings.services).
"""

import random
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from filings import services as filing_services
from filings.models import Application, Call
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import City, Role, User
from portal.notifications import notify
from portal.roles import has_role

from .. import selectors
from ..errors import Codes
from ..models import ConflictDeclaration, ConflictKind, Draw, Expert, Panel, PanelLevel, Score, ScoreSheet, SheetState
from ._common import S, fresh, link, require_city_officer, require_panel_officer, require_provincial_officer
from .rubric import ensure_round


def _check_panel_level(call: Call, acting_user: User, level: str, city: City | None) -> City | None:
    """The panel's city (None for the province's), once the caller may form a panel at that level."""
    if level == PanelLevel.CITY:
        if city is None or city.province_id != call.province_id:
            raise DomainError(_("请选择本省的地市。"), code=Codes.PANEL_CITY_MISSING)
        if not has_role(acting_user, call.province, Role.PROVINCIAL_OFFICER):
            require_city_officer(acting_user, city)
        return city
    if level == PanelLevel.PROVINCE:
        require_provincial_officer(acting_user, call.province)
        return None
    raise DomainError(_("未知的评审层级。"), code=Codes.PANEL_LEVEL_UNKNOWN)


def form_panel(call: Call, *, acting_user: User, level: str, city: City | None = None) -> Panel:
    """Form the call's panel for a city (first-round scoring) or for the province (centralized review).

    Forming the provincial panel starts the province's review of every application the cities recommended.
    Forming a panel twice returns the one already formed.
    """
    city = _check_panel_level(call, acting_user, level, city)
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
                    filing_services.start_province_review(fresh(application), acting_user=acting_user)
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


def _conflict_label(reason: str) -> str:
    if reason == "declared":
        return _("本人已声明回避")
    return str(ConflictKind(reason).label)


def _check_panel_application(panel: Panel, application: Application) -> None:
    if application.call_id != panel.call_id:
        raise DomainError(_("该申请不属于本评审专家组的申报批次。"), code=Codes.APPLICATION_OTHER_CALL)
    if not selectors.panel_applications(panel).filter(pk=application.pk).exists():
        raise DomainError(
            _("申请当前状态为“%(state)s”，不在本评审专家组的评审范围内。") % {"state": application.get_state_display()},
            code=Codes.APPLICATION_NOT_IN_PANEL,
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
                          code=Codes.RUBRIC_MISSING)
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
               link=link("sheet", panel.province, pk=sheet.pk), province=panel.province)
    return sheet


def assign_expert(panel: Panel, application: Application, expert: Expert, *, acting_user: User) -> ScoreSheet:
    """Assign one expert by hand. An expert of the applicant's own employer, or who declared a conflict, is refused."""
    require_panel_officer(acting_user, panel)
    if expert.province_id != panel.province_id or not expert.is_active:
        raise DomainError(_("该专家不在本省专家库中或已停用。"), code=Codes.EXPERT_UNAVAILABLE)
    try:
        return _assign(panel, application, expert, acting_user=acting_user)
    except IntegrityError as exc:
        raise ConflictError(_("%(expert)s刚刚已被分配该申请，请刷新页面查看。") % {"expert": expert.name},
                            code=Codes.EXPERT_ALREADY_ASSIGNED) from exc


def _assign(panel: Panel, application: Application, expert: Expert, *, acting_user: User) -> ScoreSheet:
    with transaction.atomic():
        application = fresh(application, lock=True)  # one assignment or draw per application at a time
        _check_panel_application(panel, application)
        reason = _conflict_reason(expert, application)
        if reason is not None:
            raise DomainError(
                _("%(expert)s与%(name)s存在利益冲突（%(why)s），不能分配。") % {
                    "expert": expert.name, "name": application.institution.name,
                    "why": _conflict_label(reason)},
                code=Codes.EXPERT_CONFLICT,
            )
        existing = ScoreSheet.objects.filter(panel=panel, application=application, expert=expert).first()
        if existing is not None:
            if existing.state == SheetState.RECUSED:
                raise DomainError(_("%(expert)s已声明回避该申请。") % {"expert": expert.name},
                                  code=Codes.EXPERT_RECUSED)
            return existing
        application = _start_review_if_waiting(panel, application, acting_user)
        return _create_sheet(panel, application, expert, acting_user=acting_user)


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
    require_panel_officer(acting_user, panel)
    if count < 1 or count > 50:
        raise DomainError(_("抽取人数应在1至50之间。"), code=Codes.DRAW_COUNT_INVALID)
    if seed is None:
        seed = secrets.randbelow(2**31)
    try:
        return _draw(panel, application, acting_user=acting_user, count=count, seed=seed, match_fields=match_fields)
    except IntegrityError as exc:
        raise ConflictError(_("刚刚有其他人为该申请分配了专家，请刷新页面后重新抽取。"),
                            code=Codes.EXPERT_ALREADY_ASSIGNED) from exc


def _draw(panel: Panel, application: Application, *, acting_user: User, count: int, seed: int,
          match_fields: bool) -> Draw:
    with transaction.atomic():
        application = fresh(application, lock=True)  # one assignment or draw per application at a time
        _check_panel_application(panel, application)
        candidates, excluded = draw_candidates(panel, application, match_fields=match_fields)
        if len(candidates) < count:
            raise DomainError(
                _("符合条件的候选专家只有%(n)d名，不足%(k)d名。可取消“按专业领域筛选”或扩充专家库。")
                % {"n": len(candidates), "k": count},
                code=Codes.DRAW_NOT_ENOUGH_CANDIDATES,
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
