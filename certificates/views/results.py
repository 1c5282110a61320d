"""Result pages: the results of a plan, entering one candidate's scores, publishing, answering objections."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.errors import DomainError
from portal.roles import ProvinceView

from .. import imports, rules, selectors, services
from ..access import access_candidate, access_own_plan, access_result_objection
from ..errors import Codes
from ..forms.exams import ObjectionAnswerForm, ResultEntryForm, ResultsUploadForm
from ..models import Candidate, ExamPlan
from ._common import (
    EVERYONE,
    MAX_ERRORS_SHOWN,
    ORGANIZATION,
    P,
    WithExtras,
    _act,
    _form_errors,
    _PlanActionView,
    _PlanView,
)


def _entry_form(candidate: Candidate) -> ResultEntryForm:
    return ResultEntryForm(prefix=f"c{candidate.pk}", initial={
        "theory": candidate.theory_label, "practical": candidate.practical_label,
        "review": candidate.review_label if candidate.needs_review else ""})


class ResultsView(_PlanView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "certificates/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        is_member = plan.institution_id in self.access.institution_ids()
        can_enter = is_member and plan.state in (P.RESULTS_ENTRY, P.RESULTS_RETURNED)
        candidates = [WithExtras(c, entry_form=_entry_form(c) if can_enter else None)
                      for c in plan.candidates.order_by("line")[:1000]]
        objections = [WithExtras(o, answer_form=ObjectionAnswerForm(prefix=f"o{o.pk}"))
                      for o in selectors.plan_objections(plan)]
        context.update(
            plan=plan, is_member=is_member, can_enter=can_enter, candidates=candidates,
            summary=selectors.results_summary(plan), form=kwargs.get("form") or ResultsUploadForm(),
            row_errors=kwargs.get("row_errors", []), error_count=kwargs.get("error_count", 0),
            correcting=plan.state == P.RESULTS_RETURNED,
            can_publish=is_member and plan.state == P.RESULTS_ENTRY,
            can_resubmit=is_member and plan.state == P.RESULTS_RETURNED,
            objections=objections, notice=plan.publicity_notice,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        form = ResultsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            count = services.import_results(plan, acting_user=self.user, content=upload.read(),
                                            filename=upload.name or "", reason=form.cleaned_data["reason"])
        except services.RowsRejected as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(
                form=form, row_errors=exc.errors[:MAX_ERRORS_SHOWN], error_count=len(exc.errors)), status=400)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已导入%(n)d名考生的成绩。") % {"n": count})
        return redirect(reverse("exams:results", kwargs={"province": plan.province.slug, "pk": plan.pk}))


def _score(text: str) -> tuple[Decimal | None, bool]:
    score, absent, problem = imports.parse_score(text)
    if problem:
        raise DomainError(problem, code=Codes.RESULTS_INVALID)
    return score, absent


class ResultEntryView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        candidate = access_candidate(self.access, plan, kwargs["candidate_pk"])
        form = ResultEntryForm(request.POST, prefix=f"c{candidate.pk}")
        target = reverse("exams:results", kwargs={"province": plan.province.slug, "pk": plan.pk})
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(target)
        d = form.cleaned_data

        def act() -> Any:
            theory, practical, review = _score(d["theory"]), _score(d["practical"]), _score(d["review"])
            return services.enter_result(candidate, acting_user=self.user, reason=d["reason"],
                                         scores=rules.Scores(candidate.level, *theory, *practical, *review))

        return _act(request, act, _("已保存%(name)s的成绩。") % {"name": candidate.name}, target + f"#c{candidate.pk}")


class PublishResultsView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("已发布结果公示。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.publish_results(plan, acting_user=self.user)

    def target(self, plan: ExamPlan) -> str:
        return reverse("exams:results", kwargs={"province": plan.province.slug, "pk": plan.pk})


class ResubmitResultsView(PublishResultsView):
    success = _("已重新提交。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.resubmit_results(plan, acting_user=self.user)


class ObjectionAnswerView(ProvinceView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objection = access_result_objection(self.access, kwargs["pk"])
        plan = ExamPlan.objects.get(publicity_notice_id=objection.notice_id)
        target = reverse("exams:results", kwargs={"province": plan.province.slug, "pk": plan.pk})
        form = ObjectionAnswerForm(request.POST, prefix=f"o{objection.pk}")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(target)
        return _act(request, lambda: services.answer_objection(
            objection, acting_user=self.user, upheld=form.cleaned_data["upheld"],
            resolution=form.cleaned_data["resolution"]), _("已答复异议。"), target + "#objections")
