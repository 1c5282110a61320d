"""Pages for the provincial officer: the expert pool, the call's rubric, the ranking, selection, approval and publicity."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings import selectors as filing_selectors
from filings.access import access_call
from filings.models import ApplicationState, Call
from portal.errors import DomainError
from portal.punctuation import clauses
from portal.roles import ProvinceView
from portal.text import plain

from .. import selectors, services
from ..access import access_approval, access_call_application, access_expert
from ..forms import ApprovalForm, ExpertForm, RoundOptionsForm, RubricForm, SelectionHelperForm
from ..models import SelectionRound, plain_number
from ._common import PROVINCIAL, ObjectAction, act, category_labels

S = ApplicationState


def _expert_data(form: ExpertForm) -> services.ExpertData:
    d = form.cleaned_data
    return services.ExpertData(name=d["name"], employer=d["employer"], employer_credit_code=d["employer_credit_code"],
                               city=d["city"], fields=form.field_codes(), contact=d["contact"],
                               is_active=d["is_active"], user=d["username"])


class ExpertListView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "selection/expert_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["experts"] = selectors.expert_pool(self.access)
        context["form"] = kwargs.get("form") or ExpertForm(province=self.province)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ExpertForm(request.POST, province=self.province)
        if form.is_valid():
            try:
                services.add_expert(self.province, acting_user=self.user, data=_expert_data(form))
            except DomainError as exc:
                form.add_error("employer_credit_code" if exc.code.startswith("uscc") else None, str(exc))
            else:
                messages.success(request, _("已加入专家库。"))
                return redirect("selection:expert_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ExpertEditView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "selection/expert_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        expert = access_expert(self.access, self.kwargs["pk"])
        context["expert"] = expert
        context["form"] = kwargs.get("form") or ExpertForm(initial=ExpertForm.initial_for(expert),
                                                           province=self.province)
        context["conflicts"] = selectors.expert_conflicts(expert)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        expert = access_expert(self.access, kwargs["pk"])
        form = ExpertForm(request.POST, province=self.province)
        if form.is_valid():
            try:
                services.update_expert(expert, acting_user=self.user, data=_expert_data(form))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("专家信息已保存。"))
                return redirect("selection:expert_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


class RubricView(ProvinceView, TemplateView):
    """The call's scoring sheet per category, copied from the pack when first opened; editable until the first
    sheet is submitted."""

    allowed_roles = PROVINCIAL
    template_name = "selection/rubric.html"

    def round(self) -> SelectionRound:
        call = access_call(self.access, self.kwargs["call_pk"])
        return services.ensure_round(call, acting_user=self.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round_ = kwargs.get("round") or self.round()
        criteria = selectors.round_criteria(round_)
        forms_by_category = kwargs.get("forms") or {}
        sections = []
        for category, label in category_labels(self.province).items():
            rows = [c for c in criteria if c.category == category]
            form = forms_by_category.get(category) or RubricForm(criteria=rows, prefix=category)
            sections.append({"category": category, "label": label, "form": form,
                             "total": plain_number(sum((c.max_score for c in rows), Decimal(0)))})
        context.update(round=round_, call=round_.call, sections=sections, locked=round_.rubric_locked_at is not None,
                       options_form=RoundOptionsForm(initial={"drop_extremes": round_.drop_extremes}),
                       min_sheets=filing_selectors.pack_for(self.province).settings.drop_extremes_min_sheets)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        round_ = self.round()
        category = plain(request.POST.get("category", ""))
        rows = selectors.round_criteria(round_, category)
        form = RubricForm(request.POST, criteria=rows, prefix=category)
        options = RoundOptionsForm(request.POST)
        if rows and form.is_valid() and options.is_valid():
            changes = [services.CriterionChange(c.pk, form.cleaned_data[f"label_{c.pk}"],
                                                form.cleaned_data[f"max_{c.pk}"],
                                                form.cleaned_data[f"description_{c.pk}"]) for c in rows]
            try:
                services.update_rubric(round_, acting_user=self.user, category=category, changes=changes,
                                       drop_extremes=options.cleaned_data["drop_extremes"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("评估指标已保存。"))
                return redirect("selection:rubric", province=self.province.slug, call_pk=round_.call_id)
        return self.render_to_response(self.get_context_data(round=round_, forms={category: form}))


def _ticked(helper: SelectionHelperForm, overall: list[selectors.RankedRow],
            per_occupation: list[selectors.OccupationRanking]) -> set[int]:
    """The applications the helper pre-ticks: the top n of each occupation, and those scoring at least the minimum."""
    ticked: set[int] = set()
    if not helper.is_valid():
        return ticked
    top_n, min_score = helper.cleaned_data["top_n"], helper.cleaned_data["min_score"]
    for group in per_occupation:
        for row in group.rows:
            if top_n and row.rank is not None and row.rank <= top_n:
                ticked.add(row.application.pk)
    for row in overall:
        if min_score is not None and row.aggregate.score is not None and row.aggregate.score >= min_score:
            ticked.add(row.application.pk)
    return ticked


class ProvinceRankingView(ProvinceView, TemplateView):
    """The provincial panel's rankings per occupation, the selection (with helpers that pre-tick), the leadership
    group's approval and the publication of the result."""

    allowed_roles = PROVINCIAL
    template_name = "selection/province_ranking.html"

    def call(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call = self.call()
        panel = selectors.province_panel(call)
        overall, per_occupation = selectors.rankings(
            panel, list(selectors.with_occupations(selectors.province_applications(call))))
        helper = SelectionHelperForm(self.request.GET or None)

        def in_state(state: str) -> list[selectors.RankedRow]:
            return [r for r in overall if r.application.state == state]

        context.update(
            call=call, panel=panel, overall=overall, per_occupation=per_occupation, helper=helper,
            reviewing=in_state(S.PROVINCE_REVIEW), ticked=_ticked(helper, overall, per_occupation),
            tables=selectors.summary_tables(call), waiting_recommended=in_state(S.RECOMMENDED),
            province_route=selectors.province_route_waiting(call),
            selected=in_state(S.SELECTED), approved=in_state(S.APPROVED), approvals=selectors.approvals(call),
            approval_form=kwargs.get("approval_form") or ApprovalForm(),
            notices=selectors.call_notices(self.access, call), category_labels=category_labels(self.province),
            publicity_days=filing_selectors.pack_for(self.province).settings.publicity_working_days,
            centre_decides=filing_selectors.centre_decides(self.province),
        )
        # Where the centre decides, the provincial centre publicises what it selected, with no leadership approval.
        context["to_publish"] = context["selected"] if context["centre_decides"] else context["approved"]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.call()
        back = reverse("selection:province_ranking", kwargs={"province": self.province.slug, "call_pk": call.pk})
        user = self.user
        action = request.POST.get("action")
        if action == "start_review":
            pk = request.POST.get("application", "")
            application = access_call_application(call, int(pk) if pk.isdecimal() else 0,
                                                  states=[S.SUBMITTED, S.RECOMMENDED])
            return act(request, lambda: services.start_province_review(application, acting_user=user),
                       _("已开始省级评审：%(n)s") % {"n": application.institution.name}, back)
        if action == "select":
            values = request.POST.getlist("selected")
            if not all(v.isdecimal() for v in values):
                messages.error(request, _("勾选的申请有误，请刷新页面后重试。"))
                return redirect(back)
            ids = [int(v) for v in values]
            return act(request, lambda: services.decide_selection(
                call, acting_user=user, selected_ids=ids, reason=plain(request.POST.get("reason", ""))),
                _("遴选结果已确定。"), back)
        messages.error(request, _("未知的操作。"))
        return redirect(back)


class _CallAction(ObjectAction):
    allowed_roles = PROVINCIAL

    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def back(self, call: Call, anchor: str) -> str:
        return reverse("selection:province_ranking",
                       kwargs={"province": self.province.slug, "call_pk": call.pk}) + anchor


class ApprovalView(_CallAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        back = self.back(call, "#approval")
        form = ApprovalForm(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = clauses(errors)
                messages.error(request, f"{label}：{text}" if label else text)
            return redirect(back)
        d, user = form.cleaned_data, self.user
        return act(request, lambda: services.record_approval(
            call, acting_user=user, meeting_date=d["meeting_date"], document_number=d["document_number"],
            attachment=d["attachment"]), _("已记录领导小组审定。"), back)


class ApprovalDocumentView(ProvinceView):
    allowed_roles = PROVINCIAL

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        approval = access_approval(self.access, kwargs["pk"])
        return FileResponse(approval.attachment.open("rb"), as_attachment=True, filename=approval.attachment_name,
                            content_type=approval.attachment_content_type)


class PublishView(_CallAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        back = self.back(call, "#publicity")
        try:
            notice = services.publish_selection(call, acting_user=self.user)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, _("已发布公示，公示期%(s)s至%(e)s。") % {
            "s": notice.starts_on.isoformat(), "e": notice.ends_on.isoformat()})
        return redirect(back)
