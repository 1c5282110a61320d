"""Inspection campaigns for officers: the list with its Excel export, a new campaign, one campaign (publishing the
commitment, typing in the public numbers to draw, replacing an inspector, closing), and inspectors' conflicts."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import City, Institution, Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access_inspections import INSPECTOR_ROLES, access_campaign, scope_campaigns
from ..forms_inspections import CampaignFilterForm, CampaignForm, ConflictForm, ReplaceForm, SourcesForm
from ..models import Campaign, InspectorAssignment, InspectorConflict
from ._forms import show_error

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
CAMPAIGN_ROLES = (*OFFICERS, *INSPECTOR_ROLES)


class CampaignListView(ExportableListView):
    """双随机抽查任务: the campaigns the caller may see, by state, with the Excel export."""

    allowed_roles = CAMPAIGN_ROLES
    template_name = "supervision/inspections/campaign_list.html"
    export_name = "supervision_campaigns"
    export_title = "双随机抽查任务"
    filter_form_class = CampaignFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_campaigns(access).select_related("city").order_by("-created_at", "-id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(state=data["state"]) if data.get("state") else qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("任务名称"), lambda c: c.title),
            Column(gettext("抽查范围（地市）"), lambda c: c.city.name if c.city else gettext("全省")),
            Column(gettext("抽取机构数"), lambda c: c.organizations_to_draw),
            Column(gettext("公开随机数来源"), lambda c: c.random_source),
            Column(gettext("状态"), lambda c: c.get_state_display()),
            Column(gettext("抽取时间"), lambda c: c.drawn_at),
            Column(gettext("检查截止日期"), lambda c: c.inspect_until),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.access.has(*OFFICERS)
        context["can_declare_conflicts"] = self.access.has(*INSPECTOR_ROLES)
        return context


def _cities(access: ProvinceAccess) -> QuerySet[City]:
    cities = City.objects.filter(province=access.province)
    return cities if access.has(Role.PROVINCIAL_OFFICER) else cities.filter(pk__in=access.city_ids())


class CampaignCreateView(ProvinceView):
    allowed_roles = OFFICERS

    def _render(self, request: HttpRequest, form: CampaignForm) -> HttpResponse:
        return render(request, "supervision/inspections/campaign_form.html", {"province": self.province, "form": form})

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        return self._render(request, CampaignForm(cities=_cities(self.access)))

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        form = CampaignForm(request.POST, cities=_cities(self.access))
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                campaign = services.create_campaign(self.province, acting_user=self.user, **data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("抽查任务已创建，请核对抽取范围后公示抽取方案。"))
                return redirect("supervision:campaign_detail", province=province, pk=campaign.pk)
        return self._render(request, form)


class CampaignDetailView(ProvinceView):
    """One campaign: its commitment, the draw and its inspections; the officer's actions by state."""

    allowed_roles = CAMPAIGN_ROLES

    def _render(self, request: HttpRequest, campaign: Campaign, **forms: Any) -> HttpResponse:
        is_officer = self.access.has(*OFFICERS)
        inspections = campaign.inspections.select_related("institution").prefetch_related("assignments")
        return render(request, "supervision/inspections/campaign_detail.html", {
            "province": self.province, "campaign": campaign, "is_officer": is_officer,
            "sources_form": forms.get("sources_form") or SourcesForm(),
            "replace_error": forms.get("replace_error"), "inspections": inspections,
            "picks": selectors.campaign_picks(campaign), "outcomes": selectors.campaign_outcomes(campaign),
            "error": forms.get("error")})

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_campaign(self.access, pk))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        campaign = access_campaign(self.access, pk)
        action = request.POST.get("action", "")
        sources_form = SourcesForm(request.POST if action == "draw" else None)
        try:
            if action == "commit":
                services.publish_commitment(campaign, acting_user=self.user)
                messages.success(request, gettext("抽取方案已公示。开奖后请录入公开随机数进行抽取。"))
            elif action == "draw":
                if not sources_form.is_valid():
                    return self._render(request, campaign, sources_form=sources_form)
                services.draw_campaign(campaign, acting_user=self.user,
                                       sources=services.parse_sources(sources_form.cleaned_data["sources"]))
                messages.success(request, gettext("已按公开随机数完成抽取，结果已在公开页面公布。"))
            elif action == "replace":
                return self._replace(request, campaign)
            elif action == "close":
                services.close_campaign(campaign, acting_user=self.user)
                messages.success(request, gettext("抽查任务已结束，检查结果已公开。"))
        except DomainError as exc:
            if action == "draw":
                show_error(sources_form, exc)
                return self._render(request, campaign, sources_form=sources_form)
            return self._render(request, campaign, error=exc.message)
        return redirect("supervision:campaign_detail", province=province, pk=pk)

    def _replace(self, request: HttpRequest, campaign: Campaign) -> HttpResponse:
        form = ReplaceForm(request.POST)
        if not form.is_valid():
            return self._render(request, campaign, error=gettext("请说明替换原因。"))
        assignment = InspectorAssignment.objects.filter(inspection__campaign=campaign,
                                                        pk=form.cleaned_data["assignment"]).first()
        if assignment is None:
            return self._render(request, campaign, error=gettext("该检查人员不在本任务中。"))
        new = services.replace_inspector(assignment, acting_user=self.user, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("已按同一序列的下一个抽取结果替换：%(code)s") % {"code": new.code}
                         if new else gettext("已替换，但没有可递补的检查人员。"))
        return redirect("supervision:campaign_detail", province=campaign.province.slug, pk=campaign.pk)


class ConflictView(ProvinceView):
    """利益冲突申报: an inspector lists the organizations they must never be drawn for."""

    allowed_roles = INSPECTOR_ROLES

    def _render(self, request: HttpRequest, form: ConflictForm) -> HttpResponse:
        conflicts = InspectorConflict.objects.filter(province=self.province, inspector=self.user).select_related(
            "institution")
        return render(request, "supervision/inspections/conflicts.html",
                      {"province": self.province, "form": form, "conflicts": conflicts})

    def _institutions(self) -> QuerySet[Institution]:
        return Institution.objects.in_province(self.province).order_by("name")

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        return self._render(request, ConflictForm(institutions=self._institutions()))

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        form = ConflictForm(request.POST, institutions=self._institutions())
        if form.is_valid():
            try:
                services.declare_conflict(self.province, acting_user=self.user, **form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("利益冲突已申报，今后公示的抽取方案中您将回避该机构。"))
                return redirect("supervision:conflicts", province=province)
        return self._render(request, form)

