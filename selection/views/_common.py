"""Helpers shared by selection's pages: the role tuples, running a service with a message, POST-only actions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from filings import selectors as filing_selectors
from portal.errors import DomainError
from portal.models import Province, Role
from portal.roles import ProvinceView

PROVINCIAL = (Role.PROVINCIAL_OFFICER,)
EXPERT = (Role.EXPERT,)


def act(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a service; show its refusal as a message (nothing was changed) or the success message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(target)


class ObjectAction(ProvinceView):
    """A POST-only action on one object. Any other method resolves the object first, so that an object the caller
    cannot reach answers 404 whatever the method, and one they can reach 405."""

    def load(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load()
        return super().http_method_not_allowed(request, *args, **kwargs)


def category_labels(province: Province) -> dict[str, str]:
    return {k: str(v) for k, v in filing_selectors.pack_for(province).category_choices()}
