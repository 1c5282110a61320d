"""The city's and the province's review of a plan's results."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.text import plain

from .. import selectors, services
from ..forms.exams import ReasonForm
from ._common import OFFICERS, P, _act, _PlanView


class ReviewView(_PlanView, TemplateView):
    """The city's and then the province's review of a plan's results: approve, or return with reasons."""

    allowed_roles = OFFICERS
    template_name = "certificates/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        level = "province" if self.access.is_provincial_officer else "city"
        can_decide = (plan.state == P.CITY_REVIEW) or (plan.state == P.PROVINCE_REVIEW and level == "province")
        context.update(
            plan=plan, summary=selectors.results_summary(plan), candidates=plan.candidates.order_by("line")[:1000],
            objections=selectors.plan_objections(plan), notice=plan.publicity_notice,
            corrections=[c for c in plan.candidates.prefetch_related("corrections__corrected_by")
                         if c.corrections.all()],
            can_decide=can_decide, reason_form=ReasonForm(), history=selectors.history(plan)[:50],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        reason = plain(request.POST.get("reason", ""))
        target = reverse("exams:review", kwargs={"province": plan.province.slug, "pk": plan.pk})
        if request.POST.get("decision") == "return":
            return _act(request, lambda: services.return_results(plan, acting_user=self.user, reason=reason),
                        _("已退回机构修改。"), target)
        return _act(request, lambda: services.approve_results(plan, acting_user=self.user, note=reason),
                    _("审核通过。"), target)
