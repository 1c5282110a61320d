"""Pages of filings: registration, the applicant's workspace, calls, the city's worklist and review."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from portal.access import access_institution, scope_institutions
from portal.audit import record_event
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Province, Role
from portal.roles import OFFICERS, ProvinceAccess, ProvinceView, PublicView

from . import selectors, services
from .access import access_application, access_evidence, access_own_application, scope_applications, scope_calls
from .forms import (
    CallForm,
    CorrectionItemFormSet,
    FactsForm,
    InstitutionFilterForm,
    InstitutionForm,
    OccupationForm,
    PledgeForm,
    ReasonForm,
    RegistrationForm,
    ReviewFilterForm,
    UploadForm,
)
from .models import Application, ApplicationOccupation, ApplicationState, Evidence

S = ApplicationState
APPLICANT = (Role.INSTITUTION_MEMBER,)


def _act(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a service; show its refusal as a message (nothing was changed) or the success message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(target)


# --- registration and the institution ---

class RegisterView(PublicView):
    """An applicant registers an account and its institution in a province."""

    def get_province(self, slug: str) -> Province:
        return get_object_or_404(Province, slug=slug)

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = self.get_province(province)
        form = RegistrationForm(province=p, pack=selectors.pack_for(p))
        return render(request, "filings/register.html", {"form": form, "register_province": p})

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        p = self.get_province(province)
        form = RegistrationForm(request.POST, province=p, pack=selectors.pack_for(p))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_institution(
                    p, username=data["username"], password=data["password1"], email=data["email"],
                    mobile=data["mobile"], display_name=data["display_name"],
                    institution_data={k: data[k] for k in services.INSTITUTION_FIELDS},
                )
            except DomainError as exc:
                field = "credit_code" if exc.code.startswith("uscc") else (
                    "username" if exc.code == "username_taken" else "mobile" if exc.code == "mobile_taken" else None)
                form.add_error(field, str(exc))
            else:
                messages.success(request, _("注册成功，请登录。"))
                return redirect("login")
        return render(request, "filings/register.html", {"form": form, "register_province": p})


class MyInstitutionView(ProvinceView, TemplateView):
    allowed_roles = APPLICANT
    template_name = "filings/institution_form.html"

    def institution(self) -> Any:
        return access_institution(self.access, next(iter(self.access.institution_ids())))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or InstitutionForm(
            instance=self.institution(), province=self.province, pack=selectors.pack_for(self.province))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        institution = self.institution()
        form = InstitutionForm(request.POST, instance=institution, province=self.province,
                               pack=selectors.pack_for(self.province))
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.INSTITUTION_FIELDS}
            institution.refresh_from_db()
            try:
                services.update_institution(institution, acting_user=request.user, data=data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error("credit_code" if exc.code.startswith("uscc") else None, str(exc))
            else:
                messages.success(request, _("机构信息已保存。"))
                return redirect("filings:my_institution", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


# --- the applicant's applications ---

class MyApplicationsView(ProvinceView, TemplateView):
    allowed_roles = APPLICANT
    template_name = "filings/my_applications.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = Application.objects.in_province(self.province).filter(
            institution_id__in=self.access.institution_ids()).select_related("call", "institution")
        context["applications"] = mine
        applied = {a.call_id for a in mine if a.state != S.WITHDRAWN}
        context["open_calls"] = [c for c in scope_calls(self.access).filter(application_deadline__gte=timezone.now())
                                 if c.pk not in applied]
        return context


class ApplicationStartView(ProvinceView):
    allowed_roles = APPLICANT

    def post(self, request: HttpRequest, province: str, call_pk: int) -> HttpResponse:
        call = get_object_or_404(scope_calls(self.access), pk=call_pk)
        institution = access_institution(self.access, next(iter(self.access.institution_ids())))
        try:
            application = services.create_application(call, institution, acting_user=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("filings:my_applications", province=province)
        return redirect("filings:application_detail", province=province, pk=application.pk)


class ApplicationDetailView(ProvinceView, TemplateView):
    """The applicant's workspace for one application: occupations, facts, materials, pre-check, pledge, submit."""

    allowed_roles = APPLICANT
    template_name = "filings/application_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = access_own_application(self.access, self.kwargs["pk"])
        pack = selectors.pack_for(self.province)
        context.update(
            application=application,
            pack=pack,
            occupations=application.occupations.select_related("occupation", "work_type"),
            occupation_form=OccupationForm(occupations=selectors.admissible_occupations(application)),
            checklist=selectors.checklist_status(application),
            precheck=selectors.precheck(application),
            problems=services.submission_problems(application) if application.is_editable else [],
            corrections=application.corrections.prefetch_related("items"),
            pledge_form=PledgeForm(initial={"signer": application.pledge_signer or application.institution.legal_representative}),
            withdraw_form=ReasonForm(),
            can_withdraw=application.state in [s.value for s in (S.DRAFT, S.SUBMITTED, S.CITY_REVIEW, S.RETURNED, S.CITY_SCORING)],
        )
        return context


