"""What the pages of filings share: running a service behind a form, role groups, the one-object page base."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from portal.errors import DomainError
from portal.models import Role
from portal.punctuation import clauses
from portal.roles import ProvinceView

from ..models import ApplicationState

S = ApplicationState
APPLICANT = (Role.INSTITUTION_MEMBER,)
EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
PROVINCE = (Role.PROVINCIAL_OFFICER,)


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
        text = clauses(errors)
        messages.error(request, f"{label}：{text}" if label else text)


class _ObjectView(ProvinceView):
    """A page about one object: the object is looked up (in the caller's scope) before anything else, so that an id
    the caller cannot reach is a 404 whatever the method, never a 405 that would tell it exists."""

    def get_object(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


def _pdf_response(file: Any, filename: str) -> HttpResponseBase:
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
