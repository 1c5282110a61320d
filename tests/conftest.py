"""Fixtures shared by every test package: reference data, provinces and logged-in clients."""

from collections.abc import Callable

import pytest
from django.test import Client

from portal.models import Province, User
from portal.reference_data import ensure_reference_data


@pytest.fixture
def reference_data(db: None) -> None:
    """Provinces, cities, the 2020–2026 calendar and the shipped occupations, as the data migrations load them.

    A test on `db` already has them: it runs in a transaction over the migrated database. A transactional test
    (`transactional_db`, `live_server`, `@pytest.mark.django_db(transaction=True)`) flushes every table when it
    ends, migration data included, so the next one starts with none: every transactional test must use this
    fixture. Request it explicitly (it documents the need); the autouse fixture below also adds it to any
    transactional test that forgot. It is idempotent and cheap when the data is there, so it is safe anywhere (even
    as autouse); it depends on `db`, which pytest-django upgrades to `transactional_db` when the test asks for that.
    """
    ensure_reference_data()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction", False))
    )


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Give every transactional test `reference_data`, so none can forget it; other tests are left alone."""
    if _is_transactional(request):
        request.getfixturevalue("reference_data")


@pytest.fixture
def gd(db: None) -> Province:
    return Province.objects.get(slug="gd")


@pytest.fixture
def sd(db: None) -> Province:
    return Province.objects.get(slug="sd")


@pytest.fixture
def login(db: None) -> Callable[[User], Client]:
    """login(user) -> a new test client with `user` logged in.

    force_login, because Client.login() authenticates without a request, which django-axes refuses.
    """

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
