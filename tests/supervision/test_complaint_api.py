"""The complaint API: the public files and tracks (stable codes, never a 500), officers handle scoped complaints, the
organization answers and never sees the complainant's contact."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from supervision.models import Complaint, ComplaintState
from tests.factories import (
    PDF,
    FilingFactory,
    at,
    city_officer,
    city_officer_of,
    complaint_about,
    member_of,
    provincial_officer,
)

D = dt.date


@pytest.fixture(autouse=True)
def _a_june_day():
    with at(D(2026, 6, 3)):
        yield


@pytest.fixture
def filing(db):
    return FilingFactory(with_scope=True)


def submit(filing, **overrides):
    body = {"subject_kind": "organization", "organization": filing.institution_id, "category": "exam_conduct",
            "text": "考场无人监考。", "anonymous": True}
    body.update(overrides)
    return Client().post("/api/v1/public/complaints/gd/", body, content_type="application/json")


def test_the_public_files_a_complaint_and_gets_the_code_once(filing):
    response = submit(filing)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "open" and body["level"] == "city"
    # 10 and 15 working days from Wednesday 3 June; Friday 19 June (Dragon Boat Festival) is not one
    assert body["service_due_on"] == "2026-06-17" and body["legal_due_on"] == "2026-06-25"
    tracked = Client().post("/api/v1/public/complaints/track/", {"code": body["tracking_code"]},
                            content_type="application/json")
    assert tracked.status_code == 200 and tracked["Cache-Control"] == "no-store"
    assert tracked.json()["state_label"] == "处理中" and tracked.json()["responses"] == []


@pytest.mark.parametrize(("overrides", "code"), [
    ({"category": "nope"}, "complaint_invalid"),
    ({"organization": 999999}, "complaint_subject_not_found"),
    ({"subject_kind": "certificate", "certificate_number": "S000044000123263000045"}, "complaint_subject_not_found"),
    ({"anonymous": False}, "complaint_invalid"),
    ({"subject_kind": "planet"}, "invalid"),
])
def test_refusals_carry_stable_codes(filing, overrides, code):
    response = submit(filing, **overrides)
    assert response.status_code == 400 and response.json()["code"] == code


def test_a_wrong_code_is_404_and_guessing_is_limited(filing):
    with override_settings(CERTIFICATE_LOOKUP_RATE=(2, 600)):
        for _ in range(2):
            miss = Client().post("/api/v1/public/complaints/track/", {"code": "AAAA-AAAA-AAAA-AAAA"},
                                 content_type="application/json")
            assert (miss.status_code, miss.json()["code"]) == (404, "tracking_code_not_found")
        limited = Client().post("/api/v1/public/complaints/track/", {"code": "AAAA-AAAA-AAAA-AAAB"},
                                content_type="application/json")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")


def test_officers_handle_and_the_complainant_reacts_over_the_api(filing, login):
    code = submit(filing, anonymous=False, name="王五", email="wang@example.com").json()["tracking_code"]
    complaint = Complaint.objects.get()
    officer = login(city_officer_of(filing))
    listed = officer.get("/api/v1/gd/supervision/complaints/?state=open").json()
    assert listed["count"] == 1 and listed["results"][0]["contact_email"] == "wang@example.com"
    asked = officer.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/request-information/",
                         {"text": "请说明考场号。"}, content_type="application/json")
    assert asked.status_code == 200 and asked.json()["state"] == "awaiting_complainant"
    public = Client()
    info = public.post("/api/v1/public/complaints/track/information/", {"code": code, "text": "第3考场。"},
                       content_type="application/json")
    assert info.status_code == 200 and info.json()["suspensions"][0]["working_days"] == 0
    decided = officer.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/decide/",
                           {"decision": "upheld", "reason": "经调取监控属实。"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["decision"] == "upheld"
    again = officer.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/decide/",
                         {"decision": "upheld", "reason": "再次。"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "complaint_state")
    reaction = public.post("/api/v1/public/complaints/track/reaction/", {"code": code, "satisfied": False,
                                                                         "comment": "处理太轻。"},
                           content_type="application/json")
    assert reaction.json()["state"] == "open" and reaction.json()["reopened"] is True
    assert Complaint.objects.get().state == ComplaintState.OPEN


def test_the_organization_answers_without_seeing_the_contact(filing, login):
    complaint, _ = complaint_about(filing, email="zhang@example.com")
    member = login(member_of(filing.institution))
    assert member.get(f"/api/v1/gd/supervision/complaints/{complaint.pk}/").status_code == 404
    login(city_officer_of(filing)).post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/forward/", {},
                                        content_type="application/json")
    seen = member.get(f"/api/v1/gd/supervision/complaints/{complaint.pk}/").json()
    assert (seen["contact_email"], seen["contact_mobile"], seen["complainant_name"]) == (None, None, None)
    assert "zhang" not in str(seen) and "13800138000" not in str(seen)
    assert [m["kind"] for m in seen["messages"]] == ["forwarded"]
    answered = member.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/answer/", {"text": "已整改。"},
                           content_type="application/json")
    assert answered.status_code == 200 and answered.json()["state"] == "organization_answered"
    listed = member.get("/api/v1/gd/supervision/complaints/").json()
    assert listed["count"] == 1 and listed["results"][0]["contact_mobile"] is None


def test_another_city_and_another_province_get_404(filing, login):
    complaint, _ = complaint_about(filing)
    assert login(city_officer("gd", "4403")).get(f"/api/v1/gd/supervision/complaints/{complaint.pk}/").status_code == 404
    assert login(provincial_officer("sd")).get(f"/api/v1/sd/supervision/complaints/{complaint.pk}/").status_code == 404


def test_reassignment_over_the_api(filing, login):
    complaint, _ = complaint_about(filing)
    client = login(provincial_officer())
    response = client.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/reassign/",
                           {"level": "city", "city": "4403", "reason": "属深圳监管。"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["city"] == "4403"
    no_reason = client.post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/reassign/",
                            {"level": "province", "reason": ""}, content_type="application/json")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "complaint_invalid")
    city = login(city_officer_of(filing)).post(f"/api/v1/gd/supervision/complaints/{complaint.pk}/reassign/",
                                               {"level": "province", "reason": "x"}, content_type="application/json")
    assert city.status_code in (403, 404)


def test_a_complaint_with_files_over_multipart(filing):
    body = {"subject_kind": "organization", "organization": filing.institution_id, "category": "fees",
            "text": "乱收费。", "anonymous": "true",
            "attachments": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]}
    response = Client().post("/api/v1/public/complaints/gd/", body)
    assert response.status_code == 201
    assert Complaint.objects.get().attachments.get().content_type == "application/pdf"
    bad = {**body, "attachments": [SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")]}
    refused = Client().post("/api/v1/public/complaints/gd/", bad)
    assert (refused.status_code, refused.json()["code"]) == (400, "upload_type")
