"""Pages from selected to filed: cultivation (commitment, question banks, training, filing decision), filings with
their letters, added occupations, and the public catalog of filed organizations."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal import catalog as catalog_notes
from portal.audit import record_event
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import City, Province, Role
from portal.roles import OFFICERS, ProvinceAccess, ProvinceView, PublicView

from . import selectors, services
from .access import (
    access_cultivation,
    access_cultivation_task,
    access_filing,
    access_filing_letter,
    access_occupation_addition,
    access_question_bank_file,
    scope_cultivations,
    scope_filings,
)
from .forms_filing import (
    AdditionDecisionForm,
    AdditionForm,
    CatalogSearchForm,
    CommitmentForm,
    CultivationFilterForm,
    FileDecisionForm,
    FilingFilterForm,
    QuestionBankForm,
    ReviewForm,
    TrainingForm,
)
from .models import (
    AdditionState,
    Cultivation,
    CultivationOccupationState,
    CultivationState,
    CultivationTask,
    Filing,
    FilingStatus,
    TaskKind,
    TaskState,
)

EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
APPLICANT = (Role.INSTITUTION_MEMBER,)
PROVINCE = (Role.PROVINCIAL_OFFICER,)
CATALOG_PAGE_SIZE = 20


def _act(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a service; show its refusal as a message (nothing was changed) or the success message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(target)


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "；".join(str(e) for e in errors)
        messages.error(request, f"{label}：{text}" if label else text)


class _ObjectView(ProvinceView):
    """A page about one object: the object is looked up (in the caller's scope) before anything else, so that an id
    the caller cannot reach is a 404 whatever the method, never a 405 that would tell it exists."""

    def get_object(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


# --- cultivations ---

class CultivationListView(ExportableListView):
    """Cultivations in the caller's scope: the province's, a city's, or the organization's own."""

    allowed_roles = EVERYONE
    template_name = "filings/cultivation_list.html"
    export_name = "cultivations"
    export_title = "培育辅导机构"
    filter_form_class = CultivationFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return CultivationFilterForm(data, province=access.province)

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return (scope_cultivations(access).select_related("institution", "city")
                .prefetch_related("occupations__occupation", "occupations__work_type").order_by("ends_on", "pk"))

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("q"):
            qs = qs.filter(institution__name__icontains=data["q"].strip())
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("city"):
            qs = qs.filter(city=data["city"])
        waiting = data.get("waiting")
        if waiting == "commitment":
            qs = qs.filter(state=CultivationState.ACTIVE, commitment_signed_at__isnull=True)
        elif waiting in ("review", "training"):
            kind, state = ((TaskKind.QUESTION_BANK, TaskState.SUBMITTED) if waiting == "review"
                           else (TaskKind.EXAM_TRAINING, TaskState.OPEN))
            qs = qs.filter(state=CultivationState.ACTIVE, commitment_signed_at__isnull=False,
                           pk__in=CultivationTask.objects.filter(kind=kind, state=state)
                           .values("occupation__cultivation_id"))
        elif waiting == "file":
            qs = qs.filter(state__in=[CultivationState.ACTIVE, CultivationState.ENDED],
                           occupations__state=CultivationOccupationState.ACCEPTED).distinct()
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        today = timezone.localdate()
        return [
            Column("机构名称", lambda c: c.institution.name),
            Column("地市", lambda c: c.city.name),
            Column("状态", lambda c: c.get_state_display()),
            Column("开始日期", lambda c: c.started_on),
            Column("最后一天", lambda c: c.ends_on),
            Column("剩余天数", lambda c: c.days_left(today) if c.is_active else ""),
            Column("承诺书", lambda c: "已签署" if c.is_signed else "未签署"),
            Column("培育职业", lambda c: "；".join(f"{o.occupation.code} {o}（{o.get_state_display()}）"
                                                 for o in c.occupations.all())),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class CultivationDetailView(_ObjectView, TemplateView):
    """One cultivation: the days left, the commitment letter, each occupation's tasks and rounds, the decisions."""

    allowed_roles = EVERYONE
    template_name = "filings/cultivation_detail.html"

    def get_object(self) -> Cultivation:
        return access_cultivation(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cultivation = self.get_object()
        today = timezone.localdate()
        access = self.access
        is_member = cultivation.institution_id in access.institution_ids()
        is_provincial = access.is_provincial_officer
        records_training = is_provincial or cultivation.city_id in access.city_ids()
        open_for_tasks = cultivation.is_active and cultivation.is_signed and today <= cultivation.ends_on
        occupations = selectors.cultivation_occupations(cultivation)
        for item in occupations:
            for task in item.tasks.all():
                prefix = f"t{task.pk}"
                task.can_upload = (is_member and open_for_tasks and task.kind == TaskKind.QUESTION_BANK  # type: ignore[attr-defined]
                                   and task.state in (TaskState.OPEN, TaskState.RETURNED))
                task.can_review = (is_provincial and cultivation.is_active and task.kind == TaskKind.QUESTION_BANK  # type: ignore[attr-defined]
                                   and task.state == TaskState.SUBMITTED)
                task.can_record = (records_training and open_for_tasks and task.kind == TaskKind.EXAM_TRAINING  # type: ignore[attr-defined]
                                   and task.state == TaskState.OPEN)
                task.upload_form = QuestionBankForm(prefix=prefix)  # type: ignore[attr-defined]
                task.review_form = ReviewForm(prefix=prefix)  # type: ignore[attr-defined]
                task.training_form = TrainingForm(prefix=prefix)  # type: ignore[attr-defined]
                task.last_round = list(task.rounds.all())[-1] if task.rounds.all() else None  # type: ignore[attr-defined]
        accepted = [o for o in occupations if o.state == CultivationOccupationState.ACCEPTED]
        context.update(
            cultivation=cultivation,
            occupations=occupations,
            today=today,
            days_left=cultivation.days_left(today),
            day_number=min(cultivation.day_number(today), (cultivation.ends_on - cultivation.started_on).days + 1),
            total_days=(cultivation.ends_on - cultivation.started_on).days + 1,
            is_member=is_member,
            is_provincial=is_provincial,
            commitment_letter=selectors.pack_for(self.province).commitment_letter,
            commitment_form=CommitmentForm(initial={"signer_name": cultivation.institution.legal_representative}),
            accepted=accepted,
            file_form=FileDecisionForm(accepted=accepted) if accepted else None,
            can_file=is_provincial and bool(accepted) and cultivation.state in (CultivationState.ACTIVE,
                                                                                 CultivationState.ENDED),
            history=selectors.history(cultivation, self.province)[:50],
        )
        return context


class _CultivationAction(_ObjectView):
    def get_object(self) -> Cultivation:
        return access_cultivation(self.access, self.kwargs["pk"])

    def back(self, cultivation: Cultivation, anchor: str = "") -> str:
        return reverse("filings:cultivation_detail",
                       kwargs={"province": self.province.slug, "pk": cultivation.pk}) + anchor


class CommitmentSignView(_CultivationAction):
    allowed_roles = APPLICANT

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cultivation = self.get_object()
        form = CommitmentForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.back(cultivation, "#commitment"))
        data = form.cleaned_data
        return _act(request, lambda: services.sign_commitment(
            cultivation, acting_user=request.user, signer_name=data["signer_name"],  # type: ignore[arg-type]
            signer_title=data["signer_title"]), _("承诺书已签署，培育任务已开放。"), self.back(cultivation, "#commitment"))


def _pdf_response(file: Any, filename: str) -> HttpResponseBase:
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


class CommitmentDownloadView(_CultivationAction):
    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        cultivation = self.get_object()
        if not cultivation.is_signed:
            raise Http404
        if not cultivation.commitment_pdf:  # the task has not run yet: render it now (once; it is stored)
            services.render_commitment_letter(cultivation.pk)
            cultivation.refresh_from_db()
        return _pdf_response(cultivation.commitment_pdf, f"培育机构工作承诺书-{cultivation.institution.name}.pdf")


class _TaskAction(_ObjectView):
    def get_object(self) -> CultivationTask:
        return access_cultivation_task(self.access, self.kwargs["pk"])

    def back(self, task: CultivationTask) -> str:
        return reverse("filings:cultivation_detail", kwargs={
            "province": self.province.slug, "pk": task.occupation.cultivation_id}) + f"#occupation-{task.occupation_id}"


class QuestionBankSubmitView(_TaskAction):
    allowed_roles = APPLICANT

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        form = QuestionBankForm(request.POST, request.FILES, prefix=f"t{task.pk}")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.back(task))
        data = form.cleaned_data
        documents = [data["documents"]] if data.get("documents") else []
        return _act(request, lambda: services.submit_question_bank(
            task, acting_user=request.user, items=data["items"], documents=documents,  # type: ignore[arg-type]
            note=data["note"]), _("试题资源已提交评审。"), self.back(task))


