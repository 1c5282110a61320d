"""The cultivation and filing API: the whole path by token, stable error codes (never a 500), and the schema."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from filings import services
from filings.models import FilingStatus, TaskKind
from portal.models import User
from tests import factories as f
from tests.factories import OccupationFactory, TokenFactory

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def test_from_commitment_to_filing_letter_through_the_api() -> None:
    cultivation = f.cultivation(occupations=1, signed=False)
    member, officer, city = (api(f.the_member(cultivation.institution)), api(f.provincial_officer()),
                             api(f.city_officer_of(cultivation.institution)))
    base = f"/api/v1/gd/cultivations/{cultivation.pk}/"

    signed = member.post(base + "commitment/", {"signer_name": "张明", "signer_title": "法定代表人"}, format="json")
    assert signed.status_code == 200
    assert signed.json()["commitment_signer_name"] == "张明"
    assert signed.json()["days_left"] == 180
    tasks = {t["kind"]: t["id"] for t in signed.json()["occupations"][0]["tasks"]}

    submitted = member.post(f"/api/v1/gd/cultivation-tasks/{tasks[TaskKind.QUESTION_BANK]}/question-bank/",
                            {"items": f.pdf_upload(), "documents": [f.pdf_upload("说明.pdf")], "note": "第一版"},
                            format="multipart")
    assert submitted.status_code == 201, submitted.json()
    assert sorted(x["kind"] for x in submitted.json()["files"]) == ["documents", "items"]
    returned = officer.post(f"/api/v1/gd/cultivation-tasks/{tasks[TaskKind.QUESTION_BANK]}/review/",
                            {"decision": "return", "reasons": "试题数量不足"}, format="json")
    assert returned.status_code == 200 and returned.json()["decision"] == "returned"
    member.post(f"/api/v1/gd/cultivation-tasks/{tasks[TaskKind.QUESTION_BANK]}/question-bank/",
                {"items": f.pdf_upload()}, format="multipart")
    accepted = officer.post(f"/api/v1/gd/cultivation-tasks/{tasks[TaskKind.QUESTION_BANK]}/review/",
                            {"decision": "accept"}, format="json")
    assert accepted.json()["number"] == 2
    trained = city.post(f"/api/v1/gd/cultivation-tasks/{tasks[TaskKind.EXAM_TRAINING]}/training/",
                        {"attended_on": str(cultivation.started_on)}, format="json")
    assert trained.status_code == 200 and trained.json()["state"] == "accepted"

    filed = officer.post(base + "file/", {}, format="json")
    assert filed.status_code == 201
    filing = filed.json()
    assert filing["status"] == FilingStatus.ACTIVE and filing["organization_sequence"] == "000001"
    assert member.get("/api/v1/gd/filings/").json()["results"][0]["id"] == filing["id"]
    detail = member.get(f"/api/v1/gd/filings/{filing['id']}/").json()
    letter = member.get(f"/api/v1/gd/filing-letters/{detail['letters'][0]['id']}/")
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF-")
    assert api(f.provincial_officer()).get("/api/v1/gd/cultivations/").json()["count"] == 1


def test_refusals_come_back_with_stable_codes_never_a_500() -> None:
    cultivation = f.cultivation(occupations=1)
    member, officer = api(f.the_member(cultivation.institution)), api(f.provincial_officer())
    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)

    again = member.post(f"/api/v1/gd/cultivations/{cultivation.pk}/commitment/",
                        {"signer_name": "李四", "signer_title": "总经理"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "commitment_already_signed")
    not_submitted = officer.post(f"/api/v1/gd/cultivation-tasks/{bank.pk}/review/", {"decision": "accept"},
                                 format="json")
    assert (not_submitted.status_code, not_submitted.json()["code"]) == (409, "invalid_transition")
    bad = officer.post(f"/api/v1/gd/cultivation-tasks/{bank.pk}/review/", {"decision": "maybe"}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    nothing = officer.post(f"/api/v1/gd/cultivations/{cultivation.pk}/file/", {}, format="json")
    assert (nothing.status_code, nothing.json()["code"]) == (400, "nothing_to_file")
    wrong_file = member.post(f"/api/v1/gd/cultivation-tasks/{bank.pk}/question-bank/",
                             {"items": f.pdf_upload(content=b"GIF89a not allowed")}, format="multipart")
    assert (wrong_file.status_code, wrong_file.json()["code"]) == (400, "upload_type")
    not_yours = member.post(f"/api/v1/gd/cultivations/{cultivation.pk}/file/", {}, format="json")
    assert not_yours.status_code == 404  # a member has no filing role: the object is not named to them


def test_an_organization_that_is_not_active_cannot_add_an_occupation_through_the_api() -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    services.suspend_filing(filing, acting_user=f.provincial_officer(), reason="限期整改")
    occupation = OccupationFactory()

    response = api(f.the_member(filing.institution)).post(f"/api/v1/gd/filings/{filing.pk}/additions/", {
        "occupations": [{"occupation": occupation.code, "levels": [4]}],
        "has_completed_question_bank": True, "operating_normally": True}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "filing_not_active"
    assert "暂停" in response.json()["detail"]


def test_an_active_organization_adds_an_occupation_through_the_api() -> None:
    """A chain-leader cultivation unit goes straight to cultivation; another organization's addition goes through
    selection as an application in the open call (001 二(二), 四(一)4), refused with a code when none is open."""
    filing = f.FilingFactory(with_scope=True, province="gd")
    member = api(f.the_member(filing.institution))
    other = {"occupations": [{"occupation": OccupationFactory().code, "levels": [4]}],
             "has_completed_question_bank": True, "operating_normally": True}

    response = member.post(f"/api/v1/gd/filings/{filing.pk}/additions/", {
        "occupations": [{"occupation": OccupationFactory().code, "levels": [4, 3]}], "is_chain_leader": True,
        "has_completed_question_bank": True, "operating_normally": True}, format="json")
    no_call = member.post(f"/api/v1/gd/filings/{filing.pk}/additions/", other, format="json")
    f.CallFactory(province="gd")
    waiting = member.post(f"/api/v1/gd/filings/{filing.pk}/additions/", other, format="json")

    assert response.status_code == 201
    assert response.json()["state"] == "cultivating" and response.json()["cultivation"] is not None
    assert response.json()["is_chain_leader"] is True
    assert (response.json()["application"], response.json()["application_state"]) == (None, None)
    assert (no_call.status_code, no_call.json()["code"]) == (400, "no_open_call")
    assert waiting.status_code == 201
    assert (waiting.json()["state"], waiting.json()["cultivation"]) == ("submitted", None)
    addition = filing.additions.get(pk=waiting.json()["id"])
    assert (waiting.json()["application"], waiting.json()["application_state"]) == (addition.application_id, "draft")


def test_the_catalog_api_is_public_and_searchable() -> None:
    kept = f.FilingFactory(with_scope=True, province="gd", institution__name="广州焊接评价中心")
    f.FilingFactory(with_scope=True, province="gd", institution__name="深圳电工学校")
    f.FilingFactory(with_scope=True, province="gd", published_at=None)

    everyone = Client().get("/api/v1/gd/catalog/")
    found = Client().get("/api/v1/gd/catalog/", {"q": "焊接"})

    assert everyone.status_code == 200 and everyone.json()["count"] == 2
    assert [row["name"] for row in found.json()["results"]] == [kept.institution.name]
    assert set(found.json()["results"][0]) == {"name", "category", "city", "occupations", "filing_number",
                                               "institution_code", "valid_from", "valid_until", "status", "exit_kind",
                                               "exit_started_on", "terminated_on"}


def test_the_schema_lists_the_cultivation_and_filing_endpoints() -> None:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    for path in ("/api/v1/{province}/cultivations/", "/api/v1/{province}/cultivations/{id}/commitment/",
                 "/api/v1/{province}/cultivation-tasks/{id}/question-bank/",
                 "/api/v1/{province}/cultivation-tasks/{id}/review/",
                 "/api/v1/{province}/cultivation-tasks/{id}/training/", "/api/v1/{province}/cultivations/{id}/file/",
                 "/api/v1/{province}/filings/", "/api/v1/{province}/filings/{id}/",
                 "/api/v1/{province}/filing-letters/{id}/", "/api/v1/{province}/catalog/",
                 "/api/v1/{province}/filings/{id}/additions/"):
        assert path in paths, path
    assert "multipart/form-data" in schema["paths"]["/api/v1/{province}/cultivation-tasks/{id}/question-bank/"][
        "post"]["requestBody"]["content"]
