"""Pages of the exam pipeline: the organization's plans, sessions, staff, rosters and results; the officers' list,
calendar, acknowledgement and review. Thin: parse, call certificates.services, show the outcome."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
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

from filings.access import scope_filings
from filings.models import Filing, FilingStatus
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Occupation, Role
from portal.roles import ProvinceAccess, ProvinceView

from . import imports, rules, selectors, services
from .access import (
    access_candidate,
    access_own_plan,
    access_plan,
    access_result_objection,
    access_session,
    scope_plans,
    scope_staff,
    scope_venues,
)
from .forms import (
    ObjectionAnswerForm,
    PlanCreateForm,
    PlanEditForm,
    PlanFilterForm,
    ReasonForm,
    ResultEntryForm,
    ResultsUploadForm,
    RosterUploadForm,
    SessionForm,
    StaffAssignForm,
    StaffForm,
    VenueForm,
    VisitForm,
)
from .models import ExamPlan, PlanState

P = PlanState
EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
ORGANIZATION = (Role.INSTITUTION_MEMBER,)
OFFICERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
MAX_ERRORS_SHOWN = 200


def _act(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a service; show its refusal (nothing was changed) or the success message."""
    try:
        action()
    except services.PlanRefused as exc:
        messages.error(request, _("考核计划不能报备："))
        for problem in exc.problems:
            messages.error(request, problem)
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


def _live_filing(access: ProvinceAccess) -> Filing | None:
    return (scope_filings(access).filter(institution_id__in=access.institution_ids())
            .exclude(status=FilingStatus.TERMINATED).select_related("institution", "province").first())


class _PlanView(ProvinceView):
    """A page about one plan: the plan is looked up in the caller's scope before anything else (404 otherwise)."""

    own_only = False

    def get_plan(self) -> ExamPlan:
        if self.own_only:
            return access_own_plan(self.access, self.kwargs["pk"])
        return access_plan(self.access, self.kwargs["pk"])

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_plan()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def detail_url(self, plan: ExamPlan, anchor: str = "") -> str:
        return services.plan_link(plan) + (f"#{anchor}" if anchor else "")


# --- lists and the calendar ---

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


# --- the organization: creating a plan ---

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
        context.update(filing=filing, form=kwargs.get("form") or PlanCreateForm(filing=filing))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filing = self.filing()
        form = PlanCreateForm(request.POST, filing=filing)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        line = form.cleaned_data["scope_line"]
        try:
            plan = services.create_plan(
                filing, acting_user=request.user, occupation=line.occupation, work_type=line.work_type,  # type: ignore[arg-type]
                levels=[int(x) for x in form.cleaned_data["levels"]], title=form.cleaned_data["title"],
                evaluation_process=form.cleaned_data["evaluation_process"])
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已创建考核计划草稿，请安排场次、考务人员并导入考生名册。"))
        return redirect(services.plan_link(plan))


