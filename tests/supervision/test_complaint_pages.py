"""Complaint pages: the public form (CSRF, catalog search, files checked, the code shown once), tracking by the code
alone, the officer's worklist with its export and the detail with its steps, the organization's view without the
complainant's contact, and the homes."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.models import AuditEvent, City
from supervision import services
from supervision.models import Complaint, ComplaintAttachment, ComplaintState
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
    return FilingFactory(with_scope=True, institution__name="广州市示范职业技能评价中心")


def form_data(filing, **overrides):
    data = {"subject_kind": "organization", "organization": filing.institution_id, "category": "fees",
            "text": "考前收取资料费800元，未开发票。", "name": "张三", "mobile": "13800138000", "email": ""}
    data.update(overrides)
    return data


def test_the_public_form_needs_no_login_and_searches_the_catalog(filing):
    FilingFactory(institution__name="深圳市另一家评价机构")
    response = Client().get("/complaints/gd/?q=示范")
    html = response.content.decode()
    assert response.status_code == 200
    assert "广州市示范职业技能评价中心" in html and "深圳市另一家评价机构" not in html
    assert "找到 1 家机构" in html


def test_the_form_is_csrf_protected(filing):
    response = Client(enforce_csrf_checks=True).post("/complaints/gd/", form_data(filing))
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_a_complaint_with_a_file_shows_its_code_once(filing):
    upload = SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf")
    response = Client().post("/complaints/gd/", {**form_data(filing), "attachments": [upload]})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    code = response.context["code"]
    assert code in response.content.decode()
    complaint = Complaint.objects.get()
    assert ComplaintAttachment.objects.get(complaint=complaint).name == "收据.pdf"
    tracked = Client().post("/complaints/track/", {"code": code})
    assert tracked.status_code == 200 and tracked["Cache-Control"] == "no-store"
    assert code not in tracked.content.decode()  # nothing to answer yet: no form carries it back
    assert "处理中" in tracked.content.decode() and "广州市示范职业技能评价中心" in tracked.content.decode()


def test_a_disguised_file_is_refused_with_a_message(filing):
    fake = SimpleUploadedFile("收据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = Client().post("/complaints/gd/", {**form_data(filing), "attachments": [fake]})
    assert response.status_code == 400
    assert "不是允许的格式" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_bad_contact_is_shown_beside_its_field(filing):
    response = Client().post("/complaints/gd/", form_data(filing, mobile="", email=""))
    assert response.status_code == 400
    assert response.context["form"].errors["mobile"] == ["请留下手机号码或电子邮箱，或选择匿名投诉。"]


def test_a_wrong_code_says_so_and_the_code_never_travels_in_the_address(filing):
    response = Client().post("/complaints/track/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 404 and "查询码不正确" in response.content.decode()
    assert Client().get("/complaints/track/?code=AAAA").status_code == 200  # the query string is ignored


def test_the_complainant_answers_a_request_and_reacts_to_the_answer(filing):
    complaint, code = complaint_about(filing)
    officer = city_officer_of(filing)
    services.request_information(complaint, acting_user=officer, text="请提供收款凭证。")
    client = Client()
    page = client.post("/complaints/track/", {"code": code}).content.decode()
    assert "请提供收款凭证。" in page and "暂停（等待投诉人补充材料）" in page
    done = client.post("/complaints/track/", {"code": code, "action": "information", "text": "凭证已上传。"})
    assert done.status_code == 200 and "补充材料已提交" in done.content.decode()
    services.decide_complaint(Complaint.objects.get(), acting_user=officer, decision="upheld", reason="属实，责令退费。")
    reopened = client.post("/complaints/track/", {"code": code, "action": "react", "satisfied": "no",
                                                  "comment": "尚未退费。"})
    assert "投诉已重新办理" in reopened.content.decode()
    assert Complaint.objects.get().state == ComplaintState.OPEN


def test_the_officer_list_exports_what_it_shows(filing, login):
    complaint_about(filing)
    complaint_about(FilingFactory(with_scope=True, institution__city=City.objects.get(code="4403")))  # Shenzhen
    client = login(city_officer_of(filing))
    page = client.get("/gd/supervision/complaints/")
    assert page.status_code == 200 and page.context["paginator"].count == 1  # one city's complaint only
    export = client.get("/gd/supervision/complaints/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "评价机构" and rows[1][1] == "广州市示范职业技能评价中心"
    assert len(rows) == 2


def test_the_officer_decides_on_the_detail_page(filing, login):
    complaint, _ = complaint_about(filing)
    client = login(city_officer_of(filing))
    detail = client.get(f"/gd/supervision/complaints/{complaint.pk}/").content.decode()
    assert "13800138000" in detail and "张三" in detail
    missing = client.post(f"/gd/supervision/complaints/{complaint.pk}/", {"action": "decide", "decision": "upheld"})
    assert missing.status_code == 400
    response = client.post(f"/gd/supervision/complaints/{complaint.pk}/",
                           {"action": "decide", "decision": "upheld", "reason": "属实。"})
    assert response.status_code == 302
    assert Complaint.objects.get().state == ComplaintState.ANSWERED


def test_the_organization_sees_its_forwarded_complaint_without_the_contact(filing, login):
    complaint, _ = complaint_about(filing, email="zhang@example.com")
    member = member_of(filing.institution)
    client = login(member)
    assert client.get(f"/gd/supervision/complaints/received/{complaint.pk}/").status_code == 404  # not forwarded
    services.forward_to_organization(complaint, acting_user=city_officer_of(filing))
    home = client.get("/gd/").content.decode()
    assert "待本机构答复的投诉" in home
    page = client.get(f"/gd/supervision/complaints/received/{complaint.pk}/").content.decode()
    assert "收费未开具发票" in page  # the complaint itself, not who filed it
    assert "13800138000" not in page and "zhang@example.com" not in page and "张三" not in page
    answered = client.post(f"/gd/supervision/complaints/received/{complaint.pk}/", {"text": "已退还资料费。"})
    assert answered.status_code == 302
    assert Complaint.objects.get().state == ComplaintState.ORGANIZATION_ANSWERED
    assert client.get(f"/gd/supervision/complaints/{complaint.pk}/").status_code in (403, 404)


def test_homes_show_open_and_overdue_complaints(filing, login):
    complaint_about(filing, on=D(2026, 5, 4))  # service norm (10 working days) passed by 3 June
    complaint_about(filing)
    city_home = login(city_officer_of(filing)).get("/gd/").content.decode()
    assert "超期未办结的投诉" in city_home and "办理中的投诉" in city_home
    province_home = login(provincial_officer()).get("/gd/")
    assert 'id="dash-complaints"' in province_home.content.decode()
    panel = next(p for section in province_home.context["sections"] for p in section["panels"]
                 if "complaints" in p.context)
    assert {f.label: f.count for f in panel.context["complaints"]} == {"办理中": 2, "超期": 1}


def test_the_list_costs_the_same_with_more_rows(filing, login, django_assert_max_num_queries):
    client = login(provincial_officer())
    complaint_about(filing)
    with django_assert_max_num_queries(12):
        client.get("/gd/supervision/complaints/")
    for _ in range(4):
        complaint_about(FilingFactory(with_scope=True))
    with django_assert_max_num_queries(12):
        client.get("/gd/supervision/complaints/")


def test_files_are_downloaded_through_the_access_check_and_audited(filing, login):
    upload = SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf")
    Client().post("/complaints/gd/", {**form_data(filing), "attachments": [upload]})
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    url = f"/gd/supervision/complaints/{complaint.pk}/files/{attachment.pk}/"
    officer = city_officer_of(filing)
    response = login(officer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action="complaint_attachment_downloaded")
    assert (event.actor, event.object_id) == (officer, str(complaint.pk))
    assert login(city_officer("gd", "4403")).get(url).status_code == 404
    assert login(member_of(filing.institution)).get(url).status_code == 404  # not forwarded to it yet
