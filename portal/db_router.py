"""Reads of the public pages from a read replica (DATABASE_REPLICA_URL); everything else, and every write, on the primary.

`ReplicaReadsMiddleware` marks a request whose view is a public read (the lookup, the verify API, the catalog, the
public notices) and `ReplicaRouter` sends that request's ORM reads to the "replica" database. A request that writes
through the ORM sets a cookie that pins its browser's next requests to the primary for REPLICA_PIN_SECONDS, so a
person reads their own writes even when the replica lags. A replica that does not answer is skipped for
REPLICA_RETRY_SECONDS and the read goes to the primary: the public pages keep answering without it.
"""

import contextvars
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

__all__ = ["REPLICA", "ReplicaReadsMiddleware", "ReplicaRouter", "replica_configured"]

REPLICA = "replica"
PIN_COOKIE = "portal_primary"
# Views whose reads may come from the replica: any method for the lookups (they write only the lookup log, by raw
# SQL or through Redis, always on the primary); GET/HEAD for the catalog and the notices.
LOOKUP_NAMESPACES = frozenset({"verify"})
LOOKUP_VIEWS = frozenset({"api_certificate_lookup", "api_certificate_verify_payload"})
READ_VIEWS = frozenset({"catalog", "api_catalog", "public_notices", "public_notice", "api_public_notices",
                        "api_public_notice"})


class _Request:
    """What the router knows of the request being served."""

    __slots__ = ("replica", "wrote")

    def __init__(self) -> None:
        self.replica = False
        self.wrote = False


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("portal_db_request", default=None)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _replica_answers() -> bool:
    """Whether the replica can serve a read now (once per request, the connection's health check); a replica that
    failed is not tried again for REPLICA_RETRY_SECONDS."""
    global _down_until  # one process-wide back-off
    if time.monotonic() < _down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as exc:
        _down_until = time.monotonic() + float(getattr(settings, "REPLICA_RETRY_SECONDS", 5))
        logger.warning("read replica unavailable, reading from the primary: %s", exc)
        replica.close()
        return False
    return True


class ReplicaRouter:
    """Public reads to the replica while it answers; everything else to the primary ("default")."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        state = _current.get()
        if state is None or not state.replica or state.wrote or not replica_configured():
            return None
        return REPLICA if _replica_answers() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        state = _current.get()
        if state is not None:
            state.wrote = True  # this request's later reads, and its browser's next ones, go to the primary
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _reads_public(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    if match.namespace in LOOKUP_NAMESPACES or match.url_name in LOOKUP_VIEWS:
        return True
    return match.url_name in READ_VIEWS and request.method in ("GET", "HEAD")


class ReplicaReadsMiddleware:
    """Marks public reads for the router and pins a browser that just wrote to the primary (a cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        state = _Request()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            response.set_cookie(PIN_COOKIE, "1", max_age=int(getattr(settings, "REPLICA_PIN_SECONDS", 10)),
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        state = _current.get()
        if state is not None and PIN_COOKIE not in request.COOKIES and _reads_public(request):
            state.replica = True
