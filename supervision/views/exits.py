"""Exit and suspension pages: the filings' lifecycle for officers and the organization, ordering, requesting and
confirming an exit, wrap-up tasks with evidence, the termination notice, suspending and resuming; lists with Excel."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from filings.access import access_filing, scope_filings
from filings.models import Filing, FilingStatus
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import services
from ..access import access_exit, access_suspension, scope_exits, scope_suspensions
from ..forms_exits import (
    ExitFilterForm,
    OptionalReasonForm,
    OrderExitForm,
    ReasonForm,
    SuspendForm,
    SuspensionFilterForm,
    VoluntaryExitForm,
    WrapUpTaskForm,
)
from ..models import ExitState, FilingExit, Suspension, SuspensionState
from ._forms import show_error

EVERYONE = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.INSTITUTION_MEMBER)
PROVINCE = (Role.PROVINCIAL_OFFICER,)
MEMBER = (Role.INSTITUTION_MEMBER,)


class LifecycleView(ProvinceView):
    """备案存续管理: the filings in scope with their status and validity, and what each may do next."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        filings = (scope_filings(self.access).exclude(status=FilingStatus.TERMINATED)
                   .select_related("institution", "city").order_by("valid_until", "pk"))
        return render(request, "supervision/lifecycle.html", {
            "province": self.province, "filings": filings[:200], "today": timezone.localdate(),
            "is_province": self.access.has(Role.PROVINCIAL_OFFICER),
            "is_member": self.access.has(Role.INSTITUTION_MEMBER)})


class _FilingFormView(ProvinceView):
    """A form about one filing in scope, run through one service; on success, to the object it made."""

    template_name = "supervision/filing_action.html"
    form_class: type[forms.Form]
    title: Any = ""

    def context(self, filing: Filing) -> dict[str, Any]:
        return {}

    def act(self, filing: Filing, data: dict[str, Any]) -> tuple[str, str]:
        raise NotImplementedError

    def _render(self, request: HttpRequest, filing: Filing, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, {"province": self.province, "filing": filing, "form": form,
                                                    "title": self.title, **self.context(filing)})

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_filing(self.access, pk), self.form_class())

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        filing = access_filing(self.access, pk)
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message, url = self.act(filing, form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, message)
                return redirect(url)
        return self._render(request, filing, form)


class VoluntaryExitView(_FilingFormView):
    allowed_roles = MEMBER
    form_class = VoluntaryExitForm
    title = gettext_lazy("申请自愿退出")

    def context(self, filing: Filing) -> dict[str, Any]:
        today = timezone.localdate()
        earliest = services.earliest_voluntary_exit(filing.province, today)
        return {"lead": gettext("须提前%(n)d日提交书面退出申请，最早可申请的退出日期：%(day)s。提交后不再受理新的考核计划；"
                                "退出日起完成证书数据上报和资料归档，经省级确认后终止评价活动。") % {
                                    "n": (earliest - today).days, "day": earliest.isoformat()}}

    def act(self, filing: Filing, data: dict[str, Any]) -> tuple[str, str]:
        filing_exit = services.request_voluntary_exit(filing, acting_user=self.user, exit_on=data["exit_on"],
                                                      reason=data["reason"])
        return gettext("退出申请已提交。"), _exit_url(filing_exit)


class OrderExitView(_FilingFormView):
    allowed_roles = PROVINCE
    form_class = OrderExitForm
    title = gettext_lazy("责令终止评价活动")

    def context(self, filing: Filing) -> dict[str, Any]:
        return {"lead": gettext("责令退出后：机构立即进入退出程序，尚未举行的考核计划即时取消并通知机构和地市，同时发布退出公告。")}

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        initial = {k: request.GET.get(k, "") for k in ("proposal_type", "proposal_id")}
        return self._render(request, access_filing(self.access, pk), self.form_class(initial=initial))

    def act(self, filing: Filing, data: dict[str, Any]) -> tuple[str, str]:
        filing_exit = services.order_exit(filing, acting_user=self.user, reason=data["reason"],
                                          evidence=data["evidence"], proposal_type=data.get("proposal_type") or "",
                                          proposal_id=data.get("proposal_id") or "")
        return gettext("已责令终止评价活动，公告已发布。"), _exit_url(filing_exit)


