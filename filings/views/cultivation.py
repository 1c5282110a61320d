"""Cultivation pages: the list, one cultivation with its tasks, and the actions on them."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal import feedback
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.roles import OFFICERS, ProvinceAccess

from .. import selectors, services
from ..access import (
    access_cultivation,
    access_cultivation_task,
    access_question_bank_file,
    scope_cultivations,
)
from ..forms import (
    CommitmentForm,
    CultivationFilterForm,
    FileDecisionForm,
    QuestionBankForm,
    ReviewForm,
    TrainingForm,
)
from ..models import (
    Cultivation,
    CultivationOccupationState,
    CultivationState,
    CultivationTask,
    TaskKind,
    TaskState,
)
from ._shared import APPLICANT, EVERYONE, PROVINCE, _act, _form_errors, _ObjectView, _pdf_response


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


@dataclass(frozen=True)
class TaskRow:
    """One task of a cultivation as its page shows it: what the caller may do with it, and the forms to do it."""

    task: CultivationTask
    can_upload: bool
    can_review: bool
    can_record: bool
    upload_form: QuestionBankForm
    review_form: ReviewForm
    training_form: TrainingForm


def _task_row(task: CultivationTask, *, can_upload: bool, can_review: bool, can_record: bool) -> TaskRow:
    """The task with the caller's rights: `can_*` say whether the caller's role and the cultivation allow it."""
    prefix = f"t{task.pk}"
    return TaskRow(
        task=task,
        can_upload=(can_upload and task.kind == TaskKind.QUESTION_BANK
                    and task.state in (TaskState.OPEN, TaskState.RETURNED)),
        can_review=can_review and task.kind == TaskKind.QUESTION_BANK and task.state == TaskState.SUBMITTED,
        can_record=can_record and task.kind == TaskKind.EXAM_TRAINING and task.state == TaskState.OPEN,
        upload_form=QuestionBankForm(prefix=prefix), review_form=ReviewForm(prefix=prefix),
        training_form=TrainingForm(prefix=prefix),
    )


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
        rows = {
            item.pk: [_task_row(task, can_upload=is_member and open_for_tasks,
                                can_review=is_provincial and cultivation.is_active,
                                can_record=records_training and open_for_tasks) for task in item.tasks.all()]
            for item in occupations
        }
        accepted = [o for o in occupations if o.state == CultivationOccupationState.ACCEPTED]
        context.update(
            cultivation=cultivation,
            occupations=[(item, rows[item.pk]) for item in occupations],
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
            cultivation, acting_user=self.user, signer_name=data["signer_name"],
            signer_title=data["signer_title"]), _("承诺书已签署，培育任务已开放。"), self.back(cultivation, "#commitment"))


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
    """The organization's question bank for one occupation: the answer lands on the task's row, with the files' names
    and sizes, or the reason they were refused, inside it."""

    allowed_roles = APPLICANT

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_object()
        row, page = f"task-{task.pk}", self.back(task)
        form = QuestionBankForm(request.POST, request.FILES, prefix=f"t{task.pk}")
        if not form.is_valid():
            feedback.row_message(request, row, feedback.form_errors(form), error=True)
            return feedback.to_row(page, row)
        data = form.cleaned_data
        uploads = [data["items"], *([data["documents"]] if data.get("documents") else [])]
        try:
            services.submit_question_bank(task, acting_user=self.user, items=data["items"], documents=uploads[1:],
                                          note=data["note"])
        except DomainError as exc:
            feedback.row_message(request, row, str(exc), error=True)
        else:
            names = _("；").join(feedback.uploaded(u.name or "", u.size or 0) for u in uploads)
            feedback.row_message(request, row, _("%(uploaded)s。试题资源已提交评审。") % {"uploaded": names})
        return feedback.to_row(page, row)


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
            task, acting_user=self.user, accept=accept, reasons=form.cleaned_data["reasons"]),
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
            task, acting_user=self.user, attended_on=form.cleaned_data["attended_on"],
            note=form.cleaned_data["note"]), _("已登记考务培训。"), self.back(task))


class QuestionBankFileDownloadView(_ObjectView):
    """A question-bank file: the organization's own, or the officers' who may see the cultivation."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_question_bank_file(self.access, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        stored = self.get_object()
        services.record_question_bank_download(stored, acting_user=self.user)
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
            filing = services.file_cultivation(cultivation, acting_user=self.user,
                                               occupation_ids=form.cleaned_data["occupations"],
                                               reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(self.back(cultivation, "#file-decision"))
        messages.success(request, _("已作出备案决定，备案编号%(n)s。") % {"n": filing.filing_number})
        return redirect("filings:filing_detail", province=self.province.slug, pk=filing.pk)
