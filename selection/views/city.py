"""Pages for the city officer: the city's ranking, its recommendations, sending and downloading its summary table."""

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
from filings.models import Call
from portal.exports import XLSX
from portal.models import City
from portal.roles import OFFICERS, ProvinceView
from portal.text import plain

from .. import selectors, services
from ..access import access_table_application, city_for
from ..forms import RecommendationForm
from ..models import TableRow
from ._common import act, category_labels


def _recommendation_form(application_pk: int, decision: TableRow | None) -> RecommendationForm:
    recommended = None
    if decision is not None and decision.recommended is not None:
        recommended = "1" if decision.recommended else "0"
    return RecommendationForm(prefix=f"app{application_pk}", initial={
        "application": application_pk, "recommended": recommended, "reason": decision.reason if decision else ""})


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
            rows=[(r, decisions.get(r.application.pk), _recommendation_form(r.application.pk,
                                                                            decisions.get(r.application.pk)))
                  for r in overall],
            can_edit=(city.pk in self.access.city_ids()) and not (table and table.is_sent),
            deadline_passed=timezone.now() > call.city_review_deadline,
            recommend_min=pack.settings.city_recommend_min, recommend_max=pack.settings.city_recommend_max,
            recommended_count=sum(1 for r in decisions.values() if r.recommended),
            category_labels=category_labels(self.province),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        back = reverse("selection:city_table", kwargs={"province": self.province.slug, "call_pk": call.pk,
                                                        "city": city.code})
        user = self.user
        if request.POST.get("action") == "send":
            return act(request, lambda: services.send_summary_table(call, city, acting_user=user),
                       _("汇总表已报送省职业技能服务指导中心。"), back)
        prefix = plain(request.POST.get("prefix", ""))
        form = RecommendationForm(request.POST, prefix=prefix)
        if not prefix.startswith("app") or not form.is_valid():
            messages.error(request, _("请选择推荐意见。"))
            return redirect(back)
        application = access_table_application(call, city, form.cleaned_data["application"])
        recommended = form.cleaned_data["recommended"]
        return act(request, lambda: services.decide_recommendation(
            application, acting_user=user, recommended=recommended, reason=form.cleaned_data["reason"]),
            (_("已推荐：%(n)s") if recommended else _("不予推荐：%(n)s")) % {"n": application.institution.name},
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
