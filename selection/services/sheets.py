"""Scoring sheets (评估表): the expert saves and submits their scores; an organizer reopens a submitted sheet.

Submitting moves the sheet assigned → submitted and locks the call's rubric; reopening moves it back (both through
the ScoreSheet transitions, each with its audit event). When every sheet of an application is in, its organizers
are told. An expert's download of the application's materials is recorded here too.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from filings.models import Evidence
from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify

from .. import selectors
from ..errors import Codes
from ..models import PanelLevel, Score, ScoreSheet, SelectionRound, SheetState
from ._common import link, panel_organizers, require_own_sheet, require_panel_officer


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    score: Decimal | None
    comment: str = ""


def _lock_own_sheet(sheet: ScoreSheet, user: User) -> ScoreSheet:
    require_own_sheet(sheet, user)
    locked = ScoreSheet.objects.select_for_update(of=("self",)).select_related(
        "panel__province", "panel__call", "panel__city", "application__institution", "expert").get(pk=sheet.pk)
    if locked.state == SheetState.SUBMITTED:
        raise ConflictError(
            _("该评估表已于%(at)s提交并锁定，本次提交未作任何更改。")
            % {"at": timezone.localtime(locked.submitted_at).strftime("%Y-%m-%d %H:%M:%S") if locked.submitted_at else ""},
            code=Codes.SHEET_ALREADY_SUBMITTED,
        )
    if locked.state == SheetState.RECUSED:
        raise DomainError(_("您已声明回避该申请，不能评分。"), code=Codes.SHEET_RECUSED)
    return locked


def _score_problem(row: Score, value: Decimal) -> str | None:
    """Why a score cannot stand for its criterion (out of range, more than two decimals), or None."""
    if value < 0 or value > row.criterion.max_score:
        return _("“%(l)s”的得分应在0至%(m)s分之间") % {"l": row.criterion.label, "m": row.criterion.max_points}
    if value != value.quantize(selectors.CENT):
        return _("“%(l)s”的得分最多保留两位小数") % {"l": row.criterion.label}
    return None


def _scores_text(rows: dict[int, Score]) -> dict[str, Any]:
    return {str(s.criterion.key): (str(s.score) if s.score is not None else None, s.comment) for s in rows.values()}


def _apply_scores(sheet: ScoreSheet, scores: Sequence[ScoreInput], comment: str | None) -> dict[str, Any]:
    rows = {s.criterion_id: s for s in
            sheet.scores.select_related("criterion").select_for_update(of=("self",)).order_by("pk")}
    before = _scores_text(rows)
    errors = []
    for given in scores:
        row = rows.get(given.criterion_id)
        if row is None:
            raise DomainError(_("评估指标不属于该评估表。"), code=Codes.CRITERION_UNKNOWN)
        value = given.score
        if value is not None:
            problem = _score_problem(row, value)
            if problem is not None:
                errors.append(problem)
                continue
            value = value.quantize(selectors.CENT)
        row.score = value
        row.comment = given.comment.strip()
    if errors:
        raise DomainError("；".join(errors) + "。", code=Codes.SCORE_OUT_OF_RANGE)
    for row in rows.values():
        row.save(update_fields=["score", "comment"])
    changes = diff(before, _scores_text(rows))
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


def _lock_rubric(sheet: ScoreSheet, at: Any) -> None:
    """The first submitted sheet of the call freezes its rubric."""
    round_ = SelectionRound.objects.select_for_update(of=("self",)).get(call=sheet.panel.call)
    if round_.rubric_locked_at is None:
        round_.rubric_locked_at = at
        round_.save(update_fields=["rubric_locked_at"])


def _notify_if_complete(sheet: ScoreSheet, aggregate: selectors.Aggregate) -> None:
    """Tell the panel's organizers once every sheet of the application is in."""
    if not aggregate.complete:
        return
    panel = sheet.panel
    if panel.level == PanelLevel.CITY and panel.city is not None:
        target = link("city_table", panel.province, call_pk=panel.call_id, city=panel.city.code)
    else:
        target = link("province_ranking", panel.province, call_pk=panel.call_id)
    notify(panel_organizers(panel), title=_("评估表已全部提交：%(name)s") % {"name": sheet.application.institution.name},
           body=_("%(panel)s：%(n)s份评估表已全部提交，综合得分%(score)s。") % {
               "panel": panel, "n": aggregate.progress, "score": aggregate.score},
           link=target, province=panel.province)


def submit_sheet(sheet: ScoreSheet, *, acting_user: User, scores: Sequence[ScoreInput] | None = None,
                 comment: str | None = None) -> ScoreSheet:
    """Submit the sheet (with the scores of the form, if given). A submitted sheet is locked: a second submit, from
    another tab, changes nothing and says so."""
    with transaction.atomic():
        locked = _lock_own_sheet(sheet, acting_user)
        changes = _apply_scores(locked, scores or (), comment)
        if not can_proceed(locked.submit):
            raise DomainError(_("以下指标尚未评分：%(l)s。") % {"l": "、".join(locked.unscored_labels())},
                              code=Codes.SHEET_INCOMPLETE)
        now = timezone.now()
        locked.submit(now)
        locked.save(update_fields=["state", "total", "comment", "submitted_at", "saved_at"])
        _lock_rubric(locked, now)
        record_event(actor=acting_user, action="sheet_submitted", obj=locked, province=locked.panel.province,
                     from_state=SheetState.ASSIGNED, to_state=SheetState.SUBMITTED,
                     changes={**changes, "total": {"before": None, "after": str(locked.total)}})
        aggregate = selectors.aggregates(locked.panel, [locked.application_id])[locked.application_id]
    _notify_if_complete(locked, aggregate)
    return locked


def reopen_sheet(sheet: ScoreSheet, *, acting_user: User, reason: str) -> ScoreSheet:
    """An organizer reopens a submitted sheet for the expert to correct (reason required; scores are kept)."""
    require_panel_officer(acting_user, sheet.panel)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("退回重评必须填写理由。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update(of=("self",)).select_related(
            "panel__province", "expert__user", "application__institution").get(pk=sheet.pk)
        if locked.state != SheetState.SUBMITTED:
            raise ConflictError(_("该评估表当前状态为“%(s)s”，无需退回。") % {"s": locked.get_state_display()},
                                code=Codes.SHEET_NOT_SUBMITTED)
        if not can_proceed(locked.reopen):
            raise DomainError(_("该申请已作出推荐或遴选决定，评估表不能再退回。"), code=Codes.SHEET_DECIDED)
        locked.reopen()
        locked.save(update_fields=["state", "reopened_count"])
        record_event(actor=acting_user, action="sheet_reopened", obj=locked, province=locked.panel.province,
                     from_state=SheetState.SUBMITTED, to_state=SheetState.ASSIGNED, reason=reason,
                     changes={"reopened_count": {"before": locked.reopened_count - 1, "after": locked.reopened_count}})
    if locked.expert.user is not None:
        notify([locked.expert.user], title=_("评估表被退回重评：%(name)s") % {"name": locked.application.institution.name},
               body=reason, link=link("sheet", locked.panel.province, pk=locked.pk), province=locked.panel.province)
    return locked


def record_evidence_download(evidence: Evidence, *, acting_user: User) -> None:
    """An expert downloaded a material of the application behind their sheet: recorded in the audit trail."""
    application = evidence.application
    record_event(actor=acting_user, action="evidence_downloaded", obj=application, province=application.province,
                 changes={"file": evidence.original_name})
