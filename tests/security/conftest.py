"""The matrix's one world, built once per module inside a transaction that is rolled back when the module ends;
each test runs in a savepoint of it (pytest-django's `db`), so no case sees another's writes."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from tests.security.world import World, build_world


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the matrix's size (URL patterns × roles = cases) when its module ran: the count the notes report."""
    ran = {getattr(report, "nodeid", "").split("::")[0]
           for kind in ("passed", "failed") for report in terminalreporter.stats.get(kind, [])}
    if "tests/security/test_matrix.py" in ran:
        from tests.security.test_matrix import matrix_counts  # collected by now

        terminalreporter.write_line(matrix_counts())
    if "tests/security/test_foreign_bodies.py" in ran:
        from tests.security.test_foreign_bodies import foreign_counts  # collected by now

        terminalreporter.write_line(foreign_counts())


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
