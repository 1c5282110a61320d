"""Reads of the stored indicators: each cell's values as rates with denominators and 95% Wilson intervals, means and
bands, with their definitions — one computation for the page, the API and the Excel export."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from portal.models import Institution

from ..models import IndicatorCell, IndicatorRun, WageBand
from ..stats import Rate, per_thousand, rate
from .definitions import BY_KEY, DEFINITIONS, Definition

NOT_COLLECTED = "not_collected"


@dataclass(frozen=True)
class IndicatorValue:
    definition: Definition
    display: str  # what the page shows, e.g. "90.0%" or "4.20" or "3000–4999元"
    denominator: int | None = None
    rate: Rate | None = None
    value: Any = None
    collected: bool = True

    @property
    def key(self) -> str:
        return self.definition.key

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "label": str(self.definition.label), "display": self.display,
                                "value": self.value, "denominator": self.denominator, "collected": self.collected}
        if self.rate is not None:
            data.update(numerator=self.rate.numerator, low=_round(self.rate.low), high=_round(self.rate.high),
                        value=_round(self.rate.value))
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _rate_value(key: str, numerator: int, denominator: int) -> IndicatorValue:
    r = rate(numerator, denominator)
    return IndicatorValue(BY_KEY[key], r.percent, denominator, r, r.value)


def _mean_value(key: str, value: Decimal | None, denominator: int) -> IndicatorValue:
    return IndicatorValue(BY_KEY[key], "—" if value is None else f"{value:.2f}", denominator,
                          value=None if value is None else float(value))


def _count_value(key: str, value: int | None) -> IndicatorValue:
    return IndicatorValue(BY_KEY[key], "—" if value is None else str(value), value=value)


def _complaints(cell: IndicatorCell) -> IndicatorValue:
    if cell.complaints is None:
        return IndicatorValue(BY_KEY["complaints"], "尚未采集", cell.registered, collected=False)
    value = per_thousand(cell.complaints, cell.registered)
    return IndicatorValue(BY_KEY["complaints"], "—" if value is None else str(value), cell.registered,
                          value=None if value is None else float(value))


def _wage(cell: IndicatorCell) -> IndicatorValue:
    band = cell.wage_median_band
    return IndicatorValue(BY_KEY["wage_median"], "—" if band is None else str(WageBand(band).label),
                          cell.wage_answered, value=band)


def cell_values(cell: IndicatorCell) -> list[IndicatorValue]:
    """Every indicator of one cell, in the order of DEFINITIONS."""
    values = {
        "registered": _count_value("registered", cell.registered),
        "enrolment": _count_value("enrolment", cell.enrolment),
        "participation": _rate_value("participation", cell.sat, cell.registered),
        "pass_rate": _rate_value("pass_rate", cell.passed, cell.sat),
        "certificates": _count_value("certificates", cell.certificates),
        "complaints": _complaints(cell),
        "complaints_on_time": _rate_value("complaints_on_time", cell.complaints_on_time, cell.complaints_answered),
        "response_rate": _rate_value("response_rate", min(cell.feedback_responses, cell.certificates),
                                     cell.certificates),
        "employment_rate": _rate_value("employment_rate", cell.employed, cell.feedback_responses),
        "match_rate": _rate_value("match_rate", cell.matched, cell.match_answered),
        "wage_median": _wage(cell),
        "training_satisfaction": _mean_value("training_satisfaction", cell.training_satisfaction_mean,
                                             cell.feedback_responses),
        "evaluation_satisfaction": _mean_value("evaluation_satisfaction", cell.evaluation_satisfaction_mean,
                                               cell.feedback_responses),
        "employer_skill": _mean_value("employer_skill", cell.employer_skill_mean, cell.employer_ratings),
        "employer_rehire": _rate_value("employer_rehire", cell.employer_rehire, cell.employer_ratings),
    }
    return [values[d.key] for d in DEFINITIONS]


def cell_dict(cell: IndicatorCell) -> dict[str, Any]:
    """A cell for the API: its organization, occupation and period, and every indicator."""
    return {
        "organization": {"id": cell.institution_id, "name": cell.institution.name},
        "occupation": {"code": cell.occupation.code, "name": cell.occupation.name},
        "period_kind": cell.period_kind, "period": cell.period, "period_start": cell.period_start,
        "period_end": cell.period_end, "computed_at": cell.computed_at,
        "indicators": [v.as_dict() for v in cell_values(cell)],
    }


def organization_cells(institution: Institution, *, period_kind: str) -> QuerySet[IndicatorCell]:
    return (IndicatorCell.objects.filter(institution=institution, period_kind=period_kind)
            .select_related("occupation", "institution").order_by("-period_start", "occupation__code"))


def organization_periods(institution: Institution, *, period_kind: str) -> list[str]:
    return list(IndicatorCell.objects.filter(institution=institution, period_kind=period_kind)
                .order_by("-period_start").values_list("period", flat=True).distinct())


def last_run() -> IndicatorRun | None:
    return IndicatorRun.objects.filter(finished_at__isnull=False).order_by("-id").first()
