"""The rankings and flags API: scoped like the pages, refusals with the app's error codes."""

from decimal import Decimal

import pytest

from portal.models import Role
from supervision import services
from supervision.models import FraudFlag
from tests.factories import CandidateFactory, MembershipFactory, clean_plan, provincial_officer

from .test_rankings import GD, _organizations, _quarter

pytestmark = pytest.mark.django_db


def test_rankings_over_the_api(login) -> None:  # type: ignore[no-untyped-def]
    orgs = _organizations()
    _quarter(orgs, "2026Q2")
    api = login(provincial_officer(GD))
    bad = api.post(f"/api/v1/{GD}/supervision/rankings/", {"group": "6-18", "period": "2026Q9"},
                   content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "period_invalid")
    empty = api.post(f"/api/v1/{GD}/supervision/rankings/", {"group": "6-18", "period": "2025"},
                     content_type="application/json")
    assert (empty.status_code, empty.json()["code"]) == (400, "ranking_empty")
    built = api.post(f"/api/v1/{GD}/supervision/rankings/", {"group": "6-18", "period": "2026Q2"},
                     content_type="application/json")
    assert built.status_code == 201
    body = built.json()
    assert body["pass_rate_norm"] == 0.8 and body["formula_version"] == 1
    bands = {r["institution"][0]: (r["pass_band"], r["risk_score"]) for r in body["rows"]}
    assert bands == {"甲": ("high_998", "3.25"), "乙": ("low_998", "0.00"), "丙": ("too_few", None),
                     "丁": ("inside", "0.00")}
    pk = body["id"]
    assert api.post(f"/api/v1/{GD}/supervision/rankings/{pk}/publish/").json()["state"] == "published"
    again = api.post(f"/api/v1/{GD}/supervision/rankings/{pk}/publish/")
    assert (again.status_code, again.json()["code"]) == (409, "ranking_published")
    assert api.get(f"/api/v1/{GD}/supervision/rankings/").json()["count"] == 1
    assert login(provincial_officer("sd")).get(f"/api/v1/sd/supervision/rankings/{pk}/").status_code == 404
    city = MembershipFactory(province=orgs["甲"].province, role=Role.CITY_OFFICER, city=orgs["甲"].city).user
    refused = login(city).post(f"/api/v1/{GD}/supervision/rankings/{pk}/publish/")
    assert refused.status_code == 404  # the core answers a role the view does not admit as not found


def test_flags_over_the_api(login) -> None:  # type: ignore[no-untyped-def]
    plan = clean_plan()
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    services.sweep_flags()
    flag = FraudFlag.objects.get()
    supervisor = MembershipFactory(province=plan.province, role=Role.QUALITY_SUPERVISOR).user
    api = login(supervisor)
    listed = api.get(f"/api/v1/{plan.province.slug}/supervision/flags/?state=open").json()
    assert [(f["id"], f["kind"]) for f in listed["results"]] == [(flag.pk, "duplicate_scores")]
    blank = api.post(f"/api/v1/{plan.province.slug}/supervision/flags/{flag.pk}/dismiss/", {"reason": " "},
                     content_type="application/json")
    assert (blank.status_code, blank.json()["code"]) == (400, "reason_required")
    done = api.post(f"/api/v1/{plan.province.slug}/supervision/flags/{flag.pk}/dismiss/", {"reason": "核实无误"},
                    content_type="application/json")
    assert done.json()["state"] == "dismissed"
    closed = api.post(f"/api/v1/{plan.province.slug}/supervision/flags/{flag.pk}/dismiss/", {"reason": "再次"},
                      content_type="application/json")
    assert (closed.status_code, closed.json()["code"]) == (409, "flag_closed")
    assert login(provincial_officer("sd")).get(f"/api/v1/sd/supervision/flags/{flag.pk}/").status_code == 404
