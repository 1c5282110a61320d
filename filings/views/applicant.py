"""The applicant's pages: the institution, its applications, the draft workspace and its actions."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal import feedback
from portal.access import access_institution
from portal.errors import DomainError
from portal.models import Role
from portal.punctuation import clauses
from portal.roles import ProvinceView

from .. import selectors, services
from ..access import access_evidence, access_own_application, scope_calls
from ..forms import (
    FactsForm,
    MyInstitutionForm,
    OccupationForm,
    PledgeForm,
    ReasonForm,
    UploadForm,
)
from ..models import Application, ApplicationOccupation, Evidence
from ._shared import APPLICANT, S, _act


class MyInstitutionView(ProvinceView, TemplateView):
    allowed_roles = APPLICANT
    template_name = "filings/institution_form.html"

    def institution(self) -> Any:
        return access_institution(self.access, next(iter(self.access.institution_ids())))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self.form(None, self.institution())
        return context

    def form(self, data: Any, institution: Any) -> MyInstitutionForm:
        return MyInstitutionForm(data, instance=institution, province=self.province,
                                 pack=selectors.pack_for(self.province),
                                 credit_code_locked=services.credit_code_locked(institution))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        institution = self.institution()
        form = self.form(request.POST, institution)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.INSTITUTION_FIELDS}
            institution.refresh_from_db()
            try:
                services.update_institution(institution, acting_user=self.user, data=data)
            except DomainError as exc:
                form.add_error("credit_code" if exc.code.startswith("uscc") else None, str(exc))
            else:
                messages.success(request, _("机构信息已保存。"))
                return redirect("filings:my_institution", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


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
            application = services.create_application(call, institution, acting_user=self.user)
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
            occupation_form=_occupation_form(self.request, application),
            checklist=selectors.checklist_status(application),
            precheck=selectors.precheck(application),
            declared_facts=selectors.declared_facts(application),
            problems=services.submission_problems(application) if application.is_editable else [],
            corrections=application.corrections.prefetch_related("items"),
            pledge_form=PledgeForm(initial={"signer": application.pledge_signer or application.institution.legal_representative}),
            withdraw_form=ReasonForm(),
            can_withdraw=application.state in [s.value for s in (S.DRAFT, S.SUBMITTED, S.CITY_REVIEW, S.RETURNED, S.CITY_SCORING)],
            next_step=selectors.next_step(application),
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
                    application, acting_user=self.user, facts=form.facts(),
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


# The occupation form's entries kept over the redirect after a refusal, so the choice is not lost (per application).
KEPT_OCCUPATION = "filings.kept_occupation.%s"


def _occupation_form(request: HttpRequest, application: Application) -> OccupationForm:
    """The empty form, or the one the applicant sent last if it was refused (bound: its errors beside its fields)."""
    occupations = selectors.admissible_occupations(application)
    kept = request.session.pop(KEPT_OCCUPATION % application.pk, None)
    if kept is None:
        return OccupationForm(occupations=occupations)
    form = OccupationForm(QueryDict(kept), occupations=occupations)
    form.is_valid()
    return form


class OccupationAddView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = OccupationForm(request.POST, occupations=selectors.admissible_occupations(application))
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = clauses(errors)
                messages.error(request, f"{label}：{text}" if label else text)
            request.session[KEPT_OCCUPATION % application.pk] = _kept(request)
            return redirect(self.back() + "#occupations")
        data = form.cleaned_data
        try:
            services.add_occupation(application, acting_user=self.user, occupation=data["occupation"],
                                    work_type=data["work_type"], levels=data["levels"])
        except DomainError as exc:
            messages.error(request, str(exc))
            request.session[KEPT_OCCUPATION % application.pk] = _kept(request)
            return redirect(self.back() + "#occupations")
        messages.success(request, _("已添加申报职业。"))
        return redirect(self.back())


def _kept(request: HttpRequest) -> str:
    kept = QueryDict(mutable=True)
    for name in ("occupation", "work_type", "levels"):
        kept.setlist(name, request.POST.getlist(name))
    return kept.urlencode()


class OccupationRemoveView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        item = get_object_or_404(ApplicationOccupation, application=application, pk=kwargs["item_pk"])
        return _act(request, lambda: services.remove_occupation(item, acting_user=self.user),
                    _("已移除申报职业。"), self.back())


class EvidenceUploadView(_ApplicantAction):
    """An upload on one material's row: the answer lands on that row (its anchor), with the message inside it — the
    file's name and size, or the reason it was refused (the files already there stay)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        key = request.POST.get("checklist_key", "")
        if key not in {item.key for item in selectors.pack_for(self.province).checklist_for(application.category)}:
            messages.error(request, _("材料项“%(k)s”不在本类别的材料清单中。") % {"k": key})
            return redirect(self.back() + "#materials")
        row = f"material-{key}"
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            feedback.row_message(request, row, _("请选择要上传的文件。"), error=True)
            return feedback.to_row(self.back(), row)
        try:
            evidence = services.upload_evidence(application, acting_user=self.user, checklist_key=key,
                                                upload=form.cleaned_data["file"])
        except DomainError as exc:
            feedback.row_message(request, row, str(exc), error=True)
        else:
            feedback.row_message(request, row, feedback.uploaded(evidence.original_name, evidence.size))
        return feedback.to_row(self.back(), row)


class EvidenceRemoveView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        evidence = get_object_or_404(Evidence, application=application, pk=kwargs["evidence_pk"])
        return _act(request, lambda: services.remove_evidence(evidence, acting_user=self.user),
                    _("文件已移除。"), self.back() + "#materials")


class PledgeView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = PledgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写承诺人姓名并勾选同意诚信承诺。"))
            return redirect(self.back() + "#pledge")
        return _act(request, lambda: services.confirm_pledge(
            application, acting_user=self.user, signer=form.cleaned_data["signer"]),
            _("已确认诚信承诺。"), self.back() + "#pledge")


class SubmitView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        return _act(request, lambda: services.submit_application(application, acting_user=self.user),
                    _("申请已提交。"), self.back())


class WithdrawView(_ApplicantAction):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.application()
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("撤回申请须填写理由。"))
            return redirect(self.back())
        return _act(request, lambda: services.withdraw_application(
            application, acting_user=self.user, reason=form.cleaned_data["reason"]),
            _("申请已撤回。"), self.back())


class EvidenceDownloadView(ProvinceView):
    """A material, served only to the applicant and the officers who may see its application."""

    allowed_roles = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = access_evidence(self.access, kwargs["pk"])
        services.record_evidence_download(evidence, acting_user=self.user)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
