"""Experts reach only the sheets assigned to them (and through them the application and its materials); an expert
not assigned, or of another province, gets 404 on pages and in the API, as officers of another province do."""

import re
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from filings.models import Evidence
from selection import services
from tests.factories import ApplicationFactory, MembershipFactory, PanelFactory, TokenFactory, expert_with_account

pytestmark = pytest.mark.django_db

SHEET_PAGES = ["selection:sheet", "selection:sheet_conflict"]
SHEET_API = ["api_selection_sheet", "api_selection_sheet_scores", "api_selection_sheet_submit",
             "api_selection_sheet_conflict"]


def _assigned():  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    expert = expert_with_account()
    sheet = services.assign_expert(panel, application, expert, acting_user=panel.call.created_by)
    evidence = Evidence.objects.create(
        application=application, checklist_key="business_license", original_name="营业执照.pdf",
        content_type="application/pdf", size=12, sha256="0" * 64, uploaded_by=application.created_by,
        file=default_storage.save("tests/selection/license.pdf", ContentFile(b"%PDF-1.4\n%x\n")))
    return sheet, evidence


def _answers(client: Client, sheet_pk: int, evidence_pk: int, *, pages: bool = True, **headers: str) -> dict[str, int]:
    answers = {}
    for name in (SHEET_PAGES if pages else []) + SHEET_API:
        url = reverse(name, kwargs={"province": "gd", "pk": sheet_pk})
        answers[f"GET {name}"] = client.get(url, **headers).status_code
        answers[f"POST {name}"] = client.post(url, **headers).status_code
    if pages:
        evidence_url = reverse("selection:sheet_evidence", kwargs={"province": "gd", "pk": sheet_pk,
                                                                   "evidence_pk": evidence_pk})
        answers["GET evidence"] = client.get(evidence_url, **headers).status_code
    return answers


def test_an_expert_not_assigned_gets_404_for_the_sheet_on_pages_and_in_the_api(login: Callable[..., Client]) -> None:
    sheet, evidence = _assigned()
    stranger = expert_with_account()
    token = TokenFactory(user=stranger.user)

    by_session = _answers(login(stranger.user), sheet.pk, evidence.pk)
    by_token = _answers(Client(), sheet.pk, evidence.pk, pages=False, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert by_session == dict.fromkeys(by_session, 404)
    assert by_token == dict.fromkeys(by_token, 404)


def test_an_expert_of_another_province_gets_404(login: Callable[..., Client]) -> None:
    sheet, evidence = _assigned()
    shandong_expert = expert_with_account("sd")

    answers = _answers(login(shandong_expert.user), sheet.pk, evidence.pk)

    assert answers == dict.fromkeys(answers, 404)


def test_the_assigned_expert_reaches_the_sheet_and_the_materials(login: Callable[..., Client]) -> None:
    sheet, evidence = _assigned()
    client = login(sheet.expert.user)

    page = client.get(reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk}))
    api = client.get(reverse("api_selection_sheet", kwargs={"province": "gd", "pk": sheet.pk}))
    material = client.get(reverse("selection:sheet_evidence", kwargs={"province": "gd", "pk": sheet.pk,
                                                                      "evidence_pk": evidence.pk}))

    assert (page.status_code, api.status_code, material.status_code) == (200, 200, 200)
    assert "营业执照.pdf" in page.content.decode()
    assert api.json()["application"]["institution"] == sheet.application.institution.name


def test_experts_never_reach_the_application_through_the_officers_pages(login: Callable[..., Client]) -> None:
    sheet, evidence = _assigned()
    client = login(sheet.expert.user)

    review = client.get(reverse("filings:review_detail", kwargs={"province": "gd", "pk": sheet.application.pk}))
    download = client.get(reverse("filings:evidence_download", kwargs={"province": "gd", "pk": evidence.pk}))

    assert (review.status_code, download.status_code) == (404, 404)


def test_a_recused_expert_no_longer_reaches_the_materials(login: Callable[..., Client]) -> None:
    sheet, evidence = _assigned()
    services.declare_conflict(sheet.application, acting_user=sheet.expert.user, kind="same_employer")
    client = login(sheet.expert.user)

    material = client.get(reverse("selection:sheet_evidence", kwargs={"province": "gd", "pk": sheet.pk,
                                                                      "evidence_pk": evidence.pk}))
    page = client.get(reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk}))

    assert material.status_code == 404
    assert page.status_code == 200 and "营业执照.pdf" not in page.content.decode()


def test_another_citys_officer_gets_404_for_the_panel_and_its_sheets(login: Callable[..., Client]) -> None:
    sheet, _ = _assigned()
    shenzhen = MembershipFactory(province="gd", role="city_officer",
                                 city=sheet.panel.province.cities.get(code="4403")).user
    client = login(shenzhen)

    answers = [
        client.get(reverse("selection:panel_detail", kwargs={"province": "gd", "pk": sheet.panel.pk})).status_code,
        client.post(reverse("selection:sheet_reopen", kwargs={"province": "gd", "pk": sheet.pk}),
                    {"reason": "x"}).status_code,
        client.post(reverse("api_selection_panel_draw", kwargs={"province": "gd", "pk": sheet.panel.pk}),
                    {"application": sheet.application.pk, "count": 1}).status_code,
    ]

    assert answers == [404, 404, 404]


def test_an_expert_lists_only_their_own_sheets(login: Callable[..., Client], django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    sheet, _ = _assigned()
    services.assign_expert(sheet.panel, ApplicationFactory(city_scoring=True, call=sheet.panel.call), expert_with_account(),
                           acting_user=sheet.panel.call.created_by)
    client = login(sheet.expert.user)

    with django_assert_max_num_queries(15):
        page = client.get(reverse("selection:my_sheets", kwargs={"province": "gd"}))
    api = client.get(reverse("api_selection_my_sheets", kwargs={"province": "gd"}))

    assert re.findall(r'href="/gd/selection/sheets/(\d+)/"', page.content.decode()) == [str(sheet.pk)]
    assert [s["id"] for s in api.json()] == [sheet.pk]
