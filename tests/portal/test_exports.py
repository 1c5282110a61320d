"""Excel exports of list pages: the filtered rows at once, or a background job for large exports."""

import datetime as dt
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal.exports import XLSX, run_export_job
from portal.models import AuditEvent, ExportJob, Notification, User
from tests.factories import AuditEventFactory, ExportJobFactory, MembershipFactory, UserFactory, officer

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ["时间", "操作人", "动作", "对象类型", "对象", "原状态", "新状态", "理由"]


def _rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[("" if cell is None else cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def _audit_rows() -> list[AuditEvent]:
    """Three 'submitted' events by 张三 on three days, one 'returned' event, and one in Shandong."""
    zhang = UserFactory(username="zhang", display_name="张三")
    events = [
        AuditEventFactory(actor=zhang, action="submitted", object_repr=f"机构{n}", from_state="draft",
                          to_state="submitted", reason=f"理由{n}", at=dt.datetime(2026, 3, n, 9, 0, tzinfo=SHANGHAI))
        for n in (1, 2, 3)
    ]
    AuditEventFactory(actor=zhang, action="returned", at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))
    AuditEventFactory(province="sd", actor=zhang, action="submitted",
                      at=dt.datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI))
    return events


def test_export_returns_exactly_the_filtered_rows(login: Callable[[User], Client]) -> None:
    # given Guangdong events of two actions (and one in Shandong)
    events = _audit_rows()
    user = officer("gd")

    # when the officer exports the audit list filtered to "submitted" from March 2
    response = login(user).get("/gd/audit/", {"action": "submitted", "date_from": "2026-03-02", "export": "xlsx"})

    # then the workbook holds the header and exactly those rows, newest first, cell by cell
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="audit_events-')
    assert _rows(response.content) == [
        HEADER,
        ["2026-03-03 09:00:00", "张三", "submitted", "机构", "机构3", "草稿", "已提交", "理由3"],
        ["2026-03-02 09:00:00", "张三", "submitted", "机构", "机构2", "草稿", "已提交", "理由2"],
    ]
    # and the export itself is audited with its filters
    export_event = AuditEvent.objects.get(action="export")
    assert (export_event.actor, export_event.province.slug) == (user, "gd")
    assert export_event.changes == {
        "export": "audit_events",
        "params": {"action": "submitted", "date_from": "2026-03-02"},
        "rows": 2,
    }
    assert len(events) == 3


def test_the_page_links_the_export_with_its_filters(login: Callable[[User], Client]) -> None:
    response = login(officer("gd")).get("/gd/audit/", {"action": "submitted", "page": "1"})

    assert response.context["export_querystring"] == "action=submitted&export=xlsx"


def test_large_export_becomes_a_job_for_the_requester(
    login: Callable[[User], Client],
    settings: object,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    # given more matching rows than the synchronous limit
    settings.EXPORT_SYNC_ROW_LIMIT = 2  # type: ignore[attr-defined]
    _audit_rows()
    user = officer("gd")
    client = login(user)

    # when the officer exports the three "submitted" Guangdong events
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client.get("/gd/audit/", {"action": "submitted", "export": "xlsx"})

    # then a job was queued and built (Celery runs eagerly in tests) and they are told where to fetch it
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gd/exports/{job.pk}/"
    assert (job.requested_by, job.province.slug, job.export_name, job.params) == (
        user, "gd", "audit_events", {"action": "submitted"}
    )
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 3)
    assert job.file.name.endswith(".xlsx")
    assert job.finished_at is not None
    notification = Notification.objects.get(recipient=user)
    assert notification.title == "导出已完成：审计日志"
    assert notification.body == "共 3 行，可在导出记录中下载。"
    assert notification.link == f"/gd/exports/{job.pk}/"
    requested = AuditEvent.objects.get(object_type="portal.exportjob", action="export_requested")
    assert (requested.action, requested.actor, requested.to_state) == ("export_requested", user, "pending")

    # and the download holds exactly the filtered rows
    download = client.get(f"/gd/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert _rows(b"".join(download.streaming_content)) == [  # type: ignore[attr-defined]
        HEADER,
        ["2026-03-03 09:00:00", "张三", "submitted", "机构", "机构3", "草稿", "已提交", "理由3"],
        ["2026-03-02 09:00:00", "张三", "submitted", "机构", "机构2", "草稿", "已提交", "理由2"],
        ["2026-03-01 09:00:00", "张三", "submitted", "机构", "机构1", "草稿", "已提交", "理由1"],
    ]
    assert AuditEvent.objects.filter(action="export_downloaded", actor=user).count() == 1


def test_a_job_is_served_only_to_its_requester_in_its_province(login: Callable[[User], Client]) -> None:
    # given a finished Guangdong job of one officer, who also works in Shandong
    requester = officer("gd")
    MembershipFactory(user=requester, province="sd", provincial_officer=True)
    job = ExportJobFactory(province="gd", requested_by=requester, done=True)
    colleague = officer("gd")

    # then only the requester, under Guangdong, gets it
    assert login(requester).get(f"/gd/exports/{job.pk}/download/").status_code == 200
    assert login(requester).get(f"/sd/exports/{job.pk}/download/").status_code == 404
    assert login(colleague).get(f"/gd/exports/{job.pk}/download/").status_code == 404
    assert login(colleague).get(f"/gd/exports/{job.pk}/").status_code == 404


def test_an_unfinished_job_has_nothing_to_download(login: Callable[[User], Client]) -> None:
    requester = officer("gd")
    job = ExportJobFactory(province="gd", requested_by=requester)

    assert login(requester).get(f"/gd/exports/{job.pk}/").status_code == 200
    assert login(requester).get(f"/gd/exports/{job.pk}/download/").status_code == 404


def test_a_job_of_someone_without_the_role_fails() -> None:
    # the task re-checks the requester's roles: a city officer may not export the audit log

    requester = officer("gd", city=True)
    job = ExportJobFactory(province="gd", requested_by=requester)

    run_export_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == (ExportJob.Status.FAILED, "无权导出该数据。", False)


def test_export_list_shows_my_jobs_and_query_count_does_not_grow(
    login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    user = officer("gd")
    client = login(user)
    ExportJobFactory(province="gd", requested_by=user)
    ExportJobFactory(province="gd")  # someone else's
    client.get("/gd/exports/")
    with CaptureQueriesContext(connection) as one_row:
        client.get("/gd/exports/")
    ExportJobFactory.create_batch(29, province="gd", requested_by=user, done=True)

    with django_assert_max_num_queries(len(one_row.captured_queries)):  # type: ignore[operator]
        response = client.get("/gd/exports/")

    assert len(response.context["jobs"]) == 30
    assert {job.requested_by_id for job in response.context["jobs"]} == {user.pk}
