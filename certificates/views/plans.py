"""Exam plan pages: the list with its Excel export, the calendar, creating, editing, sessions and staffing, the plan's buttons."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings.models import Filing
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role, User
from portal.roles import ProvinceAccess, ProvinceView, users_with_role

from .. import rules, selectors, services
from ..access import access_session, scope_plans, scope_staff, scope_venues
from ..forms.exams import (
    PlanCreateForm,
    PlanEditForm,
    PlanFilterForm,
    ReasonForm,
    SessionForm,
    StaffAssignForm,
    VisitForm,
)
from ..models import ExamPlan, OccupationExamRule
from ._common import (
    EVERYONE,
    OFFICERS,
    ORGANIZATION,
    P,
    WithExtras,
    _act,
    _form_errors,
    _live_filing,
    _PlanActionView,
    _PlanView,
)


class PlanListView(ExportableListView):
    """Plans in the caller's scope: the organization's own, a city's filed plans, the province's."""

    allowed_roles = EVERYONE
    template_name = "certificates/plan_list.html"
    export_name = "exam_plans"
    export_title = "考核计划"
    filter_form_class = PlanFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return PlanFilterForm(data, province=access.province)

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_plans(access).select_related("institution", "city", "occupation", "work_type").order_by(
            "-first_session_on", "-pk")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("q"):
            term = data["q"].strip()
            qs = qs.filter(institution__name__icontains=term) | qs.filter(title__icontains=term)
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("city"):
            qs = qs.filter(city=data["city"])
        if data.get("date_from"):
            qs = qs.filter(first_session_on__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(first_session_on__lte=data["date_to"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("计划名称", lambda p: p.title),
            Column("评价机构", lambda p: p.institution.name),
            Column("职业（工种）", lambda p: p.occupation_label),
            Column("等级", lambda p: p.level_labels()),
            Column("考核地市", lambda p: p.city.name if p.city else ""),
            Column("首场日期", lambda p: p.first_session_on),
            Column("末场日期", lambda p: p.last_session_on),
            Column("状态", lambda p: p.get_state_display()),
            Column("版本", lambda p: p.version),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_member"] = self.access.has(Role.INSTITUTION_MEMBER)
        context["filing"] = _live_filing(self.access) if context["is_member"] else None
        return context


class PlanCalendarView(ProvinceView, TemplateView):
    """A month of exam sessions of the plans in the caller's scope (?month=2026-10)."""

    allowed_roles = EVERYONE
    template_name = "certificates/plan_calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in self.request.GET.get("month", "").split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        plans = scope_plans(self.access).exclude(state__in=[P.CANCELLED, P.LAPSED])
        context.update(month=first, weeks=selectors.month_calendar(plans, first.year, first.month),
                       previous=f"{previous:%Y-%m}", following=f"{following:%Y-%m}", today=today,
                       weekdays=[_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")])
        return context


class PlanCreateView(ProvinceView, TemplateView):
    allowed_roles = ORGANIZATION
    template_name = "certificates/plan_create.html"

    def filing(self) -> Filing:
        filing = _live_filing(self.access)
        if filing is None:
            raise Http404
        return filing

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = self.filing()
        levels = {level for line in filing.occupations.all() for level in line.levels}
        context.update(filing=filing, form=kwargs.get("form") or PlanCreateForm(
            filing=filing, initial={"evaluation_process": rules.default_evaluation_process(levels)}))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filing = self.filing()
        form = PlanCreateForm(request.POST, filing=filing)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        line = form.cleaned_data["scope_line"]
        try:
            plan = services.create_plan(
                filing, acting_user=self.user, occupation=line.occupation, work_type=line.work_type,
                levels=[int(x) for x in form.cleaned_data["levels"]], title=form.cleaned_data["title"],
                evaluation_process=form.cleaned_data["evaluation_process"])
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已创建考核计划草稿，请安排场次、考务人员并导入考生名册。"))
        return redirect(services.plan_link(plan))


class PlanDetailView(_PlanView, TemplateView):
    """The plan: sessions with their staff and seats, what stops filing, the actions the caller may take."""

    allowed_roles = EVERYONE
    template_name = "certificates/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        access = self.access
        is_member = plan.institution_id in access.institution_ids()
        officer = access.is_provincial_officer or (plan.city_id is not None and plan.city_id in access.city_ids())
        per_session, _staffing = services.staffing_report(plan)
        editable = is_member and plan.is_editable
        people = scope_staff(access).filter(is_active=True, institution=plan.institution)
        sessions = [WithExtras(s, seated=per_session.get(s.pk, 0),
                               assign_form=StaffAssignForm(session=s, people=people) if editable else None)
                    for s in selectors.plan_sessions(plan)]
        problems: list[str] = []
        if editable:
            try:
                problems = [p.message for p in services.plan_problems(plan)]
            except DomainError as exc:
                problems = [str(exc)]
        context.update(
            plan=plan, sessions=sessions, is_member=is_member, officer=officer, editable=editable,
            problems=problems, roster=selectors.roster_summary(plan), results=selectors.results_summary(plan),
            versions=plan.versions.select_related("filed_by")[:20], visits=plan.visits.select_related("session"),
            history=selectors.history(plan)[:50],
            edit_form=_edit_form(plan) if editable else None,
            session_form=SessionForm(venues=scope_venues(access).filter(is_active=True, institution=plan.institution),
                                     plan_levels=plan.levels) if editable else None,
            reason_form=ReasonForm(),
            visit_form=VisitForm(sessions=plan.sessions.all(), supervisors=_supervisors(plan)) if officer else None,
            can_acknowledge=officer and plan.state == P.FILED,
            can_request_changes=officer and plan.state in (P.FILED, P.ACKNOWLEDGED),
            can_visit=officer and plan.state in (P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING),
            can_amend=is_member and plan.state in (P.FILED, P.ACKNOWLEDGED),
            can_cancel=is_member and plan.state in (P.DRAFT, P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING),
            can_start_results=is_member and plan.state in (P.FILED, P.ACKNOWLEDGED) and services.exam_held(plan),
            results_wait=is_member and plan.state in (P.FILED, P.ACKNOWLEDGED) and not services.exam_held(plan),
            earliest=self._earliest(plan),
        )
        return context

    def _earliest(self, plan: ExamPlan) -> dt.date | None:
        try:
            return services.earliest_allowed_date(plan.province, timezone.localdate())
        except DomainError:
            return None


def _edit_form(plan: ExamPlan) -> PlanEditForm:
    """The plan's edit form; an empty evaluation process is proposed from the plan's levels and occupation."""
    process = plan.evaluation_process or rules.default_evaluation_process(
        plan.levels, rules.figures_for(OccupationExamRule.objects.filter(occupation_id=plan.occupation_id).first()))
    return PlanEditForm(auto_id="edit_%s", initial={
        "title": plan.title, "levels": [str(x) for x in plan.levels], "evaluation_process": process})


class PlanEditView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        form = PlanEditForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.detail_url(plan, "plan-edit"))
        data = form.cleaned_data
        return _act(request, lambda: services.update_plan(
            plan, acting_user=self.user, title=data["title"], levels=[int(x) for x in data["levels"]],
            evaluation_process=data["evaluation_process"]), _("已保存。"), self.detail_url(plan))


class SessionAddView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        form = SessionForm(request.POST, venues=scope_venues(self.access).filter(institution=plan.institution),
                           plan_levels=plan.levels)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.detail_url(plan, "session-add"))
        d = form.cleaned_data
        return _act(request, lambda: services.add_session(
            plan, acting_user=self.user, kind=d["kind"], date=d["date"], start_time=d["start_time"],
            end_time=d["end_time"], venue=d["venue"], room=d["room"], capacity=d["capacity"],
            levels=[int(x) for x in d["levels"]]), _("已添加场次。"), self.detail_url(plan, "sessions"))


