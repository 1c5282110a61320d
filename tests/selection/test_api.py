"""The selection API end to end with tokens: panels, draws and assignment, sheets, the city's table, the province's
selection, approval and publication; refusals come back with stable codes, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filings.models import Application
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, TokenFactory, expert_with_account

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")


def _post(client: Client, name: str, data: dict | None = None, **kwargs) -> dict:  # type: ignore[no-untyped-def, type-arg]
    response = client.post(reverse(name, kwargs={"province": kwargs.pop("province", "gd"), **kwargs}), data or {},
                           content_type="application/json")
    return {"status": response.status_code, **response.json()} if response.content else {"status": response.status_code}


def test_the_whole_selection_through_the_api(monday) -> None:  # type: ignore[no-untyped-def]
    call = CallFactory(closed=True)
    apps = [ApplicationFactory(city_scoring=True, call=call) for _ in range(2)]
    experts = [expert_with_account(fields=["6-18"]) for _ in range(3)]
    city = _client(MembershipFactory(province="gd", city_officer=True).user)
    province = _client(call.created_by)

    # the city forms its panel and draws two experts per application
    panel = _post(city, "api_selection_panel_form", {"level": "city", "city": "4401"}, call_pk=call.pk)
    assert (panel["status"], panel["level"], panel["city"]) == (201, "city", "4401")
    for app in apps:
        draw = _post(city, "api_selection_panel_draw", {"application": app.pk, "count": 2, "seed": 11}, pk=panel["id"])
        assert draw["status"] == 201 and len(draw["result"]) == 2 and draw["seed"] == 11

    # each expert scores what they were given, full marks for the first application, half for the second
    for expert in experts:
        client = _client(expert.user)
        for sheet in client.get(reverse("api_selection_my_sheets", kwargs={"province": "gd"})).json():
            detail = client.get(reverse("api_selection_sheet", kwargs={"province": "gd", "pk": sheet["id"]})).json()
            share = 1 if sheet["application"]["id"] == apps[0].pk else 0.5
            scores = [{"criterion": c["criterion"], "score": str(float(c["max_score"]) * share)}
                      for c in detail["criteria"]]
            saved = client.put(reverse("api_selection_sheet_scores", kwargs={"province": "gd", "pk": sheet["id"]}),
                               {"scores": scores}, content_type="application/json")
            assert saved.status_code == 200 and saved.json()["state"] == "assigned"
            submitted = _post(client, "api_selection_sheet_submit", {}, pk=sheet["id"])
            assert (submitted["status"], submitted["state"]) == (200, "submitted")

    rankings = city.get(reverse("api_selection_rankings", kwargs={"province": "gd", "call_pk": call.pk}),
                        {"city": "4401"}).json()
    assert [(r["application"], r["score"], r["rank"]) for r in rankings["overall"]] == [
        (apps[0].pk, "100.00", 1), (apps[1].pk, "50.00", 2)]

    # the city recommends both and sends the table
    for app in apps:
        row = _post(city, "api_selection_recommend", {"application": app.pk, "recommended": True},
                    call_pk=call.pk, city="4401")
        assert row["status"] == 200 and row["recommended"] is True
    table = _post(city, "api_selection_send_table", call_pk=call.pk, city="4401")
    assert (table["status"], table["state"]) == (200, "sent")

    # the province forms its panel, assigns, scores, selects the first, approves and publishes
    province_panel = _post(province, "api_selection_panel_form", {"level": "province"}, call_pk=call.pk)
    for app in apps:
        sheet = _post(province, "api_selection_panel_assign", {"application": app.pk, "expert": experts[0].pk},
                      pk=province_panel["id"])
        assert sheet["status"] == 201
    selection = _post(province, "api_selection_select", {"selected": [apps[0].pk], "reason": "名额有限"},
                      call_pk=call.pk)
    assert (selection["selected"], selection["not_selected"]) == ([apps[0].pk], [apps[1].pk])
    approval = province.post(
        reverse("api_selection_approval", kwargs={"province": "gd", "call_pk": call.pk}),
        {"meeting_date": "2026-05-29", "document_number": "粤技评〔2026〕12号",
         "attachment": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")})
    assert approval.status_code == 201 and approval.json()["applications"] == [apps[0].pk]
    notice = _post(province, "api_selection_publish", call_pk=call.pk)
    assert (notice["status"], notice["starts_on"], notice["ends_on"]) == (201, "2026-06-02", "2026-06-08")
    assert Application.objects.get(pk=apps[0].pk).state == "in_publicity"


def test_refusals_have_stable_codes(monday) -> None:  # type: ignore[no-untyped-def]
    call = CallFactory(closed=True, province="sd")
    app = ApplicationFactory(city_scoring=True, province="sd", call=call)
    city = _client(MembershipFactory(province="sd", city_officer=True).user)
    expert = expert_with_account("sd")
    as_expert = _client(expert.user)

    no_reason = _post(city, "api_selection_recommend", {"application": app.pk, "recommended": False},
                      province="sd", call_pk=call.pk, city="3701")
    _post(city, "api_selection_recommend", {"application": app.pk, "recommended": True},
          province="sd", call_pk=call.pk, city="3701")
    too_few = _post(city, "api_selection_send_table", province="sd", call_pk=call.pk, city="3701")
    panel = _post(city, "api_selection_panel_form", {"level": "city", "city": "3701"}, province="sd",
                  call_pk=call.pk)
    province_panel = _post(city, "api_selection_panel_form", {"level": "province"}, province="sd", call_pk=call.pk)
    bad_count = _post(city, "api_selection_panel_draw", {"application": app.pk, "count": 0}, province="sd",
                      pk=panel["id"])
    sheet = _post(city, "api_selection_panel_assign", {"application": app.pk, "expert": expert.pk}, province="sd",
                  pk=panel["id"])
    conflict = _post(as_expert, "api_selection_sheet_conflict", {"kind": "other"}, province="sd",
                     pk=sheet["id"])
    declared = _post(as_expert, "api_selection_sheet_conflict", {"kind": "relation", "reason": "亲属"},
                     province="sd", pk=sheet["id"])
    scores = as_expert.put(reverse("api_selection_sheet_scores", kwargs={"province": "sd",
                                                                                    "pk": sheet["id"]}),
                                      {"scores": []}, content_type="application/json")

    assert (no_reason["status"], no_reason["code"]) == (400, "reason_required")
    assert (too_few["status"], too_few["code"]) == (400, "recommend_count_out_of_range")
    assert (province_panel["status"], province_panel["code"]) == (403, "not_permitted")
    assert (bad_count["status"], bad_count["code"]) == (400, "invalid")
    assert (conflict["status"], conflict["code"]) == (400, "reason_required")
    assert declared["status"] == 201 and declared["kind"] == "relation"
    assert (scores.status_code, scores.json()["code"]) == (400, "sheet_recused")


def test_a_get_on_an_action_url_is_405_for_an_own_object_and_404_for_another_provinces() -> None:
    gd_call, sd_call = CallFactory(closed=True), CallFactory(closed=True, province="sd")
    client = _client(gd_call.created_by)

    own = client.get(reverse("api_selection_publish", kwargs={"province": "gd", "call_pk": gd_call.pk}))
    other = client.get(reverse("api_selection_publish", kwargs={"province": "gd", "call_pk": sd_call.pk}))

    assert (own.status_code, other.status_code) == (405, 404)
