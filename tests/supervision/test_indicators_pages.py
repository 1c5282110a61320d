"""The organization's indicator page (officers of the province; the organization itself), the indicator table with
its Excel export, declarations with history, and access: another province's or city's organization is a 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from filings.models import FilingOccupation
from portal.errors import DomainError
from portal.models import AuditEvent, Occupation
from supervision import services
from supervision.errors import Codes
from supervision.models import CoursePriceDeclaration, EnrolmentDeclaration, IndicatorCell
from tests.factories import (
    WELDER,
    FilingFactory,
    a_certificate,
    city_officer_of,
    member_of,
    officer,
    plan_with_results,
    provincial_officer,
)

from .conftest import HOLDER_ID

FEB = dt.date(2026, 2, 10)


@pytest.fixture
def plan(db):
    plan = plan_with_results(on=FEB, passed=45, failed=5)
    FilingOccupation.objects.create(filing=plan.filing, occupation=plan.occupation, levels=[3],
                                    added_on=dt.date(2025, 1, 1), valid_until=dt.date(2028, 1, 1))
    services.refresh_indicators()
    return plan


def page(plan, **query):
    params = "&".join(f"{k}={v}" for k, v in {"period_kind": "quarter", "period": "2026Q1", **query}.items())
    return f"/gd/supervision/organizations/{plan.institution_id}/?{params}"


def test_a_provincial_officer_sees_the_rates_with_denominators_and_intervals(plan, login, django_assert_max_num_queries):
    client = login(provincial_officer())
    with django_assert_max_num_queries(20):
        response = client.get(page(plan))
    html = response.content.decode()
    assert response.status_code == 200
    assert "90.0%" in html and "78.6%–95.7%" in html and "45 / 50" in html
    assert "合格人数 ÷ 参评人数" in html  # the formula, in the tooltip of the indicator's name
    assert 'role="tooltip"' in html and "尚未采集" in html


def test_the_year_view_of_the_same_organization(plan, login):
    response = login(provincial_officer()).get(page(plan, period_kind="year", period="2026"))
    assert "2026年" in response.content.decode() and "45 / 50" in response.content.decode()


def test_the_organization_sees_its_own_page_with_its_declaration_forms(plan, login):
    client = login(member_of(plan.institution))
    response = client.get(page(plan))
    assert response.status_code == 200 and 'id="enrolment-form"' in response.content.decode()
    mine = client.get("/gd/supervision/organizations/mine/")
    assert mine.status_code == 302 and mine["Location"] == f"/gd/supervision/organizations/{plan.institution_id}/"


def test_another_province_another_city_or_another_organization_gets_404(plan, login):
    other_city = FilingFactory(city=plan.filing.city.province.cities.exclude(pk=plan.filing.city_id).first())
    assert login(officer("sd")).get(page(plan)).status_code == 404
    assert login(city_officer_of(other_city)).get(page(plan)).status_code == 404
    assert login(member_of(other_city.institution)).get(page(plan)).status_code == 404
    assert login(city_officer_of(plan.filing)).get(page(plan)).status_code == 200


def test_the_indicator_table_lists_and_exports_to_excel(plan, login, django_assert_max_num_queries):
    client = login(provincial_officer())
    with django_assert_max_num_queries(15):
        listing = client.get("/gd/supervision/indicators/?period_kind=quarter")
    assert listing.status_code == 200 and "93.8%" not in listing.content.decode()
    assert "90.0%（50）" in listing.content.decode() and "78.6%–95.7%" in listing.content.decode()
    export = client.get("/gd/supervision/indicators/?period_kind=quarter&export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export", changes__export="supervision_indicators").exists()


def test_the_organization_declares_enrolment_and_prices_with_history(plan, login):
    member = member_of(plan.institution)
    client = login(member)
    url = f"/gd/supervision/organizations/{plan.institution_id}/"
    occupation = Occupation.objects.get(code=WELDER)
    for enrolled in (120, 150):
        response = client.post(url + "enrolment/", {"enrolment-occupation": occupation.pk,
                                                    "enrolment-period": "2026q1", "enrolment-enrolled": enrolled})
        assert response.status_code == 302
    assert list(EnrolmentDeclaration.objects.order_by("id").values_list("period", "enrolled")) == [
        ("2026Q1", 120), ("2026Q1", 150)]
    response = client.post(url + "prices/", {"price-occupation": occupation.pk, "price-level": 3,
                                             "price-price": "2800.00", "price-effective_from": "2026-03-01"})
    assert response.status_code == 302
    assert CoursePriceDeclaration.objects.get().price == Decimal("2800.00")
    services.refresh_indicators()
    assert IndicatorCell.objects.get(institution=plan.institution, period="2026Q1").enrolment == 150


def test_a_bad_period_is_shown_beside_the_field(plan, login):
    client = login(member_of(plan.institution))
    occupation = Occupation.objects.get(code=WELDER)
    response = client.post(f"/gd/supervision/organizations/{plan.institution_id}/enrolment/",
                           {"enrolment-occupation": occupation.pk, "enrolment-period": "2026Q5",
                            "enrolment-enrolled": 10})
    assert response.status_code == 400
    assert "期间格式应为“2026”（年度）或“2026Q1”（季度）。" in response.content.decode()
    assert EnrolmentDeclaration.objects.count() == 0


def test_an_occupation_outside_the_filing_scope_is_refused(plan):
    other = Occupation.objects.exclude(code=WELDER).first()
    with pytest.raises(DomainError) as refused:
        services.declare_enrolment(plan.institution, acting_user=member_of(plan.institution), occupation=other,
                                   period="2026", enrolled=10)
    assert refused.value.code == Codes.OCCUPATION_NOT_FILED


def test_an_officer_cannot_declare_for_the_organization(plan, login):
    response = login(provincial_officer()).post(
        f"/gd/supervision/organizations/{plan.institution_id}/enrolment/", {})
    assert response.status_code == 404  # a URL naming an object the caller has no role for


def test_the_organization_rates_a_holder_as_a_registered_employer(plan, login):
    certificate = a_certificate(name="王小明", id_number=HOLDER_ID)
    client = login(member_of(plan.institution))
    response = client.post(f"/gd/supervision/organizations/{plan.institution_id}/rate-holder/",
                           {"rating-number": certificate.number, "rating-name": "王小明", "rating-skill_match": 4,
                            "rating-would_hire_again": "yes"})
    assert response.status_code == 302
    rating = certificate.employer_feedback.get()
    assert (rating.employer_id, rating.employer_credit_code, rating.skill_match) == (
        plan.institution_id, plan.institution.credit_code, 4)


def test_refresh_now_is_for_provincial_officers(plan, login, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(provincial_officer()).post("/gd/supervision/indicators/refresh/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="indicators_refreshed", at__gte=before).count() == 1
    assert login(member_of(plan.institution)).post("/gd/supervision/indicators/refresh/").status_code == 403
