"""Funnel-plot limits: an organization's rate against the province's, p0 ± z·√(p0(1−p0)/n), and the band it falls in."""

import math
from dataclasses import dataclass

from .models import Band

Z_95 = 1.96
Z_998 = 3.09


@dataclass(frozen=True)
class Limits:
    """The 95% and 99.8% limits around p0 for a denominator n, clipped to [0, 1]."""

    n: int
    low_998: float
    low_95: float
    high_95: float
    high_998: float


def limits(p0: float, n: int) -> Limits:
    """The funnel limits for n (n > 0) around the province's rate p0."""
    if n <= 0:
        raise ValueError("n must be positive")
    se = math.sqrt(p0 * (1 - p0) / n)

    def clip(value: float) -> float:
        return min(1.0, max(0.0, value))

    return Limits(n, clip(p0 - Z_998 * se), clip(p0 - Z_95 * se), clip(p0 + Z_95 * se), clip(p0 + Z_998 * se))


def band(x: int, n: int, p0: float | None, *, min_n: int) -> str:
    """The Band of x of n: too few under min_n; no data without n or a norm; else where x/n lies in the funnel."""
    if n <= 0 or p0 is None:
        return Band.NO_DATA
    if n < min_n:
        return Band.TOO_FEW
    p = x / n
    bounds = limits(p0, n)
    if p > bounds.high_998:
        return Band.HIGH_998
    if p > bounds.high_95:
        return Band.HIGH_95
    if p < bounds.low_998:
        return Band.LOW_998
    if p < bounds.low_95:
        return Band.LOW_95
    return Band.INSIDE


def z_excess(x: int, n: int, p0: float | None) -> float:
    """How many standard errors x/n lies above p0 (0 when below, without data or with a degenerate norm)."""
    if n <= 0 or p0 is None or p0 <= 0 or p0 >= 1:
        return 0.0
    return max(0.0, (x / n - p0) / math.sqrt(p0 * (1 - p0) / n))


# The bad side of each ranked rate: an unusually high pass rate (lax evaluation) and a high complaint rate.
BAD_BANDS = (Band.HIGH_998,)
