"""The filings API over DRF: the applicant's side and the officer's side, with a token and with a session; errors
carry stable codes and never a 500; the OpenAPI schema lists the endpoints."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

from filings.models import Application, ApplicationState, Correction
from portal.models import AuditEvent, Institution, User
from tests.factories import (
    BAD_CREDIT_CODE,
    COMPLIANT_FACTS,
    EXE_BYTES,
    ApplicationFactory,
    CallFactory,
    city_officer,
    credit_code,
    pdf_bytes,
    png_bytes,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db

S = ApplicationState
PASSWORD = "Skill-portal-2026"
GD_REQUIRED = ["application_form", "registration_certificate", "venue_proof", "equipment_list", "staff_list",
               "staff_contracts", "management_rules"]


class Api:
    """A JSON client for /api/v1/<province>/ with a token or a session."""

    def __init__(self, client: Client, province: str = "gd", token: str | None = None) -> None:
        self.client, self.base = client, f"/api/v1/{province}"
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self.base + path, params, **self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(self.base + path, data or {}, content_type="application/json", **self.headers)

    def put(self, path: str, data: Any) -> Any:
        return self.client.put(self.base + path, data, content_type="application/json", **self.headers)

    def upload(self, path: str, key: str, name: str, content: bytes) -> Any:
        return self.client.post(self.base + path, {"checklist_key": key, "file": SimpleUploadedFile(name, content)},
                                **self.headers)


def _token_api(user: User, province: str = "gd") -> Api:
    return Api(Client(), province, Token.objects.get_or_create(user=user)[0].key)


def _session_api(login: Callable[[User], Client], user: User, province: str = "gd") -> Api:
    return Api(login(user), province)


def _registration(**institution: Any) -> dict[str, Any]:
    return {
        "username": "xiehui", "password": PASSWORD, "email": "xiehui@example.cn", "mobile": "13912345678",
        "display_name": "谢晖",
        "institution": {
            "name": "广东省焊接协会", "credit_code": credit_code("440101", 5), "category": "other",
            "nature": "social_group", "level": "city", "city": "4401", "address": "广州市天河路1号",
            "legal_representative": "王强", "contact_person": "李华", "contact_phone": "020-12345678",
            **institution,
        },
    }


# --- the applicant's side ---


def test_an_applicant_registers_applies_and_submits_over_the_api_with_a_token() -> None:
    # given an open Guangdong call and a Guangzhou officer
    call = CallFactory(province="gd")
    city_officer("gd", "4401")

    # register (public) and exchange the password for a token
    registered = Client().post("/api/v1/gd/register/", _registration(), content_type="application/json")
    assert registered.status_code == 201
    assert {k: registered.json()[k] for k in ("name", "credit_code", "city", "category")} == {
        "name": "广东省焊接协会", "credit_code": credit_code("440101", 5), "city": "4401", "category": "other"}
    token = Client().post("/api/v1/auth/token/", {"username": "xiehui", "password": PASSWORD}).json()["token"]
    api = Api(Client(), "gd", token)

    # the institution and the open calls
    assert api.get("/institution/").json()["name"] == "广东省焊接协会"
    assert [c["id"] for c in api.get("/calls/").json()["results"]] == [call.pk]

    # start an application, add an occupation, declare the facts
    started = api.post("/applications/", {"call": call.pk})
    assert (started.status_code, started.json()["state"], started.json()["city"]) == (201, "draft", "4401")
    pk = started.json()["id"]
    added = api.post(f"/applications/{pk}/occupations/", {"occupation": "6-18-02-04", "work_type": "电焊工",
                                                          "levels": [5, 4, 3]})
    assert added.status_code == 201
    assert [(o["occupation"], o["work_type"], o["levels"]) for o in added.json()["occupations"]] == [
        ("6-18-02-04", "电焊工", [5, 4, 3])]
    facts = api.put(f"/applications/{pk}/facts/", {"facts": COMPLIANT_FACTS["gd"], "prefers_province_route": False})
    assert facts.status_code == 200
    assert facts.json()["facts"]["member_units"] == 120

    # upload the materials (a PDF for each, a PNG for the venue), run the pre-check, confirm the pledge
    for key in GD_REQUIRED:
        content, name = (png_bytes(), "场所.png") if key == "venue_proof" else (pdf_bytes(key), f"{key}.pdf")
        uploaded = api.upload(f"/applications/{pk}/evidence/", key, name, content)
        assert (uploaded.status_code, uploaded.json()["checklist_key"]) == (201, key)
    assert api.upload(f"/applications/{pk}/evidence/", "association_members", "会员.pdf", pdf_bytes()).status_code == 201
    precheck = api.get(f"/applications/{pk}/precheck/").json()
    assert [r["rule_id"] for r in precheck if r["verdict"] != "pass"] == []
    assert "gd.access_type_occupations" in {r["rule_id"] for r in precheck}  # the welder is admitted by name
    pledged = api.post(f"/applications/{pk}/pledge/", {"signer": "王强"})
    assert pledged.status_code == 200
    assert pledged.json()["pledge_confirmed_at"] is not None
    assert Application.objects.get(pk=pk).pledge_signer == "王强"

    # submit
    submitted = api.post(f"/applications/{pk}/submit/")
    assert submitted.status_code == 200
    assert (submitted.json()["state"], submitted.json()["route"], submitted.json()["submission_count"]) == (
        "submitted", "city", 1)
    assert {e["content_type"] for e in submitted.json()["evidence"]} == {"application/pdf", "image/png"}
    assert [e.action for e in AuditEvent.objects.order_by("pk")][-2:] == ["pledge_confirmed", "application_submitted"]

    # and withdraw it
    withdrawn = api.post(f"/applications/{pk}/withdraw/", {"reason": "材料需重新准备。"})
    assert (withdrawn.status_code, withdrawn.json()["state"]) == (200, "withdrawn")
    assert [a["state"] for a in api.get("/applications/").json()] == ["withdrawn"]


def test_the_applicants_side_works_with_a_session(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory(ready=True)
    api = _session_api(login, the_member(application))

    detail = api.get(f"/applications/{application.pk}/")
    item = detail.json()["occupations"][0]["id"]
    removed = api.client.delete(f"/api/v1/gd/applications/{application.pk}/occupations/{item}/")
    added = api.post(f"/applications/{application.pk}/occupations/", {"occupation": "4-03-02-07", "levels": [4]})
    submitted = api.post(f"/applications/{application.pk}/submit/")

    assert detail.status_code == 200
    assert detail.json()["institution"] == application.institution.name
    assert removed.status_code == 204
    assert [o["occupation"] for o in added.json()["occupations"]] == ["4-03-02-07"]
    assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")


# --- the officer's side ---


def test_an_officer_lists_reads_accepts_returns_and_passes_over_the_api(login: Callable[[User], Client]) -> None:
    # given two submitted Guangzhou applications, a Guangzhou officer with a session and the applicant with a token
    first = ApplicationFactory(ready=True)
    second = ApplicationFactory(submitted=True)
    member = _token_api(the_member(first))
    member.post(f"/applications/{first.pk}/submit/")
    officer = _session_api(login, city_officer("gd", "4401"))

    listed = officer.get("/review/", state="submitted")
    assert sorted(row["id"] for row in listed.json()["results"]) == sorted([first.pk, second.pk])
    assert officer.get(f"/review/{first.pk}/").json()["state"] == "submitted"

    # accept, return with two items
    assert officer.post(f"/review/{first.pk}/start/").json()["state"] == "city_review"
    returned = officer.post(f"/review/{first.pk}/return/", {"note": "请补正。", "items": [
        {"target": "fact:venue_area_m2", "target_label": "场所总建筑面积", "problem": "与平面图不符"},
        {"target": "doc:staff_list", "target_label": "专职工作人员名单及任职资格证明", "problem": "缺督导员"},
    ]})
    assert returned.status_code == 200
    assert returned.json()["state"] == "returned"
    assert [(i["target"], i["problem"]) for i in returned.json()["corrections"][0]["items"]] == [
        ("fact:venue_area_m2", "与平面图不符"), ("doc:staff_list", "缺督导员")]

    # the applicant sees exactly those items, corrects and resubmits
    mine = member.get(f"/applications/{first.pk}/").json()
    assert [i["target_label"] for i in mine["corrections"][0]["items"]] == ["场所总建筑面积", "专职工作人员名单及任职资格证明"]
    member.put(f"/applications/{first.pk}/facts/", {"facts": {"venue_area_m2": 300}})
    assert member.post(f"/applications/{first.pk}/submit/").json()["submission_count"] == 2

    # the officer accepts again and passes it; the other one is not recommended
    officer.post(f"/review/{first.pk}/start/")
    assert officer.post(f"/review/{first.pk}/pass/").json()["state"] == "city_scoring"
    officer.post(f"/review/{second.pk}/start/")
    refused = officer.post(f"/review/{second.pk}/not-recommend/", {"reason": "场所不符合要求。"})
    assert (refused.json()["state"], refused.json()["decision_reason"]) == ("not_recommended", "场所不符合要求。")


def test_the_officers_side_works_with_a_token() -> None:
    application = ApplicationFactory(submitted=True)
    officer = _token_api(provincial_officer("gd"))

    assert [row["id"] for row in officer.get("/review/").json()["results"]] == [application.pk]
    assert officer.post(f"/review/{application.pk}/start/").json()["state"] == "city_review"


# --- errors: stable codes, never a 500 ---


def _error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def test_a_bad_credit_code_is_refused_with_its_code_and_nothing_registered() -> None:
    response = Client().post("/api/v1/gd/register/", _registration(credit_code=BAD_CREDIT_CODE),
                             content_type="application/json")

    assert _error(response) == (400, "uscc_checksum")
    assert response.json()["detail"] == "统一社会信用代码校验位错误：第18位应为“D”，实际为“0”。"
    assert (User.objects.filter(username="xiehui").exists(), Institution.objects.count()) == (False, 0)


def test_an_institution_in_another_provinces_city_is_refused() -> None:
    response = Client().post("/api/v1/gd/register/", _registration(city="3701"), content_type="application/json")

    assert _error(response) == (400, "city_outside_province")


def test_an_executable_upload_is_refused_with_upload_type() -> None:
    application = ApplicationFactory()

    response = _token_api(the_member(application)).upload(
        f"/applications/{application.pk}/evidence/", "staff_list", "名单.pdf", EXE_BYTES)

    assert _error(response) == (400, "upload_type")
    assert application.evidence.count() == 0


def test_a_submission_after_the_deadline_is_refused_with_deadline_passed() -> None:
    application = ApplicationFactory(ready=True)
    with time_machine.travel(application.call.application_deadline + dt.timedelta(seconds=1)):
        response = _token_api(the_member(application)).post(f"/applications/{application.pk}/submit/")

    assert _error(response) == (400, "deadline_passed")
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_shandong_limits_come_back_as_codes() -> None:
    application = ApplicationFactory(province="sd")
    api = _token_api(the_member(application), "sd")
    for code in ("4-03-02-01", "4-03-02-02", "4-03-02-07"):
        assert api.post(f"/applications/{application.pk}/occupations/", {"occupation": code, "levels": [5]}).status_code == 201

    fourth = api.post(f"/applications/{application.pk}/occupations/", {"occupation": "4-01-06-01", "levels": [5]})
    application.occupations.all().delete()
    level_two = api.post(f"/applications/{application.pk}/occupations/", {"occupation": "4-01-06-01", "levels": [2]})

    assert _error(fourth) == (400, "too_many_occupations")
    assert fourth.json()["detail"] == "每个评价机构申报职业（工种）不得超过3个。"
    assert _error(level_two) == (400, "level_not_allowed")


def test_an_incomplete_draft_is_refused_with_submission_refused() -> None:
    application = ApplicationFactory()

    response = _token_api(the_member(application)).post(f"/applications/{application.pk}/submit/")

    assert _error(response) == (400, "submission_refused")
    assert response.json()["detail"].startswith("申请尚不能提交：请至少申报一个职业（工种）；请上传“")


def test_a_submission_refusal_lists_its_problems_beside_the_code() -> None:
    application = ApplicationFactory()

    response = _token_api(the_member(application)).post(f"/applications/{application.pk}/submit/")

    body = response.json()
    assert (response.status_code, body["code"]) == (400, "submission_refused")
    assert body["problems"][0] == "请至少申报一个职业（工种）"
    assert body["problems"][-1] == "请先确认诚信承诺"
    assert body["detail"] == "申请尚不能提交：" + "；".join(body["problems"])


def test_a_second_submission_is_an_invalid_transition() -> None:
    application = ApplicationFactory(ready=True)
    api = _token_api(the_member(application))

    first = api.post(f"/applications/{application.pk}/submit/")
    second = api.post(f"/applications/{application.pk}/submit/")

    assert first.status_code == 200
    assert _error(second) == (409, "invalid_transition")
    assert second.json()["detail"] == "申请当前状态为“已提交”，不能执行该操作。"
    assert [e.action for e in AuditEvent.objects.all()] == ["application_submitted"]


def test_a_return_without_items_and_a_refusal_without_reason_are_refused() -> None:
    application = ApplicationFactory(in_city_review=True)
    api = _token_api(city_officer("gd", "4401"))

    no_items = api.post(f"/review/{application.pk}/return/", {"items": []})
    blank = api.post(f"/review/{application.pk}/return/",
                     {"items": [{"target": "doc:staff_list", "target_label": "名单", "problem": " "}]})
    no_reason = api.post(f"/review/{application.pk}/not-recommend/", {"reason": "   "})

    assert _error(no_items) == (400, "correction_items_missing")
    assert _error(blank) == (400, "invalid")  # DRF trims and refuses a blank problem before the service
    assert _error(no_reason) == (400, "invalid")
    assert Application.objects.get(pk=application.pk).state == S.CITY_REVIEW
    assert Correction.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("post", "/applications/{pk}/occupations/", {"occupation": "0-00-00-00", "levels": [5]}, (400, "invalid")),
        ("post", "/applications/{pk}/occupations/", {"occupation": "4-03-02-01", "work_type": "电焊工",
                                                     "levels": [5]}, (400, "invalid")),
        ("post", "/applications/{pk}/occupations/", {"occupation": "4-03-02-01", "levels": [9]}, (400, "invalid")),
        ("post", "/applications/{pk}/occupations/", {"occupation": "1-06-01-02", "levels": [5]},
         (400, "occupation_not_admitted")),
        ("put", "/applications/{pk}/facts/", {"facts": ["not", "a", "dict"]}, (400, "invalid")),
        ("put", "/applications/{pk}/facts/", {"occupation_facts": {"x": {"a": 1}}}, (400, "occupation_facts_keys")),
        ("post", "/applications/{pk}/pledge/", {"signer": ""}, (400, "invalid")),
        ("post", "/applications/{pk}/withdraw/", {}, (400, "invalid")),
        ("post", "/applications/", {"call": 999999}, (404, "not_found")),
        ("get", "/applications/999999/", None, (404, "not_found")),
    ],
)
def test_bad_input_gets_a_code_never_a_500(method: str, path: str, body: Any, expected: tuple[int, str]) -> None:
    application = ApplicationFactory()
    api = _token_api(the_member(application))

    response = getattr(api, method)(path.format(pk=application.pk), *([body] if body is not None else []))

    assert _error(response) == expected
    assert AuditEvent.objects.count() == 0


def test_unreadable_json_and_an_unknown_checklist_item_get_codes() -> None:
    application = ApplicationFactory()
    user = the_member(application)
    token = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}

    broken = Client().post(f"/api/v1/gd/applications/{application.pk}/pledge/", "{not json",
                           content_type="application/json", **token)
    unknown = _token_api(user).upload(f"/applications/{application.pk}/evidence/", "no_such_item", "a.pdf", pdf_bytes())
    no_file = Client().post(f"/api/v1/gd/applications/{application.pk}/evidence/", {"checklist_key": "staff_list"},
                            **token)

    assert _error(broken) == (400, "parse_error")
    assert _error(unknown) == (400, "checklist_unknown")
    assert _error(no_file) == (400, "invalid")


def test_officers_cannot_use_the_applicants_endpoints_nor_applicants_the_officers() -> None:
    application = ApplicationFactory(submitted=True)

    as_officer = _token_api(city_officer("gd", "4401")).post(f"/applications/{application.pk}/withdraw/", {"reason": "x"})
    as_applicant = _token_api(the_member(application)).post(f"/review/{application.pk}/start/")
    list_as_applicant = _token_api(the_member(application)).get("/review/")

    assert _error(as_officer) == (404, "not_found")
    assert _error(as_applicant) == (404, "not_found")
    assert list_as_applicant.status_code == 403
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_review_list_filters_are_checked(login: Callable[[User], Client]) -> None:
    returned = ApplicationFactory(returned=True)
    ApplicationFactory(submitted=True)
    api = _token_api(city_officer("gd", "4401"))

    by_state = api.get("/review/", state="returned", call="", category="")
    by_call = api.get("/review/", call=str(returned.call_id))
    bad_call = api.get("/review/", call="abc")
    bad_state = api.get("/review/", state="no_such_state")

    assert [row["id"] for row in by_state.json()["results"]] == [returned.pk]
    assert [row["id"] for row in by_call.json()["results"]] == [returned.pk]
    assert _error(bad_call) == (400, "invalid")
    assert list(bad_call.json()["fields"]) == ["call"]
    assert _error(bad_state) == (400, "invalid")


# --- the schema ---


def test_the_openapi_schema_lists_the_filings_endpoints() -> None:
    response = Client().get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    base = "/api/v1/{province}"
    assert {
        f"{base}/register/", f"{base}/institution/", f"{base}/calls/", f"{base}/applications/",
        f"{base}/applications/{{id}}/", f"{base}/applications/{{id}}/occupations/",
        f"{base}/applications/{{id}}/occupations/{{item_pk}}/", f"{base}/applications/{{id}}/facts/",
        f"{base}/applications/{{id}}/evidence/", f"{base}/applications/{{id}}/precheck/",
        f"{base}/applications/{{id}}/pledge/", f"{base}/applications/{{id}}/submit/",
        f"{base}/applications/{{id}}/withdraw/", f"{base}/review/", f"{base}/review/{{id}}/",
        f"{base}/review/{{id}}/start/", f"{base}/review/{{id}}/return/", f"{base}/review/{{id}}/not-recommend/",
        f"{base}/review/{{id}}/pass/",
    } <= set(paths)
    assert set(paths[f"{base}/applications/{{id}}/submit/"]) == {"post"}
    assert {p["name"] for p in paths[f"{base}/review/"]["get"]["parameters"]} >= {"state", "category", "call", "page"}
    assert set(paths[f"{base}/review/{{id}}/return/"]["post"]["requestBody"]["content"]) == {"application/json",
                                                                                           "application/x-www-form-urlencoded",
                                                                                           "multipart/form-data"}
