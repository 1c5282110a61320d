"""Exam results: starting the entry, entering one candidate's scores, importing a results file."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import User

from .. import imports, rules
from ..errors import Codes, RowsRejected
from ..models import Candidate, ExamPlan, OccupationExamRule, ResultCorrection
from ._common import _RESULT_FIELDS, P, _require_member, _result_values, _transition


def exam_held(plan: ExamPlan) -> bool:
    """The plan's last session has come (its day included): the results may be entered."""
    return plan.last_session_on is not None and plan.last_session_on <= timezone.localdate()


def _require_exam_held(plan: ExamPlan) -> None:
    if not exam_held(plan):
        raise DomainError(
            _("考核尚未结束（末场%(date)s），考核结束后方可录入成绩。") % {
                "date": plan.last_session_on.isoformat() if plan.last_session_on else "—"},
            code=Codes.EXAM_NOT_HELD)


def start_results(plan: ExamPlan, *, acting_user: User) -> ExamPlan:
    """After the last session, the organization opens the plan for its results."""
    _require_member(acting_user, plan.institution)
    return _transition(plan, acting_user=acting_user, action="exam_results_started", do=lambda p: p.start_results(),
                       allowed=lambda p: p.start_results, check=_require_exam_held)


def _figures(plan: ExamPlan) -> rules.Figures:
    return rules.figures_for(OccupationExamRule.objects.filter(occupation_id=plan.occupation_id).first())


def _apply_scores(candidate: Candidate, row: imports.ResultRow | rules.Scores, figures: rules.Figures) -> None:
    if isinstance(row, imports.ResultRow):
        scores = rules.Scores(candidate.level, row.theory, row.theory_absent, row.practical, row.practical_absent,
                              row.review, row.review_absent)
    else:
        scores = row
    tenth = Decimal("0.1")
    candidate.theory_score = None if scores.theory is None else scores.theory.quantize(tenth)
    candidate.practical_score = None if scores.practical is None else scores.practical.quantize(tenth)
    candidate.review_score = None if scores.review is None else scores.review.quantize(tenth)
    candidate.theory_absent, candidate.practical_absent = scores.theory_absent, scores.practical_absent
    candidate.review_absent = scores.review_absent
    candidate.passed = rules.passes(scores, figures)
    if candidate.withheld_reason:
        candidate.passed = False  # an upheld objection stands until the candidate is examined again


def _lock_for_results(plan: ExamPlan, acting_user: User, reason: str) -> tuple[ExamPlan, bool]:
    _require_member(acting_user, plan.institution)
    locked = ExamPlan.objects.select_for_update(of=("self",)).select_related("province", "institution", "occupation").get(
        pk=plan.pk)
    if locked.state not in (P.RESULTS_ENTRY, P.RESULTS_RETURNED):
        raise InvalidTransition(
            _("考核计划当前状态为“%(state)s”，不能录入成绩。") % {"state": locked.get_state_display()})
    correcting = locked.state == P.RESULTS_RETURNED
    if correcting and not reason.strip():
        raise DomainError(_("更正退回的成绩须填写更正理由。"), code=Codes.REASON_REQUIRED)
    return locked, correcting


def _save_results(locked: ExamPlan, changed: list[tuple[Candidate, dict[str, Any]]], *, acting_user: User,
                  correcting: bool, reason: str, action: str) -> None:
    Candidate.objects.bulk_update([c for c, _before in changed], list(_RESULT_FIELDS), batch_size=500)
    diffs: dict[str, Any] = {}
    for c, before in changed:
        after = _result_values(c)
        delta = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if delta:
            diffs[f"{c.masked_id} {c.name}"] = delta
            if correcting:
                ResultCorrection.objects.create(candidate=c, changes=delta, reason=reason, corrected_by=acting_user)
    record_event(actor=acting_user, action=action, obj=locked, province=locked.province, reason=reason,
                 changes={"results": {"before": None, "after": len(changed)}} | ({"corrections": diffs} if correcting
                                                                                 else {"entered": len(diffs)}))


def enter_result(candidate: Candidate, *, acting_user: User, scores: rules.Scores, reason: str = "") -> Candidate:
    """Enter (or, after a return, correct with a reason) one candidate's scores; absent is a state, not a zero."""
    with transaction.atomic():
        locked, correcting = _lock_for_results(candidate.plan, acting_user, reason)
        row = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk, plan=locked)
        for part in ("theory", "practical", "review"):
            score = getattr(scores, part)
            if score is not None and not (Decimal(0) <= score <= Decimal(100)):
                raise DomainError(_("成绩应在0—100之间。"), code=Codes.RESULTS_INVALID)
        if row.level not in rules.REVIEW_LEVELS and (scores.review is not None or scores.review_absent):
            raise DomainError(_("该考生等级无需综合评审。"), code=Codes.RESULTS_INVALID)
        before = _result_values(row)
        _apply_scores(row, rules.Scores(row.level, scores.theory, scores.theory_absent, scores.practical,
                                        scores.practical_absent, scores.review, scores.review_absent), _figures(locked))
        _save_results(locked, [(row, before)], acting_user=acting_user, correcting=correcting, reason=reason.strip(),
                      action="exam_result_corrected" if correcting else "exam_result_entered")
    return row


def import_results(plan: ExamPlan, *, acting_user: User, content: bytes, filename: str = "",
                   reason: str = "") -> int:
    """Enter the scores of the file's rows: every row valid, or nothing stored and every bad row reported."""
    with transaction.atomic():
        locked, correcting = _lock_for_results(plan, acting_user, reason)
        candidates = {c.id_number: c for c in locked.candidates.select_for_update(of=("self",))}
        try:
            header, raw_rows = imports.read_rows(content, filename)
            rows, errors = imports.parse_results(
                header, raw_rows, roster={n: (c.name, c.level) for n, c in candidates.items()})
        except imports.FileUnreadable as exc:
            raise DomainError(str(exc), code=Codes.FILE_UNREADABLE) from exc
        if errors:
            raise RowsRejected(
                _("成绩表有%(n)d行错误，未保存任何成绩，请修改后重新导入。") % {"n": len(errors)}, errors,
                code=Codes.RESULTS_INVALID)
        figures = _figures(locked)
        changed = []
        for row in rows:
            c = candidates[row.id_number]
            before = _result_values(c)
            _apply_scores(c, row, figures)
            changed.append((c, before))
        _save_results(locked, changed, acting_user=acting_user, correcting=correcting, reason=reason.strip(),
                      action="exam_results_corrected" if correcting else "exam_results_imported")
    return len(rows)