class SessionRemoveView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        session = access_session(self.access, plan, kwargs["session_pk"])
        return _act(request, lambda: services.remove_session(session, acting_user=self.user),
                    _("已删除场次。"), self.detail_url(plan, "sessions"))


class SessionStaffView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        session = access_session(self.access, plan, kwargs["session_pk"])
        form = StaffAssignForm(request.POST, session=session,
                               people=scope_staff(self.access).filter(institution=plan.institution, is_active=True))
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.detail_url(plan, f"session-{session.pk}"))
        return _act(request, lambda: services.assign_staff(session, acting_user=self.user,
                                                           staff=list(form.cleaned_data["staff"])),
                    _("已保存场次考务人员。"), self.detail_url(plan, f"session-{session.pk}"))


class FilePlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核计划已报备，等待考核所在地市确认。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.file_plan(plan, acting_user=self.user, reason=reason)


class AmendPlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("已发起变更，修改后请重新报备。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_amendment(plan, acting_user=self.user)


class CancelPlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核计划已取消。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.cancel_plan(plan, acting_user=self.user, reason=reason)


class StartResultsView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核已结束，请录入或导入成绩。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_results(plan, acting_user=self.user)

    def target(self, plan: ExamPlan) -> str:
        return reverse("exams:results", kwargs={"province": plan.province.slug, "pk": plan.pk})


class AcknowledgePlanView(_PlanActionView):
    allowed_roles = OFFICERS
    success = _("已确认考核计划。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.acknowledge_plan(plan, acting_user=self.user, note=reason)


class RequestChangesView(_PlanActionView):
    allowed_roles = OFFICERS
    success = _("已要求机构修改考核计划。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.request_plan_changes(plan, acting_user=self.user, note=reason)


def _supervisors(plan: ExamPlan) -> QuerySet[User]:
    """The quality supervisors of the plan's province, whom a visit can be given to."""
    ids = [u.pk for u in users_with_role(plan.province, Role.QUALITY_SUPERVISOR)]
    return User.objects.filter(pk__in=ids).order_by("username")


class ScheduleVisitView(_PlanView):
    allowed_roles = OFFICERS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        form = VisitForm(request.POST, sessions=plan.sessions.all(), supervisors=_supervisors(plan))
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.detail_url(plan, "visits"))
        d = form.cleaned_data
        return _act(request, lambda: services.schedule_visit(
            plan, acting_user=self.user, visit_on=d["visit_on"], inspector=d["inspector"],
            session=d["session"], note=d["note"], supervisor=d["supervisor"]), _("已安排督导检查。"), self.detail_url(plan, "visits"))
