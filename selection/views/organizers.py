"""Pages for the organizers of scoring (provincial and city officers): the calls, panels, assignment, draws, reopening."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings.access import access_call
from filings.models import Call
from portal.errors import DomainError
from portal.roles import OFFICERS, ProvinceView

from .. import selectors, services
from ..access import access_officer_sheet, access_panel
from ..forms import AssignForm, DrawForm, PanelForm, ReasonForm
from ..models import Panel, ScoreSheet
from ._common import ObjectAction, act


class IndexView(ProvinceView, TemplateView):
    """The calls and, for each, where its selection stands at the caller's level."""

    allowed_roles = OFFICERS
    template_name = "selection/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(rows=selectors.calls_overview(self.access), cities=selectors.bound_cities(self.access),
                       panel_form=PanelForm(cities=selectors.panel_cities(self.access)))
        return context


class PanelFormView(ObjectAction):
    allowed_roles = OFFICERS

    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        form = PanelForm(request.POST, cities=selectors.province_cities(self.province))
        back = reverse("selection:index", kwargs={"province": self.province.slug})
        if not form.is_valid():
            messages.error(request, _("请选择评审层级和地市。"))
            return redirect(back)
        try:
            panel = services.form_panel(call, acting_user=self.user, level=form.cleaned_data["level"],
                                        city=form.cleaned_data["city"])
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, _("评审专家组已组建：%(p)s") % {"p": panel})
        return redirect("selection:panel_detail", province=self.province.slug, pk=panel.pk)


class PanelDetailView(ProvinceView, TemplateView):
    """A panel's applications with their sheets (n of m submitted), assignment by hand, draws and their records."""

    allowed_roles = OFFICERS
    template_name = "selection/panel_detail.html"

    def panel(self) -> Panel:
        return access_panel(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        panel = kwargs.get("panel") or self.panel()
        applications = selectors.panel_worklist(panel)
        aggs = selectors.aggregates(panel, [a.pk for a in applications])
        assignable = selectors.assignable_applications(panel)
        context.update(
            panel=panel, rows=[(a, aggs[a.pk]) for a in applications],
            assign_form=kwargs.get("assign_form") or AssignForm(
                applications=assignable, experts=selectors.active_experts(self.province)),
            draw_form=kwargs.get("draw_form") or DrawForm(applications=assignable),
            draws=selectors.recent_draws(panel),
            expert_names=selectors.expert_names(self.province),
            reason_form=ReasonForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        panel = self.panel()
        action = request.POST.get("action")
        if action == "assign":
            return self.assign(request, panel)
        if action == "draw":
            return self.draw(request, panel)
        messages.error(request, _("未知的操作。"))
        return redirect(self.back(panel))

    def back(self, panel: Panel) -> str:
        return reverse("selection:panel_detail", kwargs={"province": self.province.slug, "pk": panel.pk})

    def assign(self, request: HttpRequest, panel: Panel) -> HttpResponse:
        """Assign by hand: the form offers only the applications the panel scores (the caller's city's)."""
        form = AssignForm(request.POST, applications=selectors.assignable_applications(panel),
                          experts=selectors.active_experts(self.province))
        if form.is_valid():
            user = self.user
            return act(request, lambda: services.assign_expert(
                panel, form.cleaned_data["application"], form.cleaned_data["expert"], acting_user=user),
                _("已分配专家。"), self.back(panel))
        return self.render_to_response(self.get_context_data(panel=panel, assign_form=form))

    def draw(self, request: HttpRequest, panel: Panel) -> HttpResponse:
        form = DrawForm(request.POST, applications=selectors.assignable_applications(panel))
        if form.is_valid():
            d = form.cleaned_data
            try:
                draw = services.draw_experts(panel, d["application"], acting_user=self.user, count=d["count"],
                                             seed=d["seed"], match_fields=d["match_fields"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已随机抽取%(n)d名专家（随机种子%(seed)d）。") % {
                    "n": len(draw.result), "seed": draw.seed})
                return redirect(self.back(panel))
        return self.render_to_response(self.get_context_data(panel=panel, draw_form=form))


class SheetReopenView(ObjectAction):
    allowed_roles = OFFICERS

    def load(self) -> ScoreSheet:
        return access_officer_sheet(self.access, self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sheet = self.load()
        back = reverse("selection:panel_detail", kwargs={"province": self.province.slug, "pk": sheet.panel_id})
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("退回重评必须填写理由。"))
            return redirect(back)
        user = self.user
        return act(request, lambda: services.reopen_sheet(sheet, acting_user=user, reason=form.cleaned_data["reason"]),
                   _("评估表已退回专家重评。"), back)
