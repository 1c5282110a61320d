"""The supervision API: indicators scoped like the pages with denominators and intervals, public feedback with stable
error codes (never a 500), declarations with history."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from filings.models import FilingOccupation
from supervision import services
from supervision.models import EnrolmentDeclaration, TraineeFeedback
from tests.factories import WELDER, credit_code, member_of, officer, plan_with_results, provincial_officer

FEB = dt.date(2026, 2, 10)


@pytest.fixture
def plan(db):
    plan = plan_with_results(on=FEB, passed=45, failed=5)
    FilingOccupation.objects.create(filing=plan.filing, occupation=plan.occupation, levels=[3],
                                    added_on=dt.date(2025, 1, 1), valid_until=dt.date(2028, 1, 1))
    services.refresh_indicators()
    return plan


def test_indicators_with_numerator_denominator_and_wilson_interval(plan, login):
    response = login(provincial_officer()).get("/api/v1/gd/supervision/indicators/?period_kind=quarter")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    cell = body["results"][0]
    assert (cell["organization"]["id"], cell["occupation"]["code"], cell["period"]) == (
        plan.institution_id, WELDER, "2026Q1")
    pass_rate = next(i for i in cell["indicators"] if i["key"] == "pass_rate")
    assert (pass_rate["numerator"], pass_rate["denominator"], pass_rate["value"], pass_rate["low"],
            pass_rate["high"]) == (45, 50, 0.9, 0.7864, 0.9565)
    complaints = next(i for i in cell["indicators"] if i["key"] == "complaints")
    assert (complaints["collected"], complaints["display"], complaints["denominator"]) == (True, "0.0", 50)


def test_indicators_of_another_province_are_not_listed_and_a_bad_period_has_a_code(plan, login):
    assert login(officer("sd")).get("/api/v1/sd/supervision/indicators/").json()["count"] == 0
    assert login(officer("sd")).get("/api/v1/gd/supervision/indicators/").status_code == 404
    bad = login(provincial_officer()).get("/api/v1/gd/supervision/indicators/?period_kind=month")
    assert bad.status_code == 400
    assert bad.json() == {"code": "period_invalid", "detail": "统计周期应为 quarter（季度）或 year（年度）。"}
    assert login(provincial_officer()).get("/api/v1/gd/supervision/indicators/?period=20x6").json()["code"] \
        == "period_invalid"


def test_another_provinces_organization_is_a_404(plan, login):
    response = login(officer("sd")).get(f"/api/v1/sd/supervision/organizations/{plan.institution_id}/feedback/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_organization_declares_enrolment_over_the_api(plan, login):
    client = login(member_of(plan.institution))
    url = f"/api/v1/gd/supervision/organizations/{plan.institution_id}/enrolment/"
    created = client.post(url, {"occupation": WELDER, "period": "2026Q2", "enrolled": 80},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["period_kind"] == "quarter"
    bad = client.post(url, {"occupation": WELDER, "period": "Q2", "enrolled": 80}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "period_invalid" and bad.json()["field"] == "period"
    negative = client.post(url, {"occupation": WELDER, "period": "2026", "enrolled": -1},
                           content_type="application/json")
    assert negative.status_code == 400 and negative.json()["code"] == "invalid"
    assert [row["enrolled"] for row in client.get(url).json()] == [80]
    assert EnrolmentDeclaration.objects.count() == 1
    officer_post = login(provincial_officer()).post(url, {"occupation": WELDER, "period": "2026", "enrolled": 1},
                                                    content_type="application/json")
    assert officer_post.status_code == 403 and officer_post.json()["code"] == "not_permitted"


def test_the_organization_declares_a_course_price(plan, login):
    client = login(member_of(plan.institution))
    url = f"/api/v1/gd/supervision/organizations/{plan.institution_id}/prices/"
    created = client.post(url, {"occupation": WELDER, "level": 3, "price": "2800.50", "effective_from": "2026-03-01"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["price"] == "2800.50"


def test_public_trainee_feedback_over_the_api(certificate):
    url = "/api/v1/public/feedback/trainee/"
    body = {"number": certificate.number, "name": "王小明", "id_tail": "07123X", "employment_status": "employed",
            "training_satisfaction": 5, "evaluation_satisfaction": 4, "wage_band": 3, "job_matches": True}
    ok = Client().post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["certificate_number"] == certificate.number
    wrong = Client().post(url, {**body, "id_tail": "000000"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "certificate_not_matched"
    bad_code = Client().post(url, {**body, "employer_credit_code": "91440101MA5CXXXX0X"},
                             content_type="application/json")
    assert bad_code.status_code == 400 and bad_code.json()["code"] == "feedback_invalid"
    assert bad_code.json()["field"] == "employer_credit_code"
    out_of_range = Client().post(url, {**body, "training_satisfaction": 9}, content_type="application/json")
    assert out_of_range.status_code == 400 and out_of_range.json()["code"] == "invalid"
    garbage = Client().post(url, "not json", content_type="application/json")
    assert garbage.status_code == 400
    assert TraineeFeedback.objects.count() == 1
    TraineeFeedback.objects.update(editable_until=timezone.now() - dt.timedelta(seconds=1))
    closed = Client().post(url, {**body, "wage_band": 4}, content_type="application/json")
    assert closed.status_code == 409
    assert closed.json() == {"code": "feedback_closed", "detail": "反馈提交已超过30天，不能再修改。"}


@override_settings(CERTIFICATE_LOOKUP_RATE=(1, 600))
def test_public_feedback_api_is_rate_limited(certificate):
    url = "/api/v1/public/feedback/employer/"
    body = {"number": certificate.number, "name": "王小明", "employer_name": "某公司",
            "employer_credit_code": credit_code("440101", 9), "contact_name": "李经理", "contact_phone": "13800000000",
            "skill_match": 4, "would_hire_again": True}
    assert Client().post(url, body, content_type="application/json").status_code == 200
    refused = Client().post(url, body, content_type="application/json")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
