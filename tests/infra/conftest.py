"""Fixtures of the fault drills: a Redis of the test's own, stopped whatever happened."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.infra.processes import Redis


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()
