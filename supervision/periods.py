"""Reporting periods of the indicators: quarters and years, named "2026Q1" and "2026"."""

import datetime as dt
import re
from dataclasses import dataclass

from .models import PeriodKind

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str  # PeriodKind value
    key: str  # "2026Q1" or "2026"
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.key[:4]}年第{self.key[-1]}季度"
        return f"{self.key}年"


def _quarter(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return Period(PeriodKind.QUARTER, f"{year}Q{quarter}", start, end)


def _year(year: int) -> Period:
    return Period(PeriodKind.YEAR, str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def period_of(day: dt.date, kind: str) -> Period:
    """The period of this kind holding the day."""
    if kind == PeriodKind.QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.YEAR:
        return _year(day.year)
    raise ValueError(f"unknown period kind {kind!r}")


def parse_period(key: str) -> Period | None:
    """The period named by "2026Q1" or "2026", or None for anything else."""
    text = (key or "").strip().upper()
    if m := _QUARTER.match(text):
        return _quarter(int(m.group(1)), int(m.group(2)))
    if m := _YEAR.match(text):
        return _year(int(m.group(1)))
    return None


def recent_periods(kind: str, *, today: dt.date, count: int) -> list[Period]:
    """The ``count`` periods of this kind ending with the one holding ``today``, newest first."""
    periods = [period_of(today, kind)]
    while len(periods) < count:
        periods.append(period_of(periods[-1].start - dt.timedelta(days=1), kind))
    return periods
