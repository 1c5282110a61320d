"""The officers' pages: calls, institutions, the review worklist and the review of one application."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from portal.access import access_institution, scope_institutions
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Institution, Role
from portal.punctuation import parenthetical
from portal.roles import OFFICERS, ProvinceAccess, ProvinceView
from portal.text import plain

from .. import selectors, services
from ..access import access_application, scope_applications, scope_calls
from ..forms import (
    CallForm,
    CorrectionItemFormSet,
    CreditCodeCorrectionForm,
    InstitutionFilterForm,
    ReasonForm,
    ReviewFilterForm,
)
from ..models import Application
from ._shared import S, _act


class CallListView(ProvinceView, TemplateView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    template_name = "filings/call_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["calls"] = scope_calls(self.access).annotate(
            submitted=Count("applications", filter=~Q(applications__state__in=[S.DRAFT, S.WITHDRAWN])))
        context["form"] = kwargs.get("form") or CallForm(initial={"year": timezone.localdate().year})
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CallForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.open_call(
                    self.province, acting_user=self.user, year=data["year"], title=data["title"],
                    application_deadline=data["application_deadline"], city_review_deadline=data["city_review_deadline"],
                    occupations=data["occupations"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("申报批次已发布。"))
                return redirect("filings:call_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


class InstitutionListView(ExportableListView):
    allowed_roles = OFFICERS
    template_name = "filings/institution_list.html"
    export_name = "institutions"
    export_title = "机构名单"
    filter_form_class = InstitutionFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return InstitutionFilterForm(data, province=access.province)

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_institutions(access).select_related("city")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("q"):
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(credit_code__iexact=data["q"].strip()))
        if data.get("city"):
            qs = qs.filter(city=data["city"])
        if data.get("nature"):
            qs = qs.filter(nature=data["nature"])
        if data.get("level"):
            qs = qs.filter(level=data["level"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("机构名称", lambda i: i.name),
            Column("统一社会信用代码", lambda i: i.credit_code),
            Column("地市", lambda i: i.city.name),
            Column("申请类别", lambda i: i.category),
            Column("登记性质", lambda i: i.get_nature_display()),
            Column("隶属层级", lambda i: i.get_level_display()),
            Column("联系人", lambda i: i.contact_person),
            Column("联系电话", lambda i: i.contact_phone),
        ]


class InstitutionDetailView(ProvinceView, DetailView[Institution]):
    allowed_roles: tuple[Role, ...] = OFFICERS
    template_name = "filings/institution_detail.html"
    context_object_name = "institution"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        return access_institution(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["applications"] = scope_applications(self.access).filter(institution=self.object).select_related("call")
        context["category_label"] = dict(selectors.pack_for(self.province).category_choices()).get(self.object.category, "")
        if self.access.has(Role.PROVINCIAL_OFFICER):
            context["credit_code_form"] = kwargs.get("credit_code_form") or CreditCodeCorrectionForm()
        return context


class InstitutionCreditCodeView(InstitutionDetailView):
    """A provincial officer corrects the credit code of an institution (the institution cannot, once it applied).
    GET shows the institution's page, as its detail view does."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = institution = self.get_object()
        form = CreditCodeCorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.correct_credit_code(institution, acting_user=self.user, reason=form.cleaned_data["reason"],
                                             credit_code=form.cleaned_data["credit_code"])
            except DomainError as exc:
                form.add_error("credit_code" if exc.code.startswith("uscc") else "reason", str(exc))
            else:
                messages.success(request, _("统一社会信用代码已更正，并记入审计日志。"))
                return redirect("filings:institution_detail", province=self.province.slug, pk=institution.pk)
        return self.render_to_response(self.get_context_data(credit_code_form=form))


