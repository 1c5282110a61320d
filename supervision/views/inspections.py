"""Inspections: the list with its Excel export, and one inspection — the drawn inspectors schedule it, record the
checklist with files, findings (each opening a rectification order) and the report that completes it."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from certificates.models import ExamPlan
from portal import feedback
from portal.audit import audit_personal_data_read
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import services
from ..access_inspections import INSPECTOR_ROLES, access_inspection, scope_inspections
from ..forms_inspections import ChecklistForm, FileForm, FindingForm, InspectionFilterForm, ReportForm, ScheduleForm
from ..models import Inspection, InspectionFile, InspectionState
from ..services.inspections import is_inspector
from ._forms import show_error

INSPECTION_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, *INSPECTOR_ROLES, Role.INSTITUTION_MEMBER)


class InspectionListView(ExportableListView):
    """监督检查: every inspection the caller may see, by state or "mine", with the Excel export."""

    allowed_roles = INSPECTION_ROLES
    template_name = "supervision/inspections/inspection_list.html"
    export_name = "supervision_inspections"
    export_title = "监督检查"
    filter_form_class = InspectionFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_inspections(access).select_related("campaign", "institution", "city").order_by(
            "-campaign__drawn_at", "draw_order", "id")

    @classmethod
    def filtered_queryset(cls, access: ProvinceAccess, params: dict[str, Any]) -> QuerySet[Any]:
        qs = super().filtered_queryset(access, params)
        if params.get("mine"):
            qs = qs.filter(assignments__inspector=access.user, assignments__replaced_at__isnull=True).distinct()
        return qs

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(state=data["state"]) if data.get("state") else qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("抽查任务"), lambda i: i.campaign.title),
            Column(gettext("被检查机构"), lambda i: i.institution.name),
            Column(gettext("属地监管地市"), lambda i: i.city.name),
            Column(gettext("检查日期"), lambda i: i.scheduled_on),
            Column(gettext("状态"), lambda i: i.get_state_display()),
            Column(gettext("检查结论"), lambda i: i.report),
        ]


def _plans(inspection: Inspection) -> QuerySet[ExamPlan]:
    return ExamPlan.objects.filter(institution=inspection.institution).order_by("-first_session_on")


class InspectionDetailView(ProvinceView):
    """One inspection; its inspectors act on it while it is scheduled, everyone who may see it reads it."""

    allowed_roles = INSPECTION_ROLES
    FORMS = {"schedule": ScheduleForm, "checklist": ChecklistForm, "file": FileForm, "finding": FindingForm,
             "complete": ReportForm}

    def _forms(self, inspection: Inspection, bound: str = "", request: HttpRequest | None = None) -> dict[str, Any]:
        items = inspection.checklist.all()
        kwargs: dict[str, dict[str, Any]] = {"schedule": {"plans": _plans(inspection)}, "checklist": {"items": list(items)},
                                             "file": {"items": items}, "finding": {"items": items}, "complete": {}}
        initial = {"schedule": {"scheduled_on": inspection.scheduled_on}}
        forms = {}
        for name, form_class in self.FORMS.items():
            data = (request.POST, request.FILES) if request is not None and name == bound else ()
            forms[f"{name}_form"] = form_class(*data, initial=initial.get(name), **kwargs[name])
        return forms

    def _render(self, request: HttpRequest, inspection: Inspection, forms: dict[str, Any],
                status: int = 200) -> HttpResponse:
        acting = inspection.state == InspectionState.SCHEDULED and is_inspector(self.user, inspection)
        sees_inspectors = not self.access.has(Role.INSTITUTION_MEMBER) or self.access.has(
            Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, *INSPECTOR_ROLES)
        return render(request, "supervision/inspections/inspection_detail.html", {
            "province": self.province, "inspection": inspection, "acting": acting,
            "sees_inspectors": sees_inspectors,
            "assignments": inspection.assignments.select_related("inspector", "pick"),
            "checklist": inspection.checklist.prefetch_related("files"),
            "files": inspection.files.filter(item__isnull=True),
            "findings": inspection.findings.select_related("order", "item"), **forms}, status=status)

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        inspection = access_inspection(self.access, pk)
        return self._render(request, inspection, self._forms(inspection))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        inspection = access_inspection(self.access, pk)
        action = request.POST.get("action", "")
        if action not in self.FORMS:
            return redirect("supervision:inspection_detail", province=province, pk=pk)
        forms = self._forms(inspection, action, request)
        form = forms[f"{action}_form"]
        if form.is_valid():
            try:
                message = self._act(inspection, action, form)
            except DomainError as exc:
                show_error(form, exc)
            else:
                if action == "file":  # beside the upload box, where the eye is (a refusal stays beside its field)
                    feedback.row_message(request, "inspection-upload", message)
                    return feedback.to_row(request.path, "inspection-upload")
                messages.success(request, message)
                return redirect("supervision:inspection_detail", province=province, pk=pk)
        return self._render(request, inspection, forms, status=400)

    def _act(self, inspection: Inspection, action: str, form: Any) -> str:
        data, user = form.cleaned_data, self.user
        if action == "schedule":
            services.schedule_inspection(inspection, acting_user=user, schedule=services.Schedule(**data))
            return gettext("检查日期和范围已保存。")
        if action == "checklist":
            services.record_checklist(inspection, acting_user=user, results=form.results())
            return gettext("检查记录已保存。")
        if action == "file":
            services.attach_inspection_file(inspection, acting_user=user, upload=data["file"], item=data["item"])
            return feedback.uploaded(data["file"].name, data["file"].size)
        if action == "finding":
            services.record_finding(inspection, acting_user=user, **data)
            return gettext("问题已记录，并已向机构下达整改通知。")
        services.complete_inspection(inspection, acting_user=user, report=data["report"])
        return gettext("检查已完成。")


class InspectionFileView(ProvinceView):
    """A file of an inspection, for those who may see the inspection; the read is audited."""

    allowed_roles = INSPECTION_ROLES

    def get(self, request: HttpRequest, province: str, pk: int, file_pk: int) -> FileResponse:
        inspection = access_inspection(self.access, pk)
        record = get_object_or_404(InspectionFile, inspection=inspection, pk=file_pk)
        audit_personal_data_read(self.user, inspection, what=gettext("检查文件"), province=self.province,
                                 action="inspection_file_downloaded")
        return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.name,
                            content_type=record.content_type)