# --- one plan ---

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
        sessions = selectors.plan_sessions(plan)
        per_session, _staffing = services.staffing_report(plan)
        for s in sessions:
            s.seated = per_session.get(s.pk, 0)  # type: ignore[attr-defined]
        editable = is_member and plan.is_editable
        people = scope_staff(access).filter(is_active=True, institution=plan.institution)
        if editable:
            for s in sessions:
                s.assign_form = StaffAssignForm(session=s, people=people)  # type: ignore[attr-defined]
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
            edit_form=PlanEditForm(initial={"title": plan.title, "levels": [str(x) for x in plan.levels],
                                            "evaluation_process": plan.evaluation_process}) if editable else None,
            session_form=SessionForm(venues=scope_venues(access).filter(is_active=True, institution=plan.institution),
                                     plan_levels=plan.levels) if editable else None,
            reason_form=ReasonForm(),
            visit_form=VisitForm(sessions=plan.sessions.all()) if officer else None,
            can_acknowledge=officer and plan.state == P.FILED,
            can_request_changes=officer and plan.state in (P.FILED, P.ACKNOWLEDGED),
            can_visit=officer and plan.state in (P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING),
            can_amend=is_member and plan.state in (P.FILED, P.ACKNOWLEDGED),
            can_cancel=is_member and plan.state in (P.DRAFT, P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING),
            can_start_results=is_member and plan.state in (P.FILED, P.ACKNOWLEDGED),
            earliest=self._earliest(plan),
        )
        return context

    def _earliest(self, plan: ExamPlan) -> dt.date | None:
        try:
            return services.earliest_allowed_date(plan.province, timezone.localdate())
        except DomainError:
            return None


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
            plan, acting_user=request.user, title=data["title"], levels=[int(x) for x in data["levels"]],  # type: ignore[arg-type]
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
            plan, acting_user=request.user, kind=d["kind"], date=d["date"], start_time=d["start_time"],  # type: ignore[arg-type]
            end_time=d["end_time"], venue=d["venue"], room=d["room"], capacity=d["capacity"],
            levels=[int(x) for x in d["levels"]]), _("已添加场次。"), self.detail_url(plan, "sessions"))


