"""Complaints for officers: the worklist with filters and its Excel export, one complaint with its clock, messages
and files, and the steps (forward to the organization, ask the complainant, decide, reassign); attachments are
downloaded through the same access check, audited as personal-data reads."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from portal.audit import audit_personal_data_read
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import City, Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access import access_complaint, scope_complaints
from ..forms_complaints import (
    ComplaintFilterForm,
    DecisionForm,
    ForwardForm,
    InformationRequestForm,
    ReassignForm,
)
from ..models import CLOCK_RUNNING, Complaint
from ._forms import show_error

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)


class ComplaintListView(ExportableListView):
    """投诉办理: the complaints the officer may see, by state, level, overdue or organization, with the export."""

    allowed_roles = OFFICERS
    template_name = "supervision/complaints/list.html"
    export_name = "supervision_complaints"
    export_title = "投诉"
    filter_form_class = ComplaintFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_complaints(access).select_related("institution", "city").order_by("-filed_at", "-id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("level"):
            qs = qs.filter(level=data["level"])
        if data.get("overdue"):
            qs = qs.filter(state__in=CLOCK_RUNNING, service_due_on__lt=timezone.localdate())
        if data.get("q"):
            qs = qs.filter(institution__name__icontains=data["q"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("受理日期"), lambda c: c.filed_on),
            Column(gettext("评价机构"), lambda c: c.institution.name),
            Column(gettext("投诉类别"), lambda c: c.category_label),
            Column(gettext("状态"), lambda c: c.get_state_display()),
            Column(gettext("承办层级"), lambda c: c.get_level_display()),
            Column(gettext("属地监管地市"), lambda c: c.city.name if c.city else ""),
            Column(gettext("承诺办结期限"), lambda c: c.service_due_on),
            Column(gettext("法定办结期限"), lambda c: c.legal_due_on),
            Column(gettext("超期"), lambda c: gettext("是") if c.overdue_at else ""),
            Column(gettext("超期三倍"), lambda c: gettext("是") if c.triple_overdue_at else ""),
            Column(gettext("已提级省级"), lambda c: gettext("是") if c.escalated_at else ""),
            Column(gettext("认定结果"), lambda c: c.get_decision_display()),
            Column(gettext("满意度"), lambda c: c.get_satisfaction_display()),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


ACTIONS: dict[str, type[forms.Form]] = {"forward": ForwardForm, "request": InformationRequestForm,
                                        "decide": DecisionForm, "reassign": ReassignForm}
DONE = {"forward": gettext_lazy("已转评价机构答复。"), "request": gettext_lazy("已请投诉人补充材料，办理时限暂停。"),
        "decide": gettext_lazy("已作出答复，投诉人可凭查询码查看。"), "reassign": gettext_lazy("已改派。")}


class ComplaintDetailView(ProvinceView):
    """One complaint: what was said, by whom (unless anonymous), the clock, the conversation and the next steps."""

    allowed_roles = OFFICERS

    def _form(self, action: str, data: Any = None) -> forms.Form:
        if action == "reassign":
            return ReassignForm(data, cities=City.objects.filter(province=self.province).order_by("code"))
        return ACTIONS[action](data)

    def _render(self, request: HttpRequest, complaint: Complaint, *, status: int = 200,
                bound: dict[str, forms.Form] | None = None) -> HttpResponse:
        handles = services.may_handle(self.user, complaint)
        action_forms = {a: (bound or {}).get(a) or self._form(a) for a in ACTIONS}
        return render(request, "supervision/complaints/detail.html", {
            "province": self.province, "access": self.access, "complaint": complaint,
            "clock": selectors.clock_of(complaint),
            "messages_list": selectors.messages_for(complaint, selectors.OFFICER),
            "attachments": selectors.attachments_for(complaint, selectors.OFFICER),
            "handles": handles, "forms": action_forms, "is_province": self.access.is_provincial_officer,
        }, status=status)

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_complaint(self.access, pk))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        complaint = access_complaint(self.access, pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, gettext("无法识别要办理的操作，请刷新页面后重新提交。"))
            return self._render(request, complaint, status=400)
        form = self._form(action, request.POST)
        if form.is_valid():
            try:
                self._act(action, complaint, form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
                messages.error(request, exc.message)  # also at the top: the action's form may be folded away
            else:
                messages.success(request, str(DONE[action]))
                return redirect("supervision:complaint_detail", province=province, pk=pk)
        return self._render(request, complaint, status=400, bound={action: form})

    def _act(self, action: str, complaint: Complaint, data: dict[str, Any]) -> None:
        if action == "forward":
            services.forward_to_organization(complaint, acting_user=self.user, note=data["note"])
        elif action == "request":
            services.request_information(complaint, acting_user=self.user, text=data["text"])
        elif action == "decide":
            services.decide_complaint(complaint, acting_user=self.user, decision=data["decision"],
                                      reason=data["reason"], open_rectification=data["open_rectification"],
                                      rectification_days=data["rectification_days"])
        else:
            services.reassign_complaint(complaint, acting_user=self.user, level=data["level"], city=data["city"],
                                        reason=data["reason"])


class ComplaintAttachmentView(ProvinceView):
    """A complaint's file, for whoever may see it (officers; the organization its own and the complaint's)."""

    allowed_roles = (*OFFICERS, Role.INSTITUTION_MEMBER)

    def get(self, request: HttpRequest, province: str, pk: int, attachment: int) -> HttpResponseBase:
        complaint = access_complaint(self.access, pk)
        audience = selectors.OFFICER if self.access.has(*OFFICERS) else selectors.ORGANIZATION
        item = get_object_or_404(selectors.attachments_for(complaint, audience).filter(~Q(file="")), pk=attachment)
        audit_personal_data_read(self.user, complaint, what=f"complaint attachment {item.pk}",
                                 province=self.province, action="complaint_attachment_downloaded")
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name,
                            content_type=item.content_type)