class ApplicationFactsView(ProvinceView, TemplateView):
    allowed_roles = APPLICANT
    template_name = "filings/facts_form.html"

    def application(self) -> Application:
        return access_own_application(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = self.application()
        context["application"] = application
        context["form"] = kwargs.get("form") or FactsForm(application=application, pack=selectors.pack_for(self.province))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = FactsForm(request.POST, application=application, pack=selectors.pack_for(self.province))
        if form.is_valid():
            try:
                services.save_facts(
                    application, acting_user=request.user, facts=form.facts(),  # type: ignore[arg-type]
                    occupation_facts=form.occupation_facts(),
                    prefers_province_route=form.cleaned_data["prefers_province_route"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("申报信息已保存。"))
                return redirect("filings:application_detail", province=self.province.slug, pk=application.pk)
        return self.render_to_response(self.get_context_data(form=form))


class _ApplicantAction(ProvinceView):
    allowed_roles = APPLICANT

    def application(self) -> Application:
        return access_own_application(self.access, self.kwargs["pk"])

    def back(self) -> str:
        return reverse("filings:application_detail", kwargs={"province": self.province.slug, "pk": self.kwargs["pk"]})


class OccupationAddView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = OccupationForm(request.POST, occupations=selectors.admissible_occupations(application))
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = "；".join(str(e) for e in errors)
                messages.error(request, f"{label}：{text}" if label else text)
            return redirect(self.back())
        data = form.cleaned_data
        return _act(request, lambda: services.add_occupation(
            application, acting_user=request.user, occupation=data["occupation"],  # type: ignore[arg-type]
            work_type=data["work_type"], levels=data["levels"]), _("已添加申报职业。"), self.back())


class OccupationRemoveView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        item = get_object_or_404(ApplicationOccupation, application=application, pk=kwargs["item_pk"])
        return _act(request, lambda: services.remove_occupation(item, acting_user=request.user),  # type: ignore[arg-type]
                    _("已移除申报职业。"), self.back())


class EvidenceUploadView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的文件。"))
            return redirect(self.back())
        return _act(request, lambda: services.upload_evidence(
            application, acting_user=request.user, checklist_key=form.cleaned_data["checklist_key"],  # type: ignore[arg-type]
            upload=form.cleaned_data["file"]), _("文件已上传。"), self.back() + "#materials")


class EvidenceRemoveView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        evidence = get_object_or_404(Evidence, application=application, pk=kwargs["evidence_pk"])
        return _act(request, lambda: services.remove_evidence(evidence, acting_user=request.user),  # type: ignore[arg-type]
                    _("文件已移除。"), self.back() + "#materials")


class PledgeView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = PledgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写承诺人姓名并勾选同意诚信承诺。"))
            return redirect(self.back() + "#pledge")
        return _act(request, lambda: services.confirm_pledge(
            application, acting_user=request.user, signer=form.cleaned_data["signer"]),  # type: ignore[arg-type]
            _("已确认诚信承诺。"), self.back() + "#pledge")


class SubmitView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        return _act(request, lambda: services.submit_application(application, acting_user=request.user),  # type: ignore[arg-type]
                    _("申请已提交。"), self.back())


class WithdrawView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("撤回申请须填写理由。"))
            return redirect(self.back())
        return _act(request, lambda: services.withdraw_application(
            application, acting_user=request.user, reason=form.cleaned_data["reason"]),  # type: ignore[arg-type]
            _("申请已撤回。"), self.back())


class EvidenceDownloadView(ProvinceView):
    """A material, served only to the applicant and the officers who may see its application."""

    allowed_roles = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = access_evidence(self.access, kwargs["pk"])
        if not self.access.has(Role.INSTITUTION_MEMBER) or evidence.application.institution_id not in self.access.institution_ids():
            record_event(actor=request.user, action="evidence_downloaded", obj=evidence.application,  # type: ignore[arg-type]
                         province=self.province, changes={"file": evidence.original_name})
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)


