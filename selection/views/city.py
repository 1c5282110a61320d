"""Pages for the city officer: the city's ranking, its recommendations (or where the centre decides, its own
result and publicity), sending and downloading its summary table."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings import selectors as filing_selectors
from filings.access import access_call
from filings.models import ApplicationState, Call
from portal.exports import XLSX
from portal.models import City
from portal.roles import OFFICERS, ProvinceView
from portal.text import plain

from .. import selectors, services
from ..access import access_table_application, city_for
from ..forms import RecommendationForm
from ..models import TableRow
from ._common import act, category_labels


def _recommendation_form(application_pk: int, decision: TableRow | None, *, centre: bool) -> RecommendationForm:
    recommended = None
    if decision is not None and decision.recommended is not None:
        recommended = "1" if decision.recommended else "0"
    return RecommendationForm(prefix=f"app{application_pk}", centre=centre, initial={
        "application": application_pk, "recommended": recommended, "reason": decision.reason if decision else ""})


def _decision_message(recommended: bool, *, centre: bool) -> str:
    if centre:
        return _("已确定：%(n)s") if recommended else _("不予确定：%(n)s")
    return _("已推荐：%(n)s") if recommended else _("不予推荐：%(n)s")


class _CityTarget(ProvinceView):
    allowed_roles = OFFICERS

    def target(self) -> tuple[Call, City]:
        return access_call(self.access, self.kwargs["call_pk"]), city_for(self.access, self.kwargs["city"])


class CityTableView(_CityTarget, TemplateView):
    """The city's applications ranked per occupation, its recommendations, and sending the summary table."""

    template_name = "selection/city_table.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call, city = self.target()
        panel = selectors.city_panel(call, city)
        applications = list(selectors.with_occupations(selectors.city_applications(call, city)))
        overall, per_occupation = selectors.rankings(panel, applications)
        table = selectors.summary_table(call, city)
        decisions = selectors.table_decisions(table)
        pack = filing_selectors.pack_for(self.province)
        context.update(
            call=call, city=city, panel=panel, table=table, per_occupation=per_occupation,
            rows=[(r, decisions.get(r.application.pk), _recommendation_form(
                r.application.pk, decisions.get(r.application.pk), centre=filing_selectors.centre_decides(self.province)))
                  for r in overall],
            can_edit=(city.pk in self.access.city_ids()) and not (table and table.is_sent),
            deadline_passed=timezone.now() > call.city_review_deadline,
            recommend_min=pack.settings.city_recommend_min, recommend_max=pack.settings.city_recommend_max,
            recommended_count=sum(1 for r in decisions.values() if r.recommended),
            category_labels=category_labels(self.province),
            **self.centre_context(call, city),
        )
        return context

    def centre_context(self, call: Call, city: City) -> dict[str, Any]:
        """Where the centre decides (Shandong): the city's determined applications waiting for its publicity, its
        notices, and the words of the route."""
        centre = filing_selectors.centre_decides(self.province)
        if not centre:
            return {"centre_decides": False}
        waiting = list(selectors.city_applications(call, city).filter(state=ApplicationState.SELECTED)
                       .select_related("institution"))
        return {"centre_decides": True, "to_publish": waiting, "city_notices": selectors.city_notices(self.access, call, city),
                "can_publish": bool(waiting) and city.pk in self.access.city_ids(),
                "publicity_days": filing_selectors.pack_for(self.province).settings.publicity_working_days}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        back = reverse("selection:city_table", kwargs={"province": self.province.slug, "call_pk": call.pk,
                                                        "city": city.code})
        user = self.user
        centre = filing_selectors.centre_decides(self.province)
        if request.POST.get("action") == "send":
            return act(request, lambda: services.send_summary_table(call, city, acting_user=user),
                       _("遴选结果已确定。下一步：发布遴选结果公示。") if centre
                       else _("汇总表已报送省职业技能服务指导中心。"), back)
        if request.POST.get("action") == "publish":
            return act(request, lambda: services.publish_selection(call, acting_user=user, city=city),
                       _("遴选结果公示已发布。公示期满无异议的，赋予机构代码并出具回执。"), back + "#city-publicity")
        prefix = plain(request.POST.get("prefix", ""))
        form = RecommendationForm(request.POST, prefix=prefix, centre=centre)
        if not prefix.startswith("app") or not form.is_valid():
            messages.error(request, _("请选择推荐意见。"))
            return redirect(back)
        application = access_table_application(call, city, form.cleaned_data["application"])
        recommended = form.cleaned_data["recommended"]
        return act(request, lambda: services.decide_recommendation(
            application, acting_user=user, recommended=recommended, reason=form.cleaned_data["reason"]),
            _decision_message(recommended, centre=centre) % {"n": application.institution.name},
            back + f"#row-{application.pk}")


class CityTableExcelView(_CityTarget):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        content = services.download_summary_table(call, city, acting_user=self.user, kind="xlsx")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="summary-table-{call.pk}-{city.code}.xlsx"'
        return response


class CityTablePdfView(_CityTarget):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        content = services.download_summary_table(call, city, acting_user=self.user, kind="pdf")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="summary-table-{call.pk}-{city.code}.pdf"'
        return response
