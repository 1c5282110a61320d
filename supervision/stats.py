"""Statistics of the indicators: a rate with its 95% Wilson score interval, means and the median of ordered bands."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Z_95 = 1.959963984540054  # the two-sided 95% normal quantile


@dataclass(frozen=True)
class Rate:
    """numerator / denominator with its Wilson interval; ``value`` and the bounds are None when nothing was counted."""

    numerator: int
    denominator: int
    value: float | None
    low: float | None
    high: float | None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"

    @property
    def interval(self) -> str:
        """The 95% interval in percent, e.g. "78.6%–95.7%"."""
        if self.low is None or self.high is None:
            return "—"
        return f"{self.low * 100:.1f}%–{self.high * 100:.1f}%"


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (successes of n), clipped to [0, 1]."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= successes <= n:
        raise ValueError("successes must lie in 0..n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(numerator: int, denominator: int) -> Rate:
    """A rate with its 95% Wilson interval, or an empty one when the denominator is 0."""
    if denominator <= 0:
        return Rate(numerator, denominator, None, None, None)
    low, high = wilson_interval(numerator, denominator)
    return Rate(numerator, denominator, numerator / denominator, low, high)


def mean(values: Iterable[int]) -> Decimal | None:
    """The arithmetic mean to two decimals (half up), or None without values."""
    items = list(values)
    if not items:
        return None
    return (Decimal(sum(items)) / Decimal(len(items))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def median_band(bands: Iterable[int]) -> int | None:
    """The median of ordered bands: the lower middle band when the count is even (a band, never between two)."""
    items = sorted(bands)
    if not items:
        return None
    return items[(len(items) - 1) // 2]


def per_thousand(count: int, base: int) -> Decimal | None:
    """count per 1,000 of base, to one decimal."""
    if base <= 0:
        return None
    return (Decimal(count) * 1000 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
