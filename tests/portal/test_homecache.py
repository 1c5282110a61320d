"""The home page's worklists come from the cache until the province records a change, or a minute passes."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filings import services
from portal import publicity
from portal.audit import audit_personal_data_read
from portal.models import Objection, Province, User
from tests.factories import (
    ApplicationFactory,
    AuditEventFactory,
    CallFactory,
    InstitutionFactory,
    ObjectionFactory,
    member_of,
    provincial_officer,
)

pytestmark = pytest.mark.django_db

def count_shown(client: Client, label: str) -> int:
    """The count the province home shows beside a worklist line (0 when the line is absent)."""
    page = client.get(reverse("province_home", kwargs={"province": "gd"})).content.decode()
    found = re.search(re.escape(label) + r"</a> <span class=\"count\">(\d+)</span>", page)
    return int(found.group(1)) if found else 0


def drafts_shown(client: Client) -> int:
    return count_shown(client, "未提交的草稿")


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


def objections_shown(client: Client) -> int:
    return count_shown(client, "待处理的公示异议")


@pytest.fixture
def officer_client() -> tuple[Client, User]:
    officer = provincial_officer("gd")
    client = Client()
    client.force_login(officer)
    return client, officer


def one_counted_one_added(client: Client) -> Objection:
    """An objection the home has counted (and cached), then a second one added with no event of its own; returns
    the first."""
    first = ObjectionFactory()
    assert objections_shown(client) == 1
    ObjectionFactory()
    return first


def test_a_change_recomputes_only_the_parts_that_read_what_changed(officer_client: tuple[Client, User]) -> None:
    client, _officer = officer_client
    one_counted_one_added(client)

    # when an application elsewhere changes
    AuditEventFactory(object_type="filings.application")

    # then the objections' count is not recomputed for it (it reads objections and notices only) ...
    assert objections_shown(client) == 1
    # ... but is at the next event of an objection
    AuditEventFactory(object_type="portal.objection")
    assert objections_shown(client) == 2


def test_the_officers_own_resolution_shows_on_the_next_view(officer_client: tuple[Client, User]) -> None:
    client, officer = officer_client
    first, _second = ObjectionFactory(), ObjectionFactory()
    assert objections_shown(client) == 2

    # when the officer dismisses one through the service (which records its event on the objection)
    publicity.resolve_objection(first, acting_user=officer, upheld=False, resolution="理由不成立。")

    # then their next view counts one
    assert objections_shown(client) == 1


def test_marks_lost_from_the_cache_only_cost_a_computation(officer_client: tuple[Client, User]) -> None:
    client, _officer = officer_client
    one_counted_one_added(client)
    AuditEventFactory(object_type="filings.application")
    assert objections_shown(client) == 1

    # when the snapshot of the province's marks is evicted and another application changes
    cache.delete(f"home-marks:{Province.objects.get(slug='gd').pk}")
    AuditEventFactory(object_type="filings.application")

    # then every part is computed afresh (the marks start again at the newest event), none read under an old mark
    assert objections_shown(client) == 2


def test_the_officers_home_after_a_complaint_event_asks_nothing_of_applications(
        officer_client: tuple[Client, User]) -> None:
    client, _officer = officer_client
    url = reverse("province_home", kwargs={"province": "gd"})
    client.get(url)

    # when a complaint changes in the province
    AuditEventFactory(object_type="supervision.complaint")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    # then the complaint counts are read again, the application counts (worklists and dashboard) are not
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "supervision_complaint" in tables
    assert "filings_application" not in tables


def test_an_event_committed_after_newer_ones_were_seen_still_counts(officer_client: tuple[Client, User]) -> None:
    client, _officer = officer_client
    one_counted_one_added(client)
    AuditEventFactory(object_type="filings.application")
    assert objections_shown(client) == 1

    # when an objection's event appears dated before the application's (its transaction committed later)
    AuditEventFactory(object_type="portal.objection", at=timezone.now() - dt.timedelta(seconds=5))

    # then the objections are counted again all the same
    assert objections_shown(client) == 2


def test_an_event_of_a_read_recomputes_nothing(officer_client: tuple[Client, User]) -> None:
    client, officer = officer_client
    first = one_counted_one_added(client)

    # when the officer is shown an objector's personal data (an audited read, not a change)
    audit_personal_data_read(officer, first, what="异议人联系方式", province=first.notice.province)

    # then the cached count stands (no change was recorded) until an objection's event
    assert objections_shown(client) == 1
    AuditEventFactory(object_type="portal.objection")
    assert objections_shown(client) == 2
