"""Export jobs: the list of a person's large exports and the permission-checked download."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.views.generic import DetailView, ListView

from ..access import access_export_job
from ..exports import XLSX, download_export
from ..models import ExportJob
from ..roles import OFFICERS, ProvinceView


class ExportListView(ProvinceView, ListView[ExportJob]):
    allowed_roles = OFFICERS
    template_name = "portal/export_list.html"
    paginate_by = 30
    context_object_name = "jobs"

    def get_queryset(self) -> QuerySet[ExportJob]:
        return ExportJob.objects.filter(province=self.province, requested_by_id=self.user.pk)


class ExportDetailView(ProvinceView, DetailView[ExportJob]):
    allowed_roles = OFFICERS
    template_name = "portal/export_detail.html"
    context_object_name = "job"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> ExportJob:
        return access_export_job(self.access, self.kwargs["pk"])


class ExportDownloadView(ProvinceView):
    allowed_roles = OFFICERS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = access_export_job(self.access, kwargs["pk"])
        return FileResponse(download_export(self.access, job), as_attachment=True,
                            filename=f"{job.export_name}-{job.pk}.xlsx", content_type=XLSX)
