"""Rankings for officers: the list and building a draft, one ranking with its funnel bands and publication, the
rows' Excel export, and the versioned risk formula."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access import access_ranking, scope_rankings
from ..forms import BuildRankingForm, FormulaForm, RankingRowFilterForm
from ..models import RankingRow, RiskFormula
from ._forms import show_error

RANKING_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.QUALITY_SUPERVISOR)


class RankingListView(ProvinceView):
    """机构排名: the province's rankings, and (provincial officers) building a new one from the indicators."""

    allowed_roles = RANKING_ROLES

    def _render(self, request: HttpRequest, form: BuildRankingForm) -> HttpResponse:
        rankings = scope_rankings(self.access).select_related("formula").order_by("-period_start", "group", "-id")
        return render(request, "supervision/ranking_list.html", {
            "province": self.province, "access": self.access,
            "rankings": rankings[:100], "form": form, "can_build": self.access.has(Role.PROVINCIAL_OFFICER),
            "formula": services.current_formula(self.province)})

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        return self._render(request, BuildRankingForm())

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        form = BuildRankingForm(request.POST)
        if form.is_valid():
            try:
                ranking = services.build_ranking(self.province, acting_user=self.user, **form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("已生成排名草稿，请核对后公示。"))
                return redirect("supervision:ranking_detail", province=province, pk=ranking.pk)
        return self._render(request, form)


class RankingDetailView(ProvinceView):
    """One ranking: each organization's pass rate against its own limits, the too-few list, publication."""

    allowed_roles = RANKING_ROLES

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        ranking = access_ranking(self.access, pk)
        ranked, too_few = selectors.ranking_rows(ranking)
        return render(request, "supervision/ranking_detail.html", {
            "province": self.province, "access": self.access,
            "ranking": ranking, "ranked": ranked, "too_few": too_few,
            "can_publish": self.access.has(Role.PROVINCIAL_OFFICER) and ranking.state == "draft"})

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        ranking = access_ranking(self.access, pk)
        try:
            services.publish_ranking(ranking, acting_user=self.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, gettext("排名已公示，公众可在公示期内提出异议。"))
        return redirect("supervision:ranking_detail", province=province, pk=pk)


def _band_columns() -> list[Column]:
    return [
        Column(gettext("评价机构"), lambda r: r.institution.name),
        Column(gettext("职业分组"), lambda r: r.ranking.group),
        Column(gettext("期间"), lambda r: r.ranking.period),
        Column(gettext("参评人数"), lambda r: r.sat),
        Column(gettext("合格人数"), lambda r: r.passed),
        Column(gettext("全省合格率"), lambda r: r.ranking.pass_rate_norm),
        Column(gettext("合格率区间"), lambda r: r.get_pass_band_display()),
        Column(gettext("投诉件数"), lambda r: r.complaints),
        Column(gettext("投诉率区间"), lambda r: r.get_complaint_band_display()),
        Column(gettext("风险评分"), lambda r: r.risk_score),
        Column(gettext("评分公式版本"), lambda r: r.ranking.formula.version),
    ]


class RankingRowListView(ExportableListView):
    """The rows of one ranking (?ranking=<id>), as a page and as an Excel file."""

    allowed_roles = RANKING_ROLES
    template_name = "supervision/ranking_rows.html"
    export_name = "supervision_ranking"
    export_title = "机构排名"
    filter_form_class = RankingRowFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return (RankingRow.objects.filter(ranking__in=scope_rankings(access))
                .select_related("institution", "ranking__formula").order_by("-ranking_id", "-risk_score", "id"))

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(ranking_id=data["ranking"]) if data.get("ranking") else qs

    @classmethod
    def columns(cls) -> list[Column]:
        return _band_columns()


class FormulaView(ProvinceView):
    """风险评分公式: the current weights with their meaning, the versions, and a new version (provincial officers)."""

    allowed_roles = RANKING_ROLES

    def _render(self, request: HttpRequest, form: FormulaForm) -> HttpResponse:
        return render(request, "supervision/ranking_formula.html", {
            "province": self.province, "access": self.access,
            "form": form, "formula": services.current_formula(self.province),
            "versions": RiskFormula.objects.filter(province=self.province).order_by("-version")[:20],
            "can_edit": self.access.has(Role.PROVINCIAL_OFFICER), "signals": services.SIGNALS})

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        weights = services.current_formula(self.province).weights
        return self._render(request, FormulaForm(weights=weights))

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        form = FormulaForm(request.POST, weights=services.current_formula(self.province).weights)
        if form.is_valid():
            try:
                formula = services.save_formula(self.province, acting_user=self.user, weights=form.weights(),
                                                note=form.cleaned_data["note"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("已保存为第%(v)d版。") % {"v": formula.version})
                return redirect("supervision:risk_formula", province=province)
        return self._render(request, form)
