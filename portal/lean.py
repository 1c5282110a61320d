"""A shorter middleware chain for the public lookup's anonymous visitors.

The certificate lookup (the page and the API) is what most people touch, and almost all of them come without a
session. Part of the middleware chain does something only for a session: sessions, sign-in, two-factor, the idle
timeout, messages and login lockouts (and static files, which no lookup path serves). A request to one of
settings.LEAN_PATHS that carries neither a session cookie nor a messages cookie skips them; every other middleware
runs as on any page: security headers, CSP, X-Frame-Options, CSRF, the language, replica routing. The visitor is
the anonymous user AuthenticationMiddleware would have given them. A request with either cookie (a signed-in
officer looking a certificate up) takes the whole chain.

Measured: about 170 µs of a page lookup's 1.7 ms in one process (docs/performance.md). The responses are those of
the whole chain (tests/portal/test_lean_path.py compares them request by request).

portal.wsgi serves both chains in each process: `dispatch(full, lean)` picks one per request.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse

# Middleware that only acts for a session or a signed-in user, or serves static files: skipped on the lean chain.
SESSION_BOUND = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.twofactor.TwoFactorGuard",
    "portal.twofactor.IdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
})
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
ANONYMOUS = "portal.lean.AnonymousVisitorMiddleware"


class AnonymousVisitorMiddleware:
    """request.user for a request with no session: the anonymous user, as AuthenticationMiddleware gives it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        return self.get_response(request)


def lean_middleware(middleware: Iterable[str] | None = None) -> list[str]:
    """settings.MIDDLEWARE without what needs a session, the anonymous visitor where authentication was. Middleware
    added to the project later runs on the lean chain too unless it is named in SESSION_BOUND."""
    chain = []
    for path in settings.MIDDLEWARE if middleware is None else middleware:
        if path == AUTHENTICATION:
            chain.append(ANONYMOUS)
        if path not in SESSION_BOUND:
            chain.append(path)
    return chain


def takes_lean_path(environ: dict[str, Any]) -> bool:
    """A request to a lean path with neither a session nor a messages cookie. Cookie names are looked for as text:
    a cookie whose name merely ends with one of them sends the request the whole way, which is always right."""
    if environ.get("PATH_INFO") not in settings.LEAN_PATHS:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return f"{settings.SESSION_COOKIE_NAME}=" not in cookies and "messages=" not in cookies


class LeanWSGIHandler(WSGIHandler):
    """Django's WSGI handler with the lean chain. BaseHandler.load_middleware reads settings.MIDDLEWARE, so the lean
    list stands in for it while the chain is built (once, when the process starts, before any request)."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = lean_middleware(full)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def dispatch(full: Callable[..., Any], lean: Callable[..., Any]) -> Callable[..., Any]:
    """The WSGI application: each request to the chain it needs."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return (lean if takes_lean_path(environ) else full)(environ, start_response)

    return application
