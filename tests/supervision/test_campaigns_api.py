"""The campaigns, inspections and rectification API: the whole loop with the app's error codes, scoped like the
pages (a day fixed by time_machine, so that deadlines fall in the calendar's years)."""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client

from portal.models import User
from supervision.models import RectificationOrder
from tests.factories import NOW, member_of
from tests.supervision.inspection_helpers import world

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
API = "/api/v1/gd/supervision"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _post(client: Client, url: str, data: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post(f"{API}/{url}", data, content_type="application/json")
    return response.status_code, response.json()


def test_the_loop_over_the_api(reference_data: None, login: Login) -> None:
    w = world(organizations=3, inspectors=3)
    officer = login(w.officer)
    today = NOW.date().isoformat()
    spec = {"title": "API 抽查", "organizations_to_draw": 1, "inspectors_per_organization": 1,
            "random_source": "双色球", "random_source_date": "2026-09-01", "inspect_from": today,
            "inspect_until": "2026-10-30"}
    assert _post(officer, "campaigns/", spec)[1]["code"] == "campaign_invalid"
    status, campaign = _post(officer, "campaigns/", {**spec, "random_source_date": today})
    assert status == 201 and campaign["state"] == "draft"
    pk = campaign["id"]
    status, body = _post(officer, f"campaigns/{pk}/draw/", {"sources": [[1, 2]]})
    assert (status, body["code"]) == (409, "campaign_state")
    status, body = _post(officer, f"campaigns/{pk}/commit/", {})
    assert status == 200 and len(body["commitment"]["frame"]) == 3
    assert _post(officer, f"campaigns/{pk}/draw/", {"sources": [[-1]]})[0] == 400
    status, body = _post(officer, f"campaigns/{pk}/draw/", {"sources": [[9319], [2, 5, 8, 10, 12]]})
    assert status == 200 and body["key"] == "9319./2.5.8.10.12./" and len(body["picks"]) == 2
    assert _post(officer, f"campaigns/{pk}/close/", {})[1]["code"] == "inspections_open"

    inspection = officer.get(f"{API}/inspections/?campaign={pk}").json()["results"][0]
    detail = officer.get(f"{API}/inspections/{inspection['id']}/").json()
    code = detail["assignments"][0]["code"]
    inspector = next(u for u in w.inspectors if code.endswith(f"{u.pk:05d}"))
    api = login(inspector)
    assert _post(officer, f"inspections/{inspection['id']}/findings/", {"severity": "minor", "text": "x"})[0] == 404
    status, finding = _post(api, f"inspections/{inspection['id']}/findings/",
                            {"severity": "serious", "text": "档案不全"})
    assert status == 201 and finding["order_id"]
    order = RectificationOrder.objects.get(pk=finding["order_id"])
    assert order.deadline == dt.date(2026, 10, 16)  # ten working days across the National Day holiday
    member = login(member_of(order.institution))
    answered = member.post(f"{API}/rectification/{order.pk}/answer/", {"text": "已补齐"})
    assert answered.status_code == 201
    assert _post(api, f"rectification/{order.pk}/verify/", {"accepted": False})[1]["code"] == "reason_required"
    status, body = _post(api, f"rectification/{order.pk}/verify/", {"accepted": True})
    assert status == 200 and body["state"] == "closed" and body["closed_late"] is False
    assert _post(api, f"rectification/{order.pk}/verify/", {"accepted": True})[1]["code"] == "order_state"
    assert member.get(f"{API}/rectification/").json()["count"] == 1
    assert _post(api, f"inspections/{inspection['id']}/complete/", {"report": "发现问题1项"})[0] == 200
    status, body = _post(officer, f"campaigns/{pk}/close/", {})
    assert status == 200 and body["state"] == "closed"


def test_another_organization_sees_no_order(reference_data: None, login: Login) -> None:
    w = world(organizations=2, inspectors=0)
    outsider = login(member_of(w.filings[1].institution))
    assert outsider.get(f"{API}/rectification/").json()["count"] == 0
    assert outsider.get(f"{API}/campaigns/").status_code == 403


def test_a_finding_naming_another_inspections_checklist_item_is_refused(reference_data: None, login: Login) -> None:
    """The access matrix leaves this field to this test (tests/security/foreign.py OTHER_KIND): an inspector of one
    inspection naming a checklist item of another inspection gets a 404, and nothing is recorded."""
    from portal.models import AuditEvent
    from supervision.models import ChecklistItem, Finding
    from tests.supervision.inspection_helpers import drawn, inspector_of

    w = world(organizations=3, inspectors=4)
    mine, theirs = drawn(w, organizations_to_draw=2, inspectors_per_organization=1).inspections.order_by("pk")
    foreign_item = ChecklistItem.objects.filter(inspection=theirs).first()
    own_item = ChecklistItem.objects.filter(inspection=mine).first()
    assert foreign_item is not None and own_item is not None
    api = login(inspector_of(mine))
    before = (Finding.objects.count(), RectificationOrder.objects.count(), AuditEvent.objects.count())
    response = api.post(f"{API}/inspections/{mine.pk}/findings/",
                        {"severity": "serious", "text": "档案不全", "item": foreign_item.pk},
                        content_type="application/json")
    assert response.status_code == 404
    assert foreign_item.text not in response.content.decode()
    assert (Finding.objects.count(), RectificationOrder.objects.count(), AuditEvent.objects.count()) == before
    status, finding = _post(api, f"inspections/{mine.pk}/findings/",
                            {"severity": "serious", "text": "档案不全", "item": own_item.pk})
    assert status == 201 and Finding.objects.get(pk=finding["id"]).item_id == own_item.pk