class QuestionBankReviewView(_TaskAction):
    allowed_roles = PROVINCE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        form = ReviewForm(request.POST, prefix=f"t{task.pk}")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.back(task))
        accept = form.cleaned_data["decision"] == "accept"
        return _act(request, lambda: services.review_question_bank(
            task, acting_user=request.user, accept=accept, reasons=form.cleaned_data["reasons"]),  # type: ignore[arg-type]
            _("试题资源已评审通过。") if accept else _("已退回修改。"), self.back(task))


class TrainingRecordView(_TaskAction):
    allowed_roles = OFFICERS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        form = TrainingForm(request.POST, prefix=f"t{task.pk}")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.back(task))
        return _act(request, lambda: services.record_training_attendance(
            task, acting_user=request.user, attended_on=form.cleaned_data["attended_on"],  # type: ignore[arg-type]
            note=form.cleaned_data["note"]), _("已登记考务培训。"), self.back(task))


class QuestionBankFileDownloadView(_ObjectView):
    """A question-bank file: the organization's own, or the officers' who may see the cultivation."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_question_bank_file(self.access, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        stored = self.get_object()
        cultivation = stored.round.task.occupation.cultivation
        if cultivation.institution_id not in self.access.institution_ids():
            record_event(actor=request.user, action="question_bank_downloaded", obj=stored.round.task,  # type: ignore[arg-type]
                         province=self.province, changes={"file": stored.original_name})
        return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)


class FileDecisionView(_CultivationAction):
    allowed_roles = PROVINCE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cultivation = self.get_object()
        accepted = list(cultivation.occupations.filter(state=CultivationOccupationState.ACCEPTED)
                        .select_related("occupation", "work_type"))
        form = FileDecisionForm(request.POST, accepted=accepted)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.back(cultivation, "#file-decision"))
        try:
            filing = services.file_cultivation(cultivation, acting_user=request.user,  # type: ignore[arg-type]
                                               occupation_ids=form.cleaned_data["occupations"],
                                               reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(self.back(cultivation, "#file-decision"))
        messages.success(request, _("已作出备案决定，备案编号%(n)s。") % {"n": filing.filing_number})
        return redirect("filings:filing_detail", province=self.province.slug, pk=filing.pk)


# --- filings ---

class FilingListView(ExportableListView):
    allowed_roles = EVERYONE
    template_name = "filings/filing_list.html"
    export_name = "filings"
    export_title = "备案机构"
    filter_form_class = FilingFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return FilingFilterForm(data, province=access.province)

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return (scope_filings(access).select_related("institution", "city")
                .prefetch_related("occupations__occupation", "occupations__work_type").order_by("-filed_on", "-pk"))

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("q"):
            term = data["q"].strip()
            qs = qs.filter(Q(institution__name__icontains=term) | Q(filing_number__icontains=term)
                           | Q(institution_code=term))
        if data.get("state"):
            qs = qs.filter(status=data["state"])
        if data.get("city"):
            qs = qs.filter(city=data["city"])
        if data.get("unpublished"):
            qs = qs.filter(published_at__isnull=True)
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("机构名称", lambda f: f.institution.name),
            Column("统一社会信用代码", lambda f: f.institution.credit_code),
            Column("属地地市", lambda f: f.city.name),
            Column("备案编号", lambda f: f.filing_number),
            Column("机构代码", lambda f: f.institution_code),
            Column("机构顺序号", lambda f: f.organization_sequence),
            Column("备案职业", lambda f: "；".join(f"{o.occupation.code} {o}（{o.level_labels()}）"
                                                 for o in f.occupations.all())),
            Column("有效期起", lambda f: f.valid_from),
            Column("有效期至", lambda f: f.valid_until),
            Column("状态", lambda f: f.get_status_display()),
            Column("目录公布", lambda f: timezone.localtime(f.published_at).strftime("%Y-%m-%d") if f.published_at else ""),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = self.access
        context["reports_cities"] = (
            list(City.objects.filter(pk__in=access.city_ids()))
            if selectors.pack_for(self.province).settings.assigns_institution_code else []
        )
        context["to_publish"] = (scope_filings(access).filter(reported_at__isnull=False, published_at__isnull=True).count()
                                 if access.is_provincial_officer else 0)
        return context


class FilingDetailView(_ObjectView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "filings/filing_detail.html"

    def get_object(self) -> Filing:
        return access_filing(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = self.get_object()
        context.update(
            filing=filing,
            scope=filing.occupations.select_related("occupation", "work_type", "letter"),
            letters=filing.letters.all(),
            additions=filing.additions.prefetch_related("occupations__occupation", "occupations__work_type")
            .select_related("cultivation"),
            cultivations=filing.cultivations.all(),
            is_member=filing.institution_id in self.access.institution_ids(),
            is_provincial=self.access.is_provincial_officer,
            decision_form=AdditionDecisionForm(),
            history=selectors.history(filing, self.province)[:50],
            submitted=AdditionState.SUBMITTED,
        )
        return context


class FilingLetterDownloadView(_ObjectView):
    """The filing letter (备案函) or receipt (回执) PDF, from the organization's and the officers' pages."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_filing_letter(self.access, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        letter = self.get_object()
        if not letter.pdf:  # the task has not run yet: render it now (once; it is stored)
            services.render_filing_letter(letter.pk)
            letter.refresh_from_db()
        return _pdf_response(letter.pdf, letter.filename)


