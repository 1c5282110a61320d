"""Feedback on the application's materials after an upload: the answer lands on the material's row (its anchor) with
the message inside that row, announced (role=status, role=alert for a refusal); a refused file leaves the row's files
as they were and marks the row's file box invalid; the top of the page repeats none of it."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from filings.models import Application, Evidence
from portal.models import User
from tests.factories import EXE_BYTES, ApplicationFactory, pdf_bytes, the_member
from tests.html import element_html, element_text

pytestmark = pytest.mark.django_db


def _upload(client: Client, application: Application, name: str, content: bytes, key: str = "staff_list") -> Any:
    data: dict[str, Any] = {"checklist_key": key}
    if content:
        data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(f"/gd/applications/{application.pk}/evidence/upload/", data, follow=True)


def test_an_accepted_upload_is_named_with_its_size_inside_its_row(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory()

    response = _upload(login(the_member(application)), application, "人员名单.pdf", pdf_bytes())

    assert response.redirect_chain == [(f"/gd/applications/{application.pk}/#material-staff_list-feedback", 302)]
    page = response.content.decode()
    feedback = element_html(page, "material-staff_list-feedback")
    assert feedback is not None and 'role="status"' in feedback
    assert element_text(page, "material-staff_list-feedback") == "✓ 已上传：人员名单.pdf（1.5\xa0KB）"
    assert "已上传：人员名单.pdf" in element_text(page, "material-staff_list")  # inside the row, not elsewhere
    assert page.count("已上传：人员名单.pdf") == 1
    assert 'class="messages"' not in page
    assert element_html(page, "material-venue_proof-feedback") is None  # the other rows say nothing


def test_a_refused_upload_gives_the_reason_in_its_row_and_keeps_the_file_already_there(
    login: Callable[[User], Client],
) -> None:
    application = ApplicationFactory()
    client = login(the_member(application))
    _upload(client, application, "人员名单.pdf", pdf_bytes())

    response = _upload(client, application, "人员名单-新.pdf", EXE_BYTES)

    assert response.redirect_chain == [(f"/gd/applications/{application.pk}/#material-staff_list-feedback", 302)]
    page = response.content.decode()
    row = element_html(page, "material-staff_list")
    assert row is not None and "row-refused" in row.split(">", 1)[0]
    feedback = element_html(page, "material-staff_list-feedback")
    assert feedback is not None and 'role="alert"' in feedback
    assert element_text(page, "material-staff_list-feedback") == (
        "✗ 未能上传：文件“人员名单-新.pdf”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。")
    [file_input] = re.findall(r'<input type="file" id="file-staff_list"[^>]*>', page)
    assert 'aria-invalid="true"' in file_input and 'aria-describedby="material-staff_list-feedback"' in file_input
    # the earlier file is kept and still listed in the row, without the success message of the earlier request
    assert [e.original_name for e in Evidence.objects.filter(application=application)] == ["人员名单.pdf"]
    assert "人员名单.pdf 1.5\xa0KB" in element_text(page, "material-staff_list")
    assert "已上传：" not in page
    assert 'class="messages"' not in page


def test_an_upload_without_a_file_says_so_in_its_row(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory()

    response = _upload(login(the_member(application)), application, "", b"")

    assert element_text(response.content.decode(), "material-staff_list-feedback") == "✗ 未能上传：请选择要上传的文件。"
    assert not Evidence.objects.exists()


def test_a_material_not_on_the_checklist_is_refused_at_the_top_of_the_page(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory()

    response = _upload(login(the_member(application)), application, "x.pdf", pdf_bytes(), key="no_such_item")

    assert response.redirect_chain == [(f"/gd/applications/{application.pk}/#materials", 302)]
    assert element_text(response.content.decode(), "main").count("材料项“no_such_item”不在本类别的材料清单中。") == 1
    assert 'class="messages"' in response.content.decode()
    assert not Evidence.objects.exists()
