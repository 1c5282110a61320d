"""The exam rules as pure functions: staffing of each session, the pass rule, and how candidates fill sessions.

No I/O here: services pass in what they read, so every figure can be tested with exact values.
The usual figures (SPEC §5, national standards) apply unless the occupation's OccupationExamRule says otherwise.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models.exams import OccupationExamRule, SessionKind, StaffDuty, level_labels

PASS_MARK = Decimal("60")
CANDIDATES_PER_INVIGILATOR = 15
MIN_INVIGILATORS_PER_ROOM = 2
CANDIDATES_PER_ASSESSOR = 5
MIN_ASSESSORS = 3
MIN_REVIEW_PANEL = 3
REVIEW_LEVELS = frozenset({1, 2})  # 二级/技师 and 一级/高级技师 also sit a comprehensive review


@dataclass(frozen=True)
class Figures:
    pass_mark: Decimal = PASS_MARK
    candidates_per_invigilator: int = CANDIDATES_PER_INVIGILATOR
    min_invigilators_per_room: int = MIN_INVIGILATORS_PER_ROOM
    candidates_per_assessor: int = CANDIDATES_PER_ASSESSOR
    min_assessors: int = MIN_ASSESSORS
    min_review_panel: int = MIN_REVIEW_PANEL


def figures_for(rule: OccupationExamRule | None) -> Figures:
    """The usual figures with the occupation's overrides applied (an empty field keeps the usual figure)."""
    if rule is None:
        return Figures()
    usual = Figures()
    return Figures(
        pass_mark=rule.pass_mark if rule.pass_mark is not None else usual.pass_mark,
        candidates_per_invigilator=rule.candidates_per_invigilator or usual.candidates_per_invigilator,
        min_invigilators_per_room=rule.min_invigilators_per_room or usual.min_invigilators_per_room,
        candidates_per_assessor=rule.candidates_per_assessor or usual.candidates_per_assessor,
        min_assessors=rule.min_assessors or usual.min_assessors,
        min_review_panel=rule.min_review_panel or usual.min_review_panel,
    )


def kinds_for_level(level: int) -> tuple[str, ...]:
    if level in REVIEW_LEVELS:
        return (SessionKind.THEORY, SessionKind.PRACTICAL, SessionKind.REVIEW)
    return (SessionKind.THEORY, SessionKind.PRACTICAL)


# --- how candidates fill the sessions ---

@dataclass(frozen=True)
class SessionSlot:
    """What the allocation needs to know about a session."""

    id: int
    kind: str
    levels: frozenset[int]
    capacity: int
    label: str


@dataclass
class Allocation:
    per_session: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def allocate(slots: Sequence[SessionSlot], level_counts: dict[int, int]) -> Allocation:
    """Seat the candidates of each level in the sessions of each kind they sit, in session order, up to capacity.

    The roster does not name sessions: a level's candidates fill the first sessions of the kind that admit that level.
    Candidates left without a seat are a problem (too few sessions or too little capacity).
    """
    result = Allocation()
    for level in sorted(level_counts, reverse=True):
        for kind in kinds_for_level(level):
            remaining = level_counts[level]
            for slot in slots:
                if remaining <= 0:
                    break
                if slot.kind != kind or level not in slot.levels:
                    continue
                seats = slot.capacity - result.per_session[slot.id]
                taken = min(seats, remaining)
                if taken > 0:
                    result.per_session[slot.id] += taken
                    remaining -= taken
            if remaining > 0:
                result.problems.append(
                    _("%(level)s考生中有%(n)d人没有安排%(kind)s场次（场次或容量不足）")
                    % {"level": level_labels([level]), "n": remaining, "kind": SessionKind(kind).label}
                )
    return result


# --- staffing ---

def invigilators_needed(candidates: int, figures: Figures) -> int:
    return max(figures.min_invigilators_per_room, math.ceil(candidates / figures.candidates_per_invigilator))


def assessors_needed(candidates: int, figures: Figures) -> int:
    """At least one per N candidates and at least the minimum, rounded up to an odd number."""
    needed = max(figures.min_assessors, math.ceil(candidates / figures.candidates_per_assessor))
    return needed if needed % 2 else needed + 1


def review_panel_needed(figures: Figures) -> int:
    needed = figures.min_review_panel
    return needed if needed % 2 else needed + 1


def staffing_problems(kind: str, candidates: int, duties: Iterable[str], figures: Figures, label: str) -> list[str]:
    """What is short at one session, in words that say exactly what is missing."""
    counts = Counter(duties)
    if candidates <= 0:
        return []
    if kind == SessionKind.THEORY:
        have, need = counts[StaffDuty.INVIGILATOR], invigilators_needed(candidates, figures)
        if have < need:
            return [_("%(session)s：理论考试%(n)d名考生至少需要%(need)d名监考员，当前%(have)d名")
                    % {"session": label, "n": candidates, "need": need, "have": have}]
        return []
    if kind == SessionKind.PRACTICAL:
        have, need = counts[StaffDuty.ASSESSOR], assessors_needed(candidates, figures)
        if have < need or have % 2 == 0:
            return [_("%(session)s：实操考核%(n)d名考生至少需要%(need)d名考评员且为奇数，当前%(have)d名")
                    % {"session": label, "n": candidates, "need": need, "have": have}]
        return []
    have, need = counts[StaffDuty.ASSESSOR], review_panel_needed(figures)
    if have < need or have % 2 == 0:
        return [_("%(session)s：综合评审至少需要%(need)d名考评员组成评审组且为奇数，当前%(have)d名")
                % {"session": label, "need": need, "have": have}]
    return []


# --- the pass rule ---

@dataclass(frozen=True)
class Scores:
    level: int
    theory: Decimal | None = None
    theory_absent: bool = False
    practical: Decimal | None = None
    practical_absent: bool = False
    review: Decimal | None = None
    review_absent: bool = False


def passes(scores: Scores, figures: Figures = Figures()) -> bool | None:
    """True when every required part reaches the pass mark; False when a part is below it or absent (缺考);
    None while a required part has not been entered."""
    parts = [(scores.theory, scores.theory_absent), (scores.practical, scores.practical_absent)]
    if scores.level in REVIEW_LEVELS:
        parts.append((scores.review, scores.review_absent))
    if any(absent for _score, absent in parts):
        return False
    if any(score is None for score, _absent in parts):
        return None
    return all(score is not None and score >= figures.pass_mark for score, _absent in parts)


def default_evaluation_process(levels: Iterable[int], figures: Figures = Figures()) -> str:
    """The evaluation process (评价流程) the portal proposes for a plan's levels, for the organization to edit:
    the parts each level sits (kinds_for_level) and the pass mark of the occupation."""
    levels = sorted(set(levels))
    review = [lv for lv in levels if lv in REVIEW_LEVELS]
    exams = "理论知识考试—操作技能考核"
    if review and len(review) == len(levels):
        exams += "—综合评审"
    elif review:
        exams += "（二级/技师、一级/高级技师另加综合评审）"
    return f"资格审核—{exams}—成绩评定（各项成绩均达{figures.pass_mark.normalize():f}分为合格）—结果公示—证书发放"