class AdditionCreateView(_ObjectView, TemplateView):
    """An active filed organization applies to add occupations to its filing."""

    allowed_roles = APPLICANT
    template_name = "filings/addition_form.html"

    def get_object(self) -> Filing:
        filing = access_filing(self.access, self.kwargs["pk"])
        if filing.institution_id not in self.access.institution_ids():
            raise Http404
        return filing

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = self.get_object()
        context.update(filing=filing, form=kwargs.get("form") or AdditionForm(),
                       has_cultivation=selectors.pack_for(self.province).settings.has_cultivation,
                       not_active=filing.status != FilingStatus.ACTIVE)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filing = self.get_object()
        form = AdditionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                addition = services.apply_to_add_occupations(
                    filing, acting_user=request.user,  # type: ignore[arg-type]
                    lines=[services.ScopeLine(data["occupation"], data["work_type"], data["levels"])],
                    has_completed_question_bank=data["has_completed_question_bank"],
                    operating_normally=data["operating_normally"], note=data["note"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                cultivation = Cultivation.objects.filter(addition=addition).first()
                if cultivation is not None:
                    messages.success(request, _("已提交，新增职业进入培育辅导期。请签署承诺书。"))
                    return redirect("filings:cultivation_detail", province=self.province.slug, pk=cultivation.pk)
                messages.success(request, _("新增职业申请已提交，等待省级审核。"))
                return redirect("filings:filing_detail", province=self.province.slug, pk=filing.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AdditionDecideView(_ObjectView):
    allowed_roles = PROVINCE

    def get_object(self) -> Any:
        return access_occupation_addition(self.access, self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        addition = self.get_object()
        back = reverse("filings:filing_detail", kwargs={"province": self.province.slug, "pk": addition.filing_id})
        form = AdditionDecisionForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(back)
        approve = form.cleaned_data["decision"] == "approve"
        return _act(request, lambda: services.decide_occupation_addition(
            addition, acting_user=request.user, approve=approve, reason=form.cleaned_data["reason"]),  # type: ignore[arg-type]
            _("已同意新增职业。") if approve else _("已作出不予新增决定。"), back)


class ReportFilingsView(ProvinceView):
    """A city reports its filed organizations to the province (Shandong)."""

    allowed_roles = (Role.CITY_OFFICER,)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        city = get_object_or_404(City, pk=request.POST.get("city"), pk__in=self.access.city_ids())
        back = reverse("filings:filing_list", kwargs={"province": self.province.slug})
        try:
            count = services.report_filings(city, acting_user=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已向省报送%(n)d家评价机构。") % {"n": count} if count else _("没有待报送的评价机构。"))
        return redirect(back)


class PublishFilingsView(ProvinceView):
    """The province publishes the reported filings in the public catalog."""

    allowed_roles = PROVINCE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = reverse("filings:filing_list", kwargs={"province": self.province.slug})
        try:
            count = services.publish_filings(self.province, acting_user=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已在评价机构目录公布%(n)d家。") % {"n": count} if count else _("没有待公布的评价机构。"))
        return redirect(back)


# --- the public catalog ---

class CatalogView(PublicView):
    """评价机构目录 — the published filings of a province, for anyone; status shown, nothing silently removed."""

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = get_object_or_404(Province, slug=province)
        pack = selectors.pack_for(p)
        categories = pack.category_choices()
        form = CatalogSearchForm(request.GET or None, province=p, categories=categories)
        qs = selectors.catalog(p)
        if form.is_valid():
            qs = selectors.search_catalog(qs, **{k: v or "" for k, v in form.cleaned_data.items()})
        page = Paginator(qs, CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
        notes = catalog_notes.notes_for(p, [f.institution_id for f in page])  # e.g. supervision's ranking bands
        for f in page:
            setattr(f, "catalog_notes", notes.get(f.institution_id, []))  # noqa: B010
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "filings/catalog.html", {
            "catalog_province": p, "form": form, "page_obj": page, "is_paginated": page.has_other_pages(),
            "querystring": query.urlencode(), "category_labels": dict(categories),
            "shows_codes": pack.settings.assigns_institution_code,
        })
