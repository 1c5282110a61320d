"""The home page's worklists come from the cache until the province records a change, or a minute passes."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filings import services
from portal.models import User
from tests.factories import ApplicationFactory, CallFactory, InstitutionFactory, member_of

pytestmark = pytest.mark.django_db

DRAFTS = re.compile(r"未提交的草稿</a> <span class=\"count\">(\d+)</span>")


def drafts_shown(client: Client) -> int:
    page = client.get(reverse("province_home", kwargs={"province": "gd"})).content.decode()
    found = DRAFTS.search(page)
    return int(found.group(1)) if found else 0


@pytest.fixture
def member_client() -> tuple[Client, User]:
    institution = InstitutionFactory()
    member = member_of(institution)
    client = Client()
    client.force_login(member)
    return client, member


def test_a_change_made_through_a_service_shows_at_once(member_client: tuple[Client, User]) -> None:
    client, member = member_client
    assert drafts_shown(client) == 0

    # when the organization starts an application (the service records an audit event)
    institution = member.memberships.get().institution
    services.create_application(CallFactory(), institution, acting_user=member)

    # then the next view counts it: the province's newest event moved, so the cached sections are not used
    assert drafts_shown(client) == 1


def test_a_change_with_no_event_shows_within_a_minute(member_client: tuple[Client, User]) -> None:
    client, member = member_client
    institution = member.memberships.get().institution
    services.create_application(CallFactory(), institution, acting_user=member)
    assert drafts_shown(client) == 1

    # when a row changes with no audit event (as a deadline passing changes what is due)
    ApplicationFactory(institution=institution)

    # then the cached count stands until the cache's minute is over
    assert drafts_shown(client) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert drafts_shown(client) == 2


def test_a_cached_view_asks_the_database_less(member_client: tuple[Client, User]) -> None:
    client, _member = member_client
    url = reverse("province_home", kwargs={"province": "gd"})
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    with override_settings(HOME_CACHE_SECONDS=0), CaptureQueriesContext(connection) as uncached:
        client.get(url)
    # the first view computes (and reads the province's mark), the second reads the cache, the third computes again
    assert len(second) < len(uncached) < len(first)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0"}})
def test_an_unreachable_cache_costs_only_the_computation(member_client: tuple[Client, User]) -> None:
    client, member = member_client
    institution = member.memberships.get().institution
    services.create_application(CallFactory(), institution, acting_user=member)
    assert drafts_shown(client) == 1
