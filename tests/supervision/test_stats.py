"""The statistics of the indicators, with exact values."""

from decimal import Decimal

import pytest

from supervision.periods import parse_period, period_of, recent_periods
from supervision.stats import mean, median_band, per_thousand, rate, wilson_interval


def test_wilson_interval_of_45_of_50():
    low, high = wilson_interval(45, 50)
    assert (round(low, 4), round(high, 4)) == (0.7864, 0.9565)


def test_wilson_interval_at_the_edges():
    assert tuple(round(x, 4) for x in wilson_interval(0, 10)) == (0.0, 0.2775)
    assert tuple(round(x, 4) for x in wilson_interval(10, 10)) == (0.7225, 1.0)
    assert tuple(round(x, 4) for x in wilson_interval(1, 2)) == (0.0945, 0.9055)


def test_wilson_interval_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(3, 0)
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


def test_rate_shows_percent_and_interval_or_a_dash_without_denominator():
    r = rate(45, 50)
    assert (r.numerator, r.denominator, r.value, r.percent, r.interval) == (45, 50, 0.9, "90.0%", "78.6%–95.7%")
    empty = rate(0, 0)
    assert (empty.value, empty.low, empty.percent, empty.interval) == (None, None, "—", "—")


def test_mean_median_band_and_per_thousand():
    assert mean([4, 5, 5]) == Decimal("4.67")
    assert mean([]) is None
    assert median_band([1, 3, 2]) == 2
    assert median_band([1, 2, 3, 4]) == 2  # the lower middle band
    assert median_band([]) is None
    assert per_thousand(3, 1200) == Decimal("2.5")
    assert per_thousand(1, 0) is None


def test_periods():
    import datetime as dt

    q = period_of(dt.date(2026, 5, 17), "quarter")
    assert (q.key, q.start, q.end, q.label) == ("2026Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026年第2季度")
    assert period_of(dt.date(2026, 12, 31), "quarter").end == dt.date(2026, 12, 31)
    assert period_of(dt.date(2026, 5, 17), "year").key == "2026"
    assert parse_period("2025q4").key == "2025Q4"
    assert parse_period("2025Q5") is None and parse_period("abc") is None
    assert [p.key for p in recent_periods("quarter", today=dt.date(2026, 2, 1), count=3)] == ["2026Q1", "2025Q4",
                                                                                             "2025Q3"]