class ReviewListView(ExportableListView):
    """The city's (and province's) worklist of applications, with the city-review deadline."""

    allowed_roles = OFFICERS
    template_name = "filings/review_list.html"
    export_name = "applications"
    export_title = "备案申请"
    filter_form_class = ReviewFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return ReviewFilterForm(data, pack=selectors.pack_for(access.province), calls=scope_calls(access))

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return (scope_applications(access).exclude(state=S.DRAFT)
                .select_related("institution", "call", "city", "reviewer")
                .prefetch_related("occupations__occupation", "occupations__work_type")
                .order_by("call__city_review_deadline", "submitted_at", "pk"))

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        if data.get("occupation"):
            term = data["occupation"].strip()
            qs = qs.filter(Q(occupations__occupation__code__startswith=term) | Q(occupations__occupation__name__icontains=term)).distinct()
        if data.get("call"):
            qs = qs.filter(call_id=data["call"])
        if data.get("unassigned"):
            qs = qs.filter(state=S.SUBMITTED)
        if data.get("overdue"):
            qs = qs.filter(call__city_review_deadline__lt=timezone.now(), state__in=[S.SUBMITTED, S.CITY_REVIEW, S.CITY_SCORING])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("机构名称", lambda a: a.institution.name),
            Column("统一社会信用代码", lambda a: a.institution.credit_code),
            Column("地市", lambda a: a.city.name),
            Column("申请类别", lambda a: a.category),
            Column("申报职业", lambda a: "；".join(f"{o.occupation.code} {o}（{o.level_labels()}）" for o in a.occupations.all())),
            Column("批次", lambda a: a.call.title),
            Column("状态", lambda a: a.get_state_display()),
            Column("提交时间", lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""),
            Column("初审截止", lambda a: timezone.localtime(a.call.city_review_deadline).strftime("%Y-%m-%d %H:%M")),
            Column("经办人", lambda a: str(a.reviewer) if a.reviewer else ""),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        context["category_labels"] = dict(selectors.pack_for(self.province).category_choices())
        return context


def correction_targets(application: Application) -> list[tuple[str, str]]:
    pack = selectors.pack_for(application.province)
    targets = [("institution", _("机构基本信息")), ("occupations", _("申报职业"))]
    targets += [(f"fact:{f.key}", str(f.label)) for f in pack.fields_for(application.category, application.institution.nature)]
    targets += [(f"doc:{i.key}", str(i.label)) for i in pack.checklist_for(application.category)]
    return targets


class ReviewDetailView(ProvinceView, TemplateView):
    """The officer's view of one application: the pre-check beside the evidence, changes, and the decisions."""

    allowed_roles = OFFICERS
    template_name = "filings/review_detail.html"

    def application(self) -> Application:
        return access_application(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = kwargs.get("application") or self.application()
        pack = selectors.pack_for(self.province)
        precheck = selectors.precheck(application)
        checklist = selectors.checklist_status(application)
        labels = {f.key: f for f in pack.fact_fields}
        context.update(
            application=application, pack=pack, precheck=precheck, checklist=checklist, show_rule_ids=True,
            precheck_counts={v: sum(1 for r in precheck if r.verdict == v) for v in ("pass", "fail", "needs_evidence")},
            missing_count=sum(1 for s in checklist if s.missing),
            category_label=dict(pack.category_choices()).get(application.category, application.category),
            facts=[(parenthetical(labels[k].label, labels[k].unit), v)
                   for k, v in application.facts.items() if k in labels],
            occupations=application.occupations.select_related("occupation", "work_type"),
            changes=selectors.changes_since_previous_submission(application),
            corrections=application.corrections.prefetch_related("items").select_related("created_by"),
            return_formset=kwargs.get("return_formset") or CorrectionItemFormSet(
                prefix="items", form_kwargs={"targets": correction_targets(application)}),
            reason_form=ReasonForm(),
            overdue=application.call.city_review_deadline < timezone.now(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        user = self.user
        action = request.POST.get("action")
        back = reverse("filings:review_detail", kwargs={"province": self.province.slug, "pk": application.pk})
        if action == "start":
            return _act(request, lambda: services.start_city_review(application, acting_user=user),
                        _("已受理，进入初审。"), back)
        if action == "pass":
            return _act(request, lambda: services.pass_city_review(application, acting_user=user),
                        _("初审通过，已转入评估推荐。"), back)
        if action == "not_recommend":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("不予推荐必须填写理由。"))
                return redirect(back)
            return _act(request, lambda: services.not_recommend_application(
                application, acting_user=user, reason=form.cleaned_data["reason"]), _("已作出不予推荐决定。"), back)
        if action == "return":
            targets = dict(correction_targets(application))
            formset = CorrectionItemFormSet(request.POST, prefix="items", form_kwargs={"targets": list(targets.items())})
            if formset.is_valid():
                items = [services.CorrectionRequest(f.cleaned_data["target"], targets[f.cleaned_data["target"]],
                                                    f.cleaned_data["problem"])
                         for f in formset.forms if f.cleaned_data.get("target")]
                try:
                    services.return_application(application, acting_user=user, items=items,
                                                note=plain(request.POST.get("note", "")))
                except DomainError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("已退回补正，共%(n)d项。") % {"n": len(items)})
                    return redirect(back)
            return self.render_to_response(self.get_context_data(application=application, return_formset=formset))
        messages.error(request, _("未知的操作。"))
        return redirect(back)