# --- calls (provincial officer) ---

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
                    self.province, acting_user=request.user, year=data["year"], title=data["title"],  # type: ignore[arg-type]
                    application_deadline=data["application_deadline"], city_review_deadline=data["city_review_deadline"],
                    occupations=data["occupations"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("申报批次已发布。"))
                return redirect("filings:call_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


# --- officers: institutions and the review worklist ---

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


class InstitutionDetailView(ProvinceView, DetailView):  # type: ignore[type-arg]
    allowed_roles = OFFICERS
    template_name = "filings/institution_detail.html"
    context_object_name = "institution"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        return access_institution(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["applications"] = scope_applications(self.access).filter(institution=self.object).select_related("call")
        context["category_label"] = dict(selectors.pack_for(self.province).category_choices()).get(self.object.category, "")
        return context


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
    targets += [(f"fact:{f.key}", f.label) for f in pack.fields_for(application.category)]
    targets += [(f"doc:{i.key}", i.label) for i in pack.checklist_for(application.category)]
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
            application=application, pack=pack, precheck=precheck, checklist=checklist,
            category_label=dict(pack.category_choices()).get(application.category, application.category),
            facts=[(labels[k].label + (f"（{labels[k].unit}）" if labels[k].unit else ""), v)
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
        user = request.user
        action = request.POST.get("action")
        back = reverse("filings:review_detail", kwargs={"province": self.province.slug, "pk": application.pk})
        if action == "start":
            return _act(request, lambda: services.start_city_review(application, acting_user=user),  # type: ignore[arg-type]
                        _("已受理，进入初审。"), back)
        if action == "pass":
            return _act(request, lambda: services.pass_city_review(application, acting_user=user),  # type: ignore[arg-type]
                        _("初审通过，已转入评估推荐。"), back)
        if action == "not_recommend":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("不予推荐必须填写理由。"))
                return redirect(back)
            return _act(request, lambda: services.not_recommend_application(
                application, acting_user=user, reason=form.cleaned_data["reason"]), _("已作出不予推荐决定。"), back)  # type: ignore[arg-type]
        if action == "return":
            targets = dict(correction_targets(application))
            formset = CorrectionItemFormSet(request.POST, prefix="items", form_kwargs={"targets": list(targets.items())})
            if formset.is_valid():
                items = [services.CorrectionRequest(f.cleaned_data["target"], targets[f.cleaned_data["target"]],
                                                    f.cleaned_data["problem"])
                         for f in formset.forms if f.cleaned_data.get("target")]
                try:
                    services.return_application(application, acting_user=user, items=items,  # type: ignore[arg-type]
                                                note=request.POST.get("note", ""))
                except DomainError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("已退回补正，共%(n)d项。") % {"n": len(items)})
                    return redirect(back)
            return self.render_to_response(self.get_context_data(application=application, return_formset=formset))
        messages.error(request, _("未知的操作。"))
        return redirect(back)

