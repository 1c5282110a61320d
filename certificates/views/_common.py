"""Helpers shared by the pages: the roles, running a service with its message, the plan and certificate bases."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from filings.access import scope_filings
from filings.models import Filing, FilingStatus
from portal.errors import DomainError
from portal.models import Role
from portal.punctuation import clauses
from portal.roles import ProvinceAccess, ProvinceView
from portal.text import plain

from .. import services
from ..access import access_certificate, access_own_plan, access_plan
from ..models import Certificate, ExamPlan, PlanState

P = PlanState
EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
ORGANIZATION: tuple[str, ...] = (Role.INSTITUTION_MEMBER,)
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
        text = clauses(errors)
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
        reason = plain(request.POST.get("reason", ""))
        return _act(request, lambda: self.act(plan, reason), str(self.success), self.target(plan))


def _act_on(request: HttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


class _CertificateView(ProvinceView):
    allowed_roles: tuple[str, ...] = EVERYONE

    def get_certificate(self) -> Certificate:
        return access_certificate(self.access, self.kwargs["pk"])

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_certificate()
        return super().http_method_not_allowed(request, *args, **kwargs)


class WithExtras:
    """A model instance as a template sees it, with a few values of the page beside its own fields (a form, a count),
    so that nothing is set on the instance itself."""

    def __init__(self, obj: Any, **extras: Any) -> None:
        self._obj = obj
        self.__dict__.update(extras)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)
