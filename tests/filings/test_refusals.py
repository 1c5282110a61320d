"""Bad input through the pages: an executable renamed .pdf, an oversized file, a bad credit code, a submission after
the deadline and a second submission from another tab. Each gets a message a person understands and changes nothing:
no row, no file, no audit event, no notification."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from filings.models import Application, ApplicationState, Evidence, Submission
from portal import uploads
from portal.models import AuditEvent, Institution, Membership, Notification, User
from tests.factories import (
    BAD_CREDIT_CODE,
    BAD_CREDIT_CODE_EXPECTED_CHECK,
    EXE_BYTES,
    ApplicationFactory,
    city,
    city_officer,
    pdf_bytes,
    the_member,
)

pytestmark = pytest.mark.django_db

S = ApplicationState


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _stored_files(application: Application) -> list[Path]:
    """The files under the application's folder (ids are reused between tests, so compare before and after)."""
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "evidence" / application.province.slug / str(application.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def _upload(client: Client, application: Application, name: str, content: bytes) -> Any:
    return client.post(
        f"/gd/applications/{application.pk}/evidence/upload/",
        {"checklist_key": "staff_list", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )


def test_an_executable_renamed_pdf_is_refused_by_its_content(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory()
    client = login(the_member(application))
    files_before = _stored_files(application)

    response = _upload(client, application, "人员名单.pdf", EXE_BYTES)

    assert response.redirect_chain == [(f"/gd/applications/{application.pk}/#material-staff_list-feedback", 302)]
    assert _messages(response) == [
        "文件“人员名单.pdf”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。"
    ]
    assert (Evidence.objects.count(), AuditEvent.objects.count()) == (0, 0)
    assert _stored_files(application) == files_before


def test_an_oversized_file_is_refused_with_the_limit(
    login: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    application = ApplicationFactory()
    content = pdf_bytes()
    assert len(content) == 1556
    files_before = _stored_files(application)

    response = _upload(login(the_member(application)), application, "人员名单.pdf", content)

    assert _messages(response) == ["文件“人员名单.pdf”大小为1.5\xa0KB，超过1.0\xa0KB的上限。"]
    assert (Evidence.objects.count(), AuditEvent.objects.count()) == (0, 0)
    assert _stored_files(application) == files_before


def test_a_good_upload_is_kept_with_its_type_read_from_the_content(login: Callable[[User], Client]) -> None:
    # control for the two tests above: the same request with a real PDF named .png is stored as a PDF
    application = ApplicationFactory()
    files_before = _stored_files(application)

    response = _upload(login(the_member(application)), application, "人员名单.png", pdf_bytes())

    assert _messages(response) == ["已上传：人员名单.png（1.5\xa0KB）"]
    evidence = Evidence.objects.get()
    assert (evidence.checklist_key, evidence.original_name, evidence.content_type, evidence.size) == (
        "staff_list", "人员名单.png", "application/pdf", 1556)
    [stored] = sorted(set(_stored_files(application)) - set(files_before))
    assert stored.read_bytes() == pdf_bytes()
    assert [e.action for e in AuditEvent.objects.all()] == ["evidence_uploaded"]


def _registration(credit: str) -> dict[str, str]:
    return {
        "username": "xiehui", "display_name": "谢晖", "mobile": "13912345678", "email": "xiehui@example.cn",
        "password1": "Skill-portal-2026", "password2": "Skill-portal-2026",
        "name": "广东省焊接协会", "credit_code": credit, "category": "other", "nature": "social_group", "level": "city",
        "city": "", "address": "广州市天河路1号", "legal_representative": "王强", "registered_capital": "",
        "contact_person": "李华", "contact_title": "", "contact_phone": "020-12345678", "contact_email": "",
    }


def test_registration_with_a_bad_credit_code_says_which_character_and_creates_nothing() -> None:
    data = _registration(BAD_CREDIT_CODE)
    data["city"] = str(city("4401").pk)
    expected = BAD_CREDIT_CODE_EXPECTED_CHECK

    response = Client().post("/gd/register/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "credit_code": [f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“0”。"]
    }
    assert (User.objects.filter(username="xiehui").exists(), Institution.objects.count()) == (False, 0)
    assert (Membership.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_submission_after_the_deadline_is_refused_with_the_deadline_and_the_draft_keeps_its_edits(
    login: Callable[[User], Client],
) -> None:
    application = ApplicationFactory(ready=True)
    deadline = timezone.localtime(application.call.application_deadline)

    with time_machine.travel(application.call.application_deadline + dt.timedelta(hours=1)):
        client = login(the_member(application))
        saved = client.post(f"/gd/applications/{application.pk}/facts/", {"member_units": "130"}, follow=True)
        submitted = client.post(f"/gd/applications/{application.pk}/submit/", follow=True)

    assert _messages(saved) == ["申报信息已保存。"]
    assert _messages(submitted) == [
        f"本批次申报截止时间为{deadline:%Y-%m-%d %H:%M}，已截止，不能再提交。草稿已保留。"
    ]
    application.refresh_from_db()
    assert (application.state, application.facts["member_units"], application.submission_count) == (S.DRAFT, 130, 0)
    assert Submission.objects.count() == 0
    assert [e.action for e in AuditEvent.objects.all()] == ["facts_saved"]


def test_a_second_submission_from_another_tab_is_refused_and_nothing_is_done_twice(
    login: Callable[[User], Client], django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a ready draft open in two tabs (two sessions of its member) and the city's officer
    application = ApplicationFactory(ready=True)
    officer = city_officer("gd", "4401")
    member = the_member(application)
    first_tab, second_tab = login(member), login(member)
    first_tab.get(f"/gd/applications/{application.pk}/")
    second_tab.get(f"/gd/applications/{application.pk}/")

    # when both tabs press submit, one after the other
    with django_capture_on_commit_callbacks(execute=True):
        first = first_tab.post(f"/gd/applications/{application.pk}/submit/", follow=True)
        second = second_tab.post(f"/gd/applications/{application.pk}/submit/", follow=True)

    # then the second is told the application was already submitted, and it was submitted once
    assert _messages(first) == ["申请已提交。"]
    assert _messages(second) == ["申请当前状态为“已提交”，不能执行该操作。"]
    application.refresh_from_db()
    assert (application.state, application.submission_count) == (S.SUBMITTED, 1)
    assert Submission.objects.count() == 1
    assert [e.action for e in AuditEvent.objects.all()] == ["application_submitted"]
    assert [n.recipient for n in Notification.objects.all()] == [officer]


def test_two_officers_accepting_from_two_browsers(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory(submitted=True)
    first, second = city_officer("gd", "4401"), city_officer("gd", "4401")

    one = login(first).post(f"/gd/review/{application.pk}/", {"action": "start"}, follow=True)
    two = login(second).post(f"/gd/review/{application.pk}/", {"action": "start"}, follow=True)

    assert _messages(one) == ["已受理，进入初审。"]
    assert _messages(two) == ["申请当前状态为“地市初审中”，不能执行该操作。"]
    application.refresh_from_db()
    assert application.reviewer == first
    assert [(e.actor, e.action) for e in AuditEvent.objects.all()] == [(first, "city_review_started")]