class SuspendView(_FilingFormView):
    allowed_roles = PROVINCE
    form_class = SuspendForm
    title = gettext_lazy("暂停备案")

    def context(self, filing: Filing) -> dict[str, Any]:
        return {"lead": gettext("暂停期间机构不得报备考核计划、不得颁发证书；到期次日自动恢复，也可提前决定恢复。")}

    def act(self, filing: Filing, data: dict[str, Any]) -> tuple[str, str]:
        suspension = services.suspend(filing, acting_user=self.user, reason=data["reason"], ends_on=data["ends_on"])
        return gettext("备案已暂停。"), _suspension_url(suspension)


def _exit_url(filing_exit: FilingExit) -> str:
    return reverse("supervision:exit_detail", kwargs={"province": filing_exit.province.slug, "pk": filing_exit.pk})


def _suspension_url(suspension: Suspension) -> str:
    return reverse("supervision:suspension_detail", kwargs={"province": suspension.province.slug, "pk": suspension.pk})


class ExitListView(ExportableListView):
    """机构退出: every exit in scope, by state and kind, overdue wrap-ups marked; Excel export."""

    allowed_roles = EVERYONE
    template_name = "supervision/exit_list.html"
    export_name = "supervision_exits"
    export_title = "机构退出"
    filter_form_class = ExitFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_exits(access).select_related("filing__institution", "filing__city").order_by("-requested_on", "-id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("overdue"):
            qs = qs.filter(state=ExitState.WRAPPING_UP, wrap_up_due_on__lt=timezone.localdate())
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("评价机构"), lambda e: e.filing.institution.name),
            Column(gettext("备案编号"), lambda e: e.filing.filing_number),
            Column(gettext("退出类型"), lambda e: e.get_kind_display()),
            Column(gettext("状态"), lambda e: e.get_state_display()),
            Column(gettext("申请（决定）日期"), lambda e: e.requested_on),
            Column(gettext("退出日期"), lambda e: e.exit_on),
            Column(gettext("收尾截止日期"), lambda e: e.wrap_up_due_on),
            Column(gettext("收尾逾期"), lambda e: gettext("是") if e.is_overdue() else ""),
            Column(gettext("终止日期"), lambda e: e.terminated_on),
            Column(gettext("通知书文号"), lambda e: e.notice_number),
            Column(gettext("理由"), lambda e: e.reason),
        ]


