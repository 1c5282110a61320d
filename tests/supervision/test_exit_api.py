"""The exit and suspension API: the same rules and codes as the pages, scoped to the province and the caller."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from filings.models import FilingStatus
from tests.factories import SHANGHAI, FilingFactory, pdf_upload, provincial_officer, the_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_monday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


def test_a_voluntary_exit_over_the_api(login: Any) -> None:
    filing = FilingFactory(province="gz")
    api = login(the_member(filing))
    url = f"/api/v1/gz/supervision/filings/{filing.pk}/voluntary-exit/"

    early = api.post(url, {"exit_on": "2026-03-31", "reason": "业务调整"}, content_type="application/json")
    assert (early.status_code, early.json()["code"], early.json()["earliest"]) == (400, "exit_too_early", "2026-04-01")

    made = api.post(url, {"exit_on": "2026-04-01", "reason": "业务调整"}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert (body["kind"], body["state"], body["exit_on"]) == ("voluntary", "requested", "2026-04-01")
    assert sorted(t["kind"] for t in body["tasks"]) == ["archives", "certificate_data"]
    again = api.post(url, {"exit_on": "2026-04-02", "reason": "再次"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "exit_open")


def test_an_ordered_exit_and_a_suspension_over_the_api(login: Any) -> None:
    filing = FilingFactory(province="gz")
    other = FilingFactory(province="gz")
    api = login(provincial_officer("gz"))

    suspended = api.post(f"/api/v1/gz/supervision/filings/{other.pk}/suspend/",
                         {"ends_on": "2026-03-31", "reason": "限期整改"}, content_type="application/json")
    assert (suspended.status_code, suspended.json()["state"]) == (201, "in_force")
    listed = api.get("/api/v1/gz/supervision/suspensions/?state=in_force").json()
    assert [s["filing_id"] for s in listed["results"]] == [other.pk]

    missing = api.post(f"/api/v1/gz/supervision/filings/{filing.pk}/order-exit/", {"reason": "严重违规"})
    assert (missing.status_code, missing.json()["code"]) == (400, "evidence_required")
    ordered = api.post(f"/api/v1/gz/supervision/filings/{filing.pk}/order-exit/",
                       {"reason": "严重违规", "evidence": pdf_upload(), "proposal_type": "supervision.complaint",
                        "proposal_id": "7"})
    assert ordered.status_code == 201
    assert (ordered.json()["state"], ordered.json()["wrap_up_due_on"]) == ("wrapping_up", "2026-03-16")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.EXITING

    refused = api.post(f"/api/v1/gz/supervision/exits/{ordered.json()['id']}/confirm/", {},
                       content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (400, "wrap_up_incomplete")
    assert login(provincial_officer("sd")).get(f"/api/v1/sd/supervision/exits/{ordered.json()['id']}/").status_code == 404
    # A URL naming an object answers 404 to a caller without the role, whatever the reason (portal.roles.
    # resolve_province_access; docs/architecture.md "Requests, tenancy and roles"): the member's own filing included.
    member = login(the_member(filing))
    refused_member = member.post(f"/api/v1/gz/supervision/filings/{filing.pk}/suspend/",
                                 {"ends_on": "2026-03-31", "reason": "x"}, content_type="application/json")
    assert (refused_member.status_code, refused_member.json()["code"]) == (404, "not_found")
    assert member.get(f"/api/v1/gz/supervision/exits/{ordered.json()['id']}/").status_code == 200
