"""The officer's home keeps each worklist line and dashboard figure until an event of what it reads: the services'
own events must reach the parts that show their rows, on the next view of whoever acted or looked."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings import services as filing_services
from filings.models import Route
from portal.models import User
from supervision import services
from supervision.models import FlagKind, FraudFlag
from tests.factories import (
    ApplicationFactory,
    FilingFactory,
    approved_plan,
    complaint_about,
    issued,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db


def _home(client: Client) -> str:
    return client.get(reverse("province_home", kwargs={"province": "gd"})).content.decode()


def _count(page: str, pattern: str) -> int:
    found = re.search(pattern, page)
    return int(found.group(1)) if found else 0


@pytest.fixture
def officer() -> User:
    return provincial_officer("gd")


@pytest.fixture
def client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def _flag(n: int) -> FraudFlag:
    filing = FilingFactory()
    return FraudFlag.objects.create(province=filing.province, institution=filing.institution,
                                    kind=FlagKind.SHARED_MOBILE, key=f"k{n}", summary=f"疑点{n}",
                                    found_at=timezone.now())


def test_a_flag_the_officer_dismisses_leaves_the_worklist_and_the_dashboard_at_once(client: Client,
                                                                                    officer: User) -> None:
    first, _second = _flag(1), _flag(2)
    page = _home(client)
    assert _count(page, r"待核查的真实性疑点</a> <span class=\"count\">(\d+)</span>") == 2
    assert _count(page, r"id=\"dash-open-flags\">疑点 <span class=\"count\">(\d+)</span>") == 2

    # when the officer dismisses one (the service records its event on the flag)
    services.dismiss_flag(first, acting_user=officer, reason="核实为同一家庭成员。")

    # then their next view shows one in both places
    page = _home(client)
    assert _count(page, r"待核查的真实性疑点</a> <span class=\"count\">(\d+)</span>") == 1
    assert _count(page, r"id=\"dash-open-flags\">疑点 <span class=\"count\">(\d+)</span>") == 1


def test_a_complaint_filed_by_the_public_shows_on_the_officers_dashboard_at_once(client: Client) -> None:
    filing = FilingFactory(with_scope=True)
    assert _count(_home(client), r"id=\"dash-complaints\"><li><a [^>]*>办理中 <span class=\"count\">(\d+)</span>") == 0

    # when someone files a complaint about an organization of the province
    complaint_about(filing)

    # then the officer's next view counts it among those being handled
    assert _count(_home(client), r"id=\"dash-complaints\"><li><a [^>]*>办理中 <span class=\"count\">(\d+)</span>") == 1


def test_certificates_issued_show_in_the_month_of_the_dashboard_at_once(client: Client) -> None:
    filing = FilingFactory()
    plan = approved_plan(filing, candidates=2)
    this_month = rf"<th scope=\"row\">{timezone.localdate():%Y-%m}</th><td><a [^>]*>(\d+)</a>"
    assert _count(_home(client), this_month) == 0

    # when the organization issues the certificates of its plan (an event on the batch)
    issued(filing, plan=plan)

    # then the officer's next view counts them in this month
    assert _count(_home(client), this_month) == 2


def test_an_application_submitted_to_the_province_shows_in_its_worklist_at_once(client: Client) -> None:
    application = ApplicationFactory(ready=True)
    filing_services.save_facts(application, acting_user=the_member(application), facts={"filed_with_mohrss": True})
    route_line = r"直接向省申报、待受理的申请</a> <span class=\"count\">(\d+)</span>"
    assert _count(_home(client), route_line) == 0

    # when the institution submits it and it goes to the province
    application.refresh_from_db()
    filing_services.submit_application(application, acting_user=the_member(application))
    application.refresh_from_db()
    assert application.route == Route.PROVINCE

    # then the officer's next view lists it
    assert _count(_home(client), route_line) == 1
