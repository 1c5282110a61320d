"""A city officer naming another city's application on their own panel gets a 404 that says nothing about it — in
the API (assign, draw) and on the panel page — and nothing changes."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, City
from selection.models import Draw, ScoreSheet
from tests.factories import ApplicationFactory, MembershipFactory, PanelFactory, TokenFactory, expert_with_account

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "detail": "未找到。"}


def _guangzhou_panel_and_shenzhen_application():  # type: ignore[no-untyped-def]
    """Guangzhou's city panel, its officer, an expert of the pool, and a Shenzhen application of the same call
    in city scoring (so its state is the one a leak would name)."""
    panel = PanelFactory()  # the call's capital: Guangzhou (4401)
    officer = MembershipFactory(province="gd", city_officer=True, city=panel.city).user
    shenzhen = City.objects.get(province=panel.province, code="4403")
    application = ApplicationFactory(city_scoring=True, call=panel.call, institution__city=shenzhen,
                                     institution__name="深圳某某职业技能评价中心")
    return panel, officer, expert_with_account(fields=["6"]), application


def _counts() -> tuple[int, int, int]:
    return ScoreSheet.objects.count(), Draw.objects.count(), AuditEvent.objects.count()


def _leaks(content: bytes, application) -> list[str]:  # type: ignore[no-untyped-def]
    text = content.decode()
    return [value for value in (application.institution.name, application.institution.credit_code,
                                application.get_state_display(), "city_scoring", "深圳")
            if value in text]


@pytest.mark.parametrize(("name", "body"), [
    ("api_selection_panel_assign", {"expert": None}),
    ("api_selection_panel_draw", {"count": 1, "seed": 7}),
])
def test_another_citys_application_is_a_404_in_the_api(name: str, body: dict) -> None:  # type: ignore[type-arg]
    panel, officer, expert, application = _guangzhou_panel_and_shenzhen_application()
    client = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=officer).key}")
    data = {**body, "application": application.pk}
    if "expert" in data:
        data["expert"] = expert.pk
    before = _counts()

    response = client.post(reverse(name, kwargs={"province": "gd", "pk": panel.pk}), data,
                           content_type="application/json")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert _leaks(response.content, application) == []
    assert _counts() == before


@pytest.mark.parametrize("name", ["api_selection_panel_assign", "api_selection_panel_draw"])
def test_another_provinces_application_is_a_404_in_the_api(name: str) -> None:
    panel, officer, expert, _ = _guangzhou_panel_and_shenzhen_application()
    shandong = ApplicationFactory(city_scoring=True, province="sd")
    client = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=officer).key}")
    before = _counts()

    response = client.post(reverse(name, kwargs={"province": "gd", "pk": panel.pk}),
                           {"application": shandong.pk, "expert": expert.pk, "count": 1},
                           content_type="application/json")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert _leaks(response.content, shandong) == []
    assert _counts() == before


def test_the_own_citys_application_is_still_assigned_through_the_api() -> None:
    panel, officer, expert, _ = _guangzhou_panel_and_shenzhen_application()
    guangzhou = ApplicationFactory(city_scoring=True, call=panel.call)
    client = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=officer).key}")

    response = client.post(reverse("api_selection_panel_assign", kwargs={"province": "gd", "pk": panel.pk}),
                           {"application": guangzhou.pk, "expert": expert.pk}, content_type="application/json")

    assert response.status_code == 201 and response.json()["application"]["id"] == guangzhou.pk


@pytest.mark.parametrize("action", ["assign", "draw"])
def test_the_panel_page_offers_and_accepts_nothing_of_another_city(action: str,
                                                                  login: Callable[..., Client]) -> None:
    panel, officer, expert, application = _guangzhou_panel_and_shenzhen_application()
    client = login(officer)
    url = reverse("selection:panel_detail", kwargs={"province": "gd", "pk": panel.pk})
    before = _counts()

    page = client.get(url)
    refused = client.post(url, {"action": action, "application": application.pk, "expert": expert.pk,
                                "count": 1, "match_fields": "on"})

    assert page.status_code == 200 and _leaks(page.content, application) == []
    assert refused.status_code == 200 and _leaks(refused.content, application) == []  # the form's own "invalid choice"
    assert _counts() == before