class SessionRemoveView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        session = access_session(self.access, plan, kwargs["session_pk"])
        return _act(request, lambda: services.remove_session(session, acting_user=request.user),  # type: ignore[arg-type]
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
        return _act(request, lambda: services.assign_staff(session, acting_user=request.user,  # type: ignore[arg-type]
                                                           staff=list(form.cleaned_data["staff"])),
                    _("已保存场次考务人员。"), self.detail_url(plan, f"session-{session.pk}"))


class _PlanActionView(_PlanView):
    """A button on the plan page: one service call, with an optional reason."""

    success = ""
    anchor = ""

    def act(self, plan: ExamPlan, reason: str) -> Any:
        raise NotImplementedError

    def target(self, plan: ExamPlan) -> str:
        return self.detail_url(plan, self.anchor)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        reason = request.POST.get("reason", "")
        return _act(request, lambda: self.act(plan, reason), str(self.success), self.target(plan))


class FilePlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核计划已报备，等待考核所在地市确认。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.file_plan(plan, acting_user=self.request.user, reason=reason)  # type: ignore[arg-type]


class AmendPlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("已发起变更，修改后请重新报备。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_amendment(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class CancelPlanView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核计划已取消。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.cancel_plan(plan, acting_user=self.request.user, reason=reason)  # type: ignore[arg-type]


class StartResultsView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("考核已结束，请录入或导入成绩。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]

    def target(self, plan: ExamPlan) -> str:
        return reverse("certificates:results", kwargs={"province": plan.province.slug, "pk": plan.pk})


class AcknowledgePlanView(_PlanActionView):
    allowed_roles = OFFICERS
    success = _("已确认考核计划。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.acknowledge_plan(plan, acting_user=self.request.user, note=reason)  # type: ignore[arg-type]


class RequestChangesView(_PlanActionView):
    allowed_roles = OFFICERS
    success = _("已要求机构修改考核计划。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.request_plan_changes(plan, acting_user=self.request.user, note=reason)  # type: ignore[arg-type]


class ScheduleVisitView(_PlanView):
    allowed_roles = OFFICERS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        form = VisitForm(request.POST, sessions=plan.sessions.all())
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(self.detail_url(plan, "visits"))
        d = form.cleaned_data
        return _act(request, lambda: services.schedule_visit(
            plan, acting_user=request.user, visit_on=d["visit_on"], inspector=d["inspector"],  # type: ignore[arg-type]
            session=d["session"], note=d["note"]), _("已安排督导检查。"), self.detail_url(plan, "visits"))


# --- the roster ---

class RosterView(_PlanView, TemplateView):
    """The roster and its import: a bad row stores nothing; every bad row is listed with its line and reason."""

    allowed_roles = EVERYONE
    template_name = "certificates/roster.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        is_member = plan.institution_id in self.access.institution_ids()
        candidates = plan.candidates.order_by("line")
        context.update(plan=plan, is_member=is_member, can_import=is_member and plan.is_editable,
                       form=kwargs.get("form") or RosterUploadForm(), candidates=candidates[:500],
                       total=candidates.count(), row_errors=kwargs.get("row_errors", []),
                       warnings=kwargs.get("warnings", []), error_count=kwargs.get("error_count", 0))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            result = services.import_roster(plan, acting_user=request.user, content=upload.read(),  # type: ignore[arg-type]
                                            filename=upload.name or "",
                                            confirm_certified=form.cleaned_data["confirm_certified"])
        except services.RowsRejected as exc:
            form.add_error(None, str(exc))
            key = "warnings" if exc.code == services.Codes.ROSTER_CONFIRM else "row_errors"
            return self.render_to_response(self.get_context_data(
                form=form, error_count=len(exc.errors), **{key: exc.errors[:MAX_ERRORS_SHOWN]}), status=400)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已导入考生%(n)d人。") % {"n": result.count})
        return redirect(reverse("certificates:roster", kwargs={"province": plan.province.slug, "pk": plan.pk}))


class RosterTemplateView(ProvinceView):
    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = imports.template_csv(imports.ROSTER_COLUMNS, ["张三", "居民身份证", "370102199001011234", "男",
                                                               "13912345678", "中式烹调师", "四级/中级工", "2026年第1期"])
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
        return response


class ResultsTemplateView(ProvinceView):
    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = imports.template_csv(imports.RESULT_COLUMNS, ["张三", "370102199001011234", "75", "缺考", ""])
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="results-template.csv"'
        return response


# --- results ---

class ResultsView(_PlanView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "certificates/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        is_member = plan.institution_id in self.access.institution_ids()
        can_enter = is_member and plan.state in (P.RESULTS_ENTRY, P.RESULTS_RETURNED)
        candidates = list(plan.candidates.order_by("line")[:1000])
        if can_enter:
            for c in candidates:
                c.entry_form = ResultEntryForm(prefix=f"c{c.pk}", initial={  # type: ignore[attr-defined]
                    "theory": c.theory_label, "practical": c.practical_label,
                    "review": c.review_label if c.needs_review else ""})
        objections = list(selectors.plan_objections(plan))
        for o in objections:
            o.answer_form = ObjectionAnswerForm(prefix=f"o{o.pk}")  # type: ignore[attr-defined]
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
            count = services.import_results(plan, acting_user=request.user, content=upload.read(),  # type: ignore[arg-type]
                                            filename=upload.name or "", reason=form.cleaned_data["reason"])
        except services.RowsRejected as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(
                form=form, row_errors=exc.errors[:MAX_ERRORS_SHOWN], error_count=len(exc.errors)), status=400)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已导入%(n)d名考生的成绩。") % {"n": count})
        return redirect(reverse("certificates:results", kwargs={"province": plan.province.slug, "pk": plan.pk}))


def _score(text: str) -> tuple[Decimal | None, bool]:
    score, absent, problem = imports.parse_score(text)
    if problem:
        raise DomainError(problem, code=services.Codes.RESULTS_INVALID)
    return score, absent


class ResultEntryView(_PlanView):
    allowed_roles = ORGANIZATION
    own_only = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        candidate = access_candidate(self.access, plan, kwargs["candidate_pk"])
        form = ResultEntryForm(request.POST, prefix=f"c{candidate.pk}")
        target = reverse("certificates:results", kwargs={"province": plan.province.slug, "pk": plan.pk})
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(target)
        d = form.cleaned_data

        def act() -> Any:
            theory, practical, review = _score(d["theory"]), _score(d["practical"]), _score(d["review"])
            return services.enter_result(candidate, acting_user=request.user, reason=d["reason"],  # type: ignore[arg-type]
                                         scores=rules.Scores(candidate.level, *theory, *practical, *review))

        return _act(request, act, _("已保存%(name)s的成绩。") % {"name": candidate.name}, target + f"#c{candidate.pk}")


class PublishResultsView(_PlanActionView):
    allowed_roles = ORGANIZATION
    own_only = True
    success = _("已发布结果公示。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.publish_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]

    def target(self, plan: ExamPlan) -> str:
        return reverse("certificates:results", kwargs={"province": plan.province.slug, "pk": plan.pk})


class ResubmitResultsView(PublishResultsView):
    success = _("已重新提交。")

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.resubmit_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class ObjectionAnswerView(ProvinceView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objection = access_result_objection(self.access, kwargs["pk"])
        plan = ExamPlan.objects.get(publicity_notice_id=objection.notice_id)
        target = reverse("certificates:results", kwargs={"province": plan.province.slug, "pk": plan.pk})
        form = ObjectionAnswerForm(request.POST, prefix=f"o{objection.pk}")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(target)
        return _act(request, lambda: services.answer_objection(
            objection, acting_user=request.user, upheld=form.cleaned_data["upheld"],  # type: ignore[arg-type]
            resolution=form.cleaned_data["resolution"]), _("已答复异议。"), target + "#objections")


# --- the review ---

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
        reason = request.POST.get("reason", "")
        target = reverse("certificates:review", kwargs={"province": plan.province.slug, "pk": plan.pk})
        if request.POST.get("decision") == "return":
            return _act(request, lambda: services.return_results(plan, acting_user=request.user, reason=reason),  # type: ignore[arg-type]
                        _("已退回机构修改。"), target)
        return _act(request, lambda: services.approve_results(plan, acting_user=request.user, note=reason),  # type: ignore[arg-type]
                    _("审核通过。"), target)


# --- the organization's venues and staff ---

class VenueListView(ProvinceView, TemplateView):
    allowed_roles = ORGANIZATION
    template_name = "certificates/venues.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(venues=scope_venues(self.access).select_related("city"),
                       form=kwargs.get("form") or VenueForm(province=self.province))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = VenueForm(request.POST, province=self.province)
        filing = _live_filing(self.access)
        if not form.is_valid() or filing is None:
            if filing is None:
                form.add_error(None, _("本机构尚无有效备案。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        d = form.cleaned_data
        return _act(request, lambda: services.create_venue(filing.institution, acting_user=request.user,  # type: ignore[arg-type]
                                                           name=d["name"], address=d["address"], city=d["city"]),
                    _("已添加考核场所。"), reverse("certificates:venues", kwargs={"province": self.province.slug}))


class StaffListView(ProvinceView, TemplateView):
    allowed_roles = ORGANIZATION
    template_name = "certificates/staff.html"

    def occupations(self) -> QuerySet[Occupation]:
        filing = _live_filing(self.access)
        if filing is None:
            return Occupation.objects.none()
        return Occupation.objects.filter(pk__in=filing.occupations.values("occupation_id"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(staff=scope_staff(self.access).prefetch_related("qualifications__occupation"),
                       form=kwargs.get("form") or StaffForm(occupations=self.occupations()))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StaffForm(request.POST, occupations=self.occupations())
        filing = _live_filing(self.access)
        if not form.is_valid() or filing is None:
            if filing is None:
                form.add_error(None, _("本机构尚无有效备案。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        d = form.cleaned_data
        qualifications = []
        if d["occupation"] is not None and d["levels"]:
            qualifications = [services.Qualification(d["occupation"], tuple(int(x) for x in d["levels"]))]
        try:
            services.create_staff(filing.institution, acting_user=request.user, name=d["name"],  # type: ignore[arg-type]
                                  id_number=d["id_number"], duty=d["duty"],
                                  certificate_number=d["certificate_number"], qualifications=qualifications)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已添加考务人员%(name)s。") % {"name": d["name"]})
        return redirect(reverse("certificates:staff", kwargs={"province": self.province.slug}))
