"""Fixtures shared by every test package: reference data (intact in any order), a clean cache, provinces and
logged-in clients."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from portal.models import Province, User
from portal.reference_data import ensure_reference_data


@pytest.fixture
def reference_data(db: None) -> None:
    """Provinces, cities, the 2020–2026 calendar and the shipped occupations, as the data migrations load them.

    Every test finds them, whatever ran before it: a transactional test (`transactional_db`, `live_server`,
    `@pytest.mark.django_db(transaction=True)`) flushes every table when it ends, migration data included, and
    `pytest_runtest_teardown` below loads them again right after that flush. A transactional test may still request
    this fixture to document its need (it is idempotent, and nearly free when the data is there).
    """
    ensure_reference_data()


def _is_transactional(item: pytest.Item) -> bool:
    """Whether the test ran outside a rolled-back transaction, so that its database was flushed when it ended."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or (marker is not None and bool(marker.kwargs.get("transaction", False)))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test's flush, load the reference data again, so the next test (in any order) has it.

    Plain `db` tests run inside a transaction that is rolled back, so they cannot restore it for themselves: the
    restore happens here, once per transactional test, after its fixtures (and the flush) have been torn down. Not
    after the session's last test: by then the test database is gone too, and the connection names the real one.
    """
    try:
        return (yield)
    finally:
        if nextitem is not None and _is_transactional(item):
            with item.config.stash[blocking_manager_key].unblock():
                ensure_reference_data()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the portal's language: a request made in English (LocaleMiddleware) leaves English
    active in the thread, and in random order the next test would inherit it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """Every test starts and ends with an empty cache (rate-limit counters live there), whatever ran before it."""
    cache.clear()
    yield
    cache.clear()


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
