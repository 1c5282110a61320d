"""Typed requests: what a view behind a login, and one under /<province>/, may rely on being set."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User
    from .roles import ProvinceAccess


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user is logged in (`ProvinceView`, `AuthenticatedView`); `access` is set under /<province>/.

    Only for type checking: Django builds the request; the views' role checks make these attributes true.
    """

    user: "User"  # type: ignore[assignment]  # narrows HttpRequest.user (User | AnonymousUser) after the login check
    access: "ProvinceAccess"
