"""Fraud flags for officers and quality supervisors: the list with its Excel export, one flag with its evidence, and
dismissing it with a reason."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from certificates.models import Candidate
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import services
from ..access import access_flag, scope_flags
from ..forms import DismissFlagForm, FlagFilterForm
from ..models import FlagState, FraudFlag
from ._forms import show_error

FLAG_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.QUALITY_SUPERVISOR)


class FlagListView(ExportableListView):
    """真实性疑点: every flag the caller may see, by state, kind or "mine", with the Excel export."""

    allowed_roles = FLAG_ROLES
    template_name = "supervision/flags_list.html"
    export_name = "supervision_flags"
    export_title = "真实性疑点"
    filter_form_class = FlagFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_flags(access).select_related("institution", "assigned_to").order_by("-found_at", "-id")

    @classmethod
    def filtered_queryset(cls, access: ProvinceAccess, params: dict[str, Any]) -> QuerySet[Any]:
        qs = super().filtered_queryset(access, params)
        return qs.filter(assigned_to=access.user) if params.get("mine") else qs

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("发现时间"), lambda f: f.found_at),
            Column(gettext("疑点类型"), lambda f: f.get_kind_display()),
            Column(gettext("评价机构"), lambda f: f.institution.name if f.institution else ""),
            Column(gettext("摘要"), lambda f: f.summary),
            Column(gettext("状态"), lambda f: f.get_state_display()),
            Column(gettext("督导员"), lambda f: f.assigned_to.get_full_name() if f.assigned_to else ""),
            Column(gettext("排除理由"), lambda f: f.dismissed_reason),
        ]


def _evidence(flag: FraudFlag) -> list[dict[str, Any]]:
    """The flag's evidence lines, candidates completed with their scores and phone's last digits."""
    ids = [e["id"] for e in flag.evidence if e.get("type") == "candidate"]
    candidates = {c.pk: c for c in Candidate.objects.filter(pk__in=ids).select_related("plan")}
    lines = []
    for entry in flag.evidence:
        line = dict(entry)
        if (c := candidates.get(entry.get("id"))) and entry.get("type") == "candidate":
            line["scores"] = f"{c.theory_label} / {c.practical_label} / {c.review_label}"
            line["plan_title"] = c.plan.title
            line["phone_tail"] = c.phone[-4:]
        lines.append(line)
    return lines


class FlagDetailView(ProvinceView):
    """One flag: what was found, the evidence with links, and the dismissal form while it is open."""

    allowed_roles = FLAG_ROLES

    def _render(self, request: HttpRequest, flag: FraudFlag, form: DismissFlagForm) -> HttpResponse:
        can_dismiss = flag.state == FlagState.OPEN and self.access.has(Role.QUALITY_SUPERVISOR,
                                                                       Role.PROVINCIAL_OFFICER)
        return render(request, "supervision/flags_detail.html", {
            "province": self.province, "access": self.access,
            "flag": flag, "evidence": _evidence(flag), "form": form, "can_dismiss": can_dismiss,
            "sees_plans": self.access.has(Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)})

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_flag(self.access, pk), DismissFlagForm())

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        flag = access_flag(self.access, pk)
        form = DismissFlagForm(request.POST)
        if form.is_valid():
            try:
                services.dismiss_flag(flag, acting_user=self.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("疑点已排除，理由已记录。"))
                return redirect("supervision:flag_detail", province=province, pk=pk)
        return self._render(request, flag, form)
