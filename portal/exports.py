"""Excel exports of officer list pages: exactly the rows the page shows, with its filters applied.

A list page subclasses ExportableListView. Up to settings.EXPORT_SYNC_ROW_LIMIT rows download at once; a larger
export becomes an ExportJob built by a Celery task (queued after commit) and offered for download when done.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView
from openpyxl import Workbook

from .audit import audit_personal_data_read, record_event
from .models import ExportJob
from .notifications import notify
from .roles import ProvinceAccess, ProvinceView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


_registry: dict[str, type["ExportableListView"]] = {}


class ExportableListView(ProvinceView, ListView[Any]):
    """An officer list page with a filter form, pagination and an Excel export of the filtered rows."""

    export_name: ClassVar[str] = ""
    export_title: ClassVar[str] = ""
    filter_form_class: ClassVar[type[forms.Form]]
    paginate_by = 50

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.export_name:
            _registry[cls.export_name] = cls

    # --- the one definition of "what the page shows", used by the page and by the export ---
    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        raise NotImplementedError(f"{cls.__name__} must define base_queryset")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        raise NotImplementedError(f"{cls.__name__} must define columns")

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return cls.filter_form_class(data)

    @classmethod
    def filtered_queryset(cls, access: ProvinceAccess, params: dict[str, Any]) -> QuerySet[Any]:
        form = cls.make_filter_form(access, params)
        qs = cls.base_queryset(access)
        if form.is_valid():
            qs = cls.apply_filters(qs, form.cleaned_data)
        return qs

    # --- the page ---
    def get_queryset(self) -> QuerySet[Any]:
        return self.filtered_queryset(self.access, self.request.GET.dict())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.make_filter_form(self.access, self.request.GET or None)
        context["columns"] = self.columns()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        export_query = query.copy()
        export_query["export"] = "xlsx"
        context["export_querystring"] = export_query.urlencode()
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request: HttpRequest) -> HttpResponse:
        params = request.GET.dict()
        params.pop("export", None)
        params.pop("page", None)
        if self.filtered_queryset(self.access, params).count() <= settings.EXPORT_SYNC_ROW_LIMIT:
            content = export_now(type(self), self.access, params)
            response = HttpResponse(content, content_type=XLSX)
            filename = f"{self.export_name}-{timezone.localdate():%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        job = start_export_job(self.access, self.export_name, str(self.export_title), params)
        messages.info(request, _("导出数据较多，已转入后台生成，完成后会通知您下载。"))
        return redirect("export_detail", province=self.province.slug, pk=job.pk)


def export_now(view: type[ExportableListView], access: ProvinceAccess, params: dict[str, Any]) -> bytes:
    """The workbook of a list page's filtered rows, built at once, with the export's audit event."""
    content, rows = build_workbook(view.columns(), view.filtered_queryset(access, params))
    record_event(
        actor=access.user,
        action="export",
        obj=access.province,
        province=access.province,
        reason=str(view.export_title),
        changes={"export": view.export_name, "params": params, "rows": rows},
    )
    return content


def build_workbook(columns: list[Column], rows: Any) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(c.header) for c in columns])
    count = 0
    for obj in rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows:
        sheet.append([_cell(c.value(obj)) for c in columns])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str | int | float) or hasattr(value, "isoformat"):
        return value
    return str(value)


def start_export_job(access: ProvinceAccess, export_name: str, title: str, params: dict[str, Any]) -> ExportJob:
    from .tasks import build_export

    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=access.user, province=access.province, export_name=export_name, title=title, params=params
        )
        record_event(
            actor=access.user,
            action="export_requested",
            obj=job,
            province=access.province,
            to_state=ExportJob.Status.PENDING,
            changes={"export": export_name, "params": params},
        )
        transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def run_export_job(job_id: int) -> None:
    """Build one export job's file. Idempotent: a job already done or failed is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by", "province").get(pk=job_id)
        if job.is_finished:
            return
        from_state = job.status
        job.start()
        job.save(update_fields=["status"])
        _record_transition(job, "export_started", from_state)
    view = _registry.get(job.export_name)
    access = ProvinceAccess.for_user(job.requested_by, job.province)
    if view is None or not access.has(*view.allowed_roles):
        _fail(job, _("无权导出该数据。"))
        return
    content, rows = build_workbook(view.columns(), view.filtered_queryset(access, job.params))
    with transaction.atomic():
        job.file.save(f"{job.export_name}-{job.pk}.xlsx", ContentFile(content), save=False)
        job.finish(row_count=rows)
        job.save(update_fields=["file", "row_count", "status", "finished_at"])
        _record_transition(job, "export_finished", ExportJob.Status.RUNNING, changes={"rows": rows})
        notify(
            [job.requested_by],
            title=_("导出已完成：%(title)s") % {"title": job.title},
            body=_("共 %(rows)d 行，可在导出记录中下载。") % {"rows": rows},
            link=reverse("export_detail", kwargs={"province": job.province.slug, "pk": job.pk}),
            province=job.province,
            email=False,
        )


def _fail(job: ExportJob, error: str) -> None:
    with transaction.atomic():
        from_state = job.status
        job.fail(error)
        job.save(update_fields=["status", "error", "finished_at"])
        _record_transition(job, "export_failed", from_state, reason=error)


def _record_transition(
    job: ExportJob, action: str, from_state: str, *, reason: str = "", changes: dict[str, Any] | None = None
) -> None:
    """The one audit event of an export job's transition; the task acts for the person who asked."""
    record_event(
        actor=job.requested_by, action=action, obj=job, province=job.province,
        from_state=from_state, to_state=job.status, reason=reason, changes=changes,
    )


def download_export(access: ProvinceAccess, job: ExportJob) -> File:
    """Open a finished job's file for its requester, auditing the read of the personal data it may hold."""
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    audit_personal_data_read(
        access.user, job, what=str(job.title), province=access.province, action="export_downloaded"
    )
    return job.file.open("rb")
