"""The call's selection round and its rubric: copied from the pack once, editable until the first sheet is submitted."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from filings.models import Call
from portal.audit import diff, record_event
from portal.errors import DomainError
from portal.models import User

from .. import selectors
from ..errors import Codes
from ..models import Criterion, SelectionRound, plain_number
from ._common import require_provincial_officer


def ensure_round(call: Call, *, acting_user: User) -> SelectionRound:
    """The call's selection round, with the pack's rubric copied into per-call criteria the first time."""
    with transaction.atomic():
        round_, created = SelectionRound.objects.get_or_create(call=call, defaults={"province": call.province})
        if not created:
            return round_
        round_ = SelectionRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
        pack = filing_selectors.pack_for(call.province)
        with translation.override(settings.LANGUAGE_CODE):  # the round's criteria are a record: stored in Chinese
            Criterion.objects.bulk_create(
                Criterion(round=round_, category=category, key=c.key, label=str(c.label), max_score=c.max_score,
                          description=str(c.description), position=n)
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
            code=Codes.RUBRIC_LOCKED,
        )
    return locked


@dataclass(frozen=True)
class CriterionChange:
    criterion_id: int
    label: str
    max_score: Decimal
    description: str


def _apply_changes(criteria: dict[int, Criterion], changes: Sequence[CriterionChange]) -> None:
    """Set the new labels, maxima and descriptions (unsaved); refuse an empty label, a maximum not above zero, or
    maxima not totalling 100."""
    unknown = [c.criterion_id for c in changes if c.criterion_id not in criteria]
    if unknown:
        raise DomainError(_("评估指标不属于该类别。"), code=Codes.CRITERION_UNKNOWN)
    for change in changes:
        criterion = criteria[change.criterion_id]
        if not change.label.strip():
            raise DomainError(_("评估指标名称不能为空。"), code=Codes.CRITERION_LABEL_MISSING)
        if change.max_score <= 0:
            raise DomainError(_("“%(l)s”的分值必须大于0。") % {"l": change.label}, code=Codes.CRITERION_MAX_INVALID)
        criterion.label = change.label.strip()
        criterion.max_score = change.max_score.quantize(selectors.CENT)
        criterion.description = change.description.strip()
    total = sum((c.max_score for c in criteria.values()), Decimal(0))
    if total != Decimal(100):
        raise DomainError(
            _("各项分值合计应为100分，现为%(t)s分。") % {"t": plain_number(total)}, code=Codes.RUBRIC_TOTAL_NOT_100
        )


def _criteria_text(criteria: dict[int, Criterion]) -> dict[str, Any]:
    return {f"{c.key}": f"{c.label}|{c.max_score}|{c.description}" for c in criteria.values()}


def update_rubric(round_: SelectionRound, *, acting_user: User, category: str,
                  changes: Sequence[CriterionChange], drop_extremes: bool | None = None) -> list[Criterion]:
    """Edit one category's criteria of the call (labels, maximum scores totalling 100, descriptions) and the
    drop-highest-and-lowest option, until the first sheet of the call is submitted."""
    require_provincial_officer(acting_user, round_.province)
    with transaction.atomic():
        locked = _lock_editable_round(round_)
        criteria = {c.pk: c for c in
                    Criterion.objects.select_for_update(of=("self",)).filter(round=locked, category=category)}
        before = _criteria_text(criteria)
        _apply_changes(criteria, changes)
        for criterion in criteria.values():
            criterion.save(update_fields=["label", "max_score", "description"])
        changed = diff(before, _criteria_text(criteria))
        if drop_extremes is not None and drop_extremes != locked.drop_extremes:
            changed["drop_extremes"] = {"before": locked.drop_extremes, "after": drop_extremes}
            locked.drop_extremes = drop_extremes
            locked.save(update_fields=["drop_extremes"])
        if changed:
            record_event(actor=acting_user, action="rubric_updated", obj=locked.call, province=locked.province,
                         reason=category, changes=changed)
    return sorted(criteria.values(), key=lambda c: (c.position, c.pk))
