"""Fixtures of the selection tests: a pinned clock (the cache is cleared for every test by tests/conftest.py)."""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 1 June 2026: five working days of publicity run Tuesday 2 June to Monday 8 June.
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def monday() -> Iterator[object]:
    """The clock at 10:00 on Monday 1 June 2026 (Asia/Shanghai), not ticking."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller
