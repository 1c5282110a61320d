"""Skips tests that need a real service the run does not have, saying which variable to set.

Registered with `-p tests.markers_plugin` in pyproject's addopts. `make test` runs the suite twice: on SQLite
without these tests (`-m "not postgres and not redis and not browser"`), then on a throwaway PostgreSQL and Redis
with all of them. Run alone (plain `pytest`), a `postgres` or `redis` test without its server is skipped, not failed.
"""

import os

import pytest


def _database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def _broker_is_redis() -> bool:
    return os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skips = {
        "postgres": None if _database_is_postgres() else pytest.mark.skip(
            reason="needs PostgreSQL: set DATABASE_URL=postgres://... (make test starts a throwaway server)"
        ),
        "redis": None if _broker_is_redis() else pytest.mark.skip(
            reason="needs Redis: set CELERY_BROKER_URL=redis://... (make test starts a throwaway server)"
        ),
    }
    for item in items:
        for marker, skip in skips.items():
            if skip is not None and item.get_closest_marker(marker) is not None:
                item.add_marker(skip)