class ExitDetailView(ProvinceView):
    """One exit: its dates, reason, wrap-up tasks (the organization uploads evidence), announcement, cancelled plans,
    the province's confirmation and the termination notice."""

    allowed_roles = EVERYONE

    def _render(self, request: HttpRequest, filing_exit: FilingExit, **forms_: Any) -> HttpResponse:
        member = self.access.has(Role.INSTITUTION_MEMBER)
        is_open = filing_exit.state in (ExitState.REQUESTED, ExitState.WRAPPING_UP)
        return render(request, "supervision/exit_detail.html", {
            "province": self.province, "exit": filing_exit, "filing": filing_exit.filing,
            "tasks": [(t, forms_.get(f"task_{t.pk}") or WrapUpTaskForm(prefix=f"task-{t.pk}"))
                      for t in filing_exit.tasks.all()],
            "can_tick": member and is_open, "can_withdraw": member and filing_exit.state == ExitState.REQUESTED,
            "can_confirm": self.access.has(Role.PROVINCIAL_OFFICER) and filing_exit.state == ExitState.WRAPPING_UP,
            "confirm_form": forms_.get("confirm") or OptionalReasonForm(prefix="confirm"),
            "withdraw_form": forms_.get("withdraw") or ReasonForm(prefix="withdraw"),
            "overdue": filing_exit.is_overdue()})

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_exit(self.access, pk))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        filing_exit = access_exit(self.access, pk)
        action = request.POST.get("action", "")
        form: forms.Form
        act: tuple[Callable[[dict[str, Any]], object], str]
        if action.startswith("task-"):
            task = get_object_or_404(filing_exit.tasks, pk=int(action.removeprefix("task-") or 0))
            form, key = WrapUpTaskForm(request.POST, request.FILES, prefix=f"task-{task.pk}"), f"task_{task.pk}"
            act = (lambda d: services.complete_wrap_up_task(task, acting_user=self.user, evidence=d["evidence"],
                                                            note=d["note"]), gettext("收尾事项已提交。"))
        elif action == "confirm":
            form, key = OptionalReasonForm(request.POST, prefix="confirm"), "confirm"
            act = (lambda d: services.confirm_exit(filing_exit, acting_user=self.user, reason=d["reason"]),
                   gettext("已确认终止，终止评价活动通知书已出具。"))
        else:
            form, key = ReasonForm(request.POST, prefix="withdraw"), "withdraw"
            act = (lambda d: services.withdraw_voluntary_exit(filing_exit, acting_user=self.user,
                                                              reason=d["reason"]), gettext("退出申请已撤回。"))
        if form.is_valid():
            try:
                act[0](form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, act[1])
                return redirect("supervision:exit_detail", province=province, pk=pk)
        return self._render(request, filing_exit, **{key: form})


class TerminationNoticeView(ProvinceView):
    """The termination notice (终止评价活动通知书) PDF; rendered now if the task has not run yet (once, stored)."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponseBase:
        filing_exit = access_exit(self.access, pk)
        if filing_exit.state != ExitState.TERMINATED:
            return HttpResponse(gettext("终止评价活动通知书尚未出具。"), status=404)
        if not filing_exit.notice_pdf:
            services.render_termination_notice(filing_exit.pk)
            filing_exit.refresh_from_db()
        return FileResponse(filing_exit.notice_pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"终止评价活动通知书-{filing_exit.notice_number}.pdf")


class SuspensionListView(ExportableListView):
    """暂停: every suspension in scope with its period and how it ended; Excel export."""

    allowed_roles = EVERYONE
    template_name = "supervision/suspension_list.html"
    export_name = "supervision_suspensions"
    export_title = "备案暂停"
    filter_form_class = SuspensionFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_suspensions(access).select_related("filing__institution").order_by("-starts_on", "-id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(state=data["state"]) if data.get("state") else qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("评价机构"), lambda s: s.filing.institution.name),
            Column(gettext("备案编号"), lambda s: s.filing.filing_number),
            Column(gettext("暂停起始日"), lambda s: s.starts_on),
            Column(gettext("暂停截止日"), lambda s: s.ends_on),
            Column(gettext("状态"), lambda s: s.get_state_display()),
            Column(gettext("恢复日期"), lambda s: s.ended_on),
            Column(gettext("结束方式"), lambda s: s.get_ended_how_display()),
            Column(gettext("暂停理由"), lambda s: s.reason),
        ]


class SuspensionDetailView(ProvinceView):
    """One suspension: its period and reason; the province may resume the filing early with a reason."""

    allowed_roles = EVERYONE

    def _render(self, request: HttpRequest, suspension: Suspension, form: forms.Form) -> HttpResponse:
        return render(request, "supervision/suspension_detail.html", {
            "province": self.province, "suspension": suspension, "form": form,
            "can_resume": self.access.has(Role.PROVINCIAL_OFFICER) and suspension.state == SuspensionState.IN_FORCE})

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_suspension(self.access, pk), ReasonForm())

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        suspension = access_suspension(self.access, pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.resume(suspension, acting_user=self.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("备案已恢复有效。"))
                return redirect("supervision:suspension_detail", province=province, pk=pk)
        return self._render(request, suspension, form)
