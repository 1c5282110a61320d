"""The indicator table of the province (officers; an organization sees its own rows), its Excel export, and the
provincial officer's "refresh now"."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_lazy as _

from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access import scope_indicator_cells
from ..models import IndicatorCell, PeriodKind

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
EVERYONE = (*OFFICERS, Role.INSTITUTION_MEMBER)


class IndicatorFilterForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("统计周期"), choices=[("", _("全部")), *PeriodKind.choices], required=False)
    period = forms.CharField(label=_("期间"), max_length=7, required=False, help_text=_("如 2026 或 2026Q1"))
    q = forms.CharField(label=_("机构或职业"), max_length=100, required=False)


def _value(key: str, part: str = "display") -> Any:
    def read(cell: IndicatorCell) -> Any:
        value = next(v for v in selectors.cell_values(cell) if v.key == key)
        if part == "interval":
            return value.rate.interval if value.rate else ""
        if part == "denominator":
            return value.denominator
        return value.display

    return read


def _columns() -> list[Column]:
    columns = [
        Column(gettext("评价机构"), lambda c: c.institution.name),
        Column(gettext("职业编码"), lambda c: c.occupation.code),
        Column(gettext("职业"), lambda c: c.occupation.name),
        Column(gettext("统计周期"), lambda c: c.get_period_kind_display()),
        Column(gettext("期间"), lambda c: c.period),
    ]
    for definition in selectors.DEFINITIONS:
        columns.append(Column(str(definition.label), _value(definition.key)))
        if definition.kind == "rate":
            columns.append(Column(gettext("%(label)s 95%%置信区间") % {"label": definition.label},
                                  _value(definition.key, "interval")))
        if definition.kind in ("rate", "mean", "band", "per_thousand"):
            columns.append(Column(gettext("%(label)s 分母") % {"label": definition.label},
                                  _value(definition.key, "denominator")))
    columns.append(Column(gettext("计算时间"), lambda c: c.computed_at))
    return columns


class IndicatorListView(ExportableListView):
    """机构指标表: every stored cell the caller may see, filtered by period, with the Excel export."""

    allowed_roles = EVERYONE
    template_name = "supervision/indicators_list.html"
    export_name = "supervision_indicators"
    export_title = "机构监督指标"
    filter_form_class = IndicatorFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_indicator_cells(access).select_related("institution", "occupation").order_by(
            "-period_start", "period_kind", "institution__name", "occupation__code")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("period_kind"):
            qs = qs.filter(period_kind=data["period_kind"])
        if data.get("period"):
            qs = qs.filter(period=data["period"].strip().upper())
        if term := (data.get("q") or "").strip():
            qs = qs.filter(Q(institution__name__icontains=term) | Q(occupation__name__icontains=term)
                           | Q(occupation__code=term))
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return _columns()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [(cell, {v.key: v for v in selectors.cell_values(cell)}) for cell in context["object_list"]]
        context["last_run"] = selectors.last_run()
        return context


class RefreshIndicatorsView(ProvinceView):
    """立即刷新: the sweep now (after commit) rather than at the next beat."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        try:
            services.request_indicator_refresh(self.province, acting_user=self.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("已安排刷新指标；只重算自上次刷新以来有变化的机构、职业和期间。"))
        return redirect("supervision:indicator_list", province=province)


class FunnelChartView(ProvinceView):
    """GET: the funnel plot's points and limits for the officer's dashboard (its province or its cities), as JSON.

    The dashboard draws the plot from here rather than from data inlined in the home page; the address carries the
    plot's version, so the browser may keep the answer until the sweep runs again."""

    allowed_roles = OFFICERS

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        from filings.selectors import pack_for

        chart = selectors.funnel_chart(self.access, pack_for(self.access.province).settings.ranking_min_n)
        # before the first sweep there is nothing to plot (the dashboard then shows no plot and does not ask)
        response = JsonResponse(chart or {"p0": None, "points": [], "limits": []})
        patch_cache_control(response, private=True, max_age=86400)
        return response
