"""When the database does not answer: a 503 with a Chinese message and a stable code, never a traceback or a hang.

Django's 500 handler is this module's `server_error`. A failure to reach the database — connection refused or
lost, the server shutting down or starting up — raised anywhere in a request (a view, DRF's authentication, a
middleware reading the session) answers 503 with Retry-After: JSON {"code": "database_unavailable", "detail"} under
/api/, a plain page elsewhere (rendered without the database), logged as one warning line. Every other error keeps
the 500 page. Persistent connections are checked before each request reuses them (CONN_HEALTH_CHECKS) and a connect
gives up after a few seconds (connect_timeout), so the node recovers by itself once PostgreSQL is back.
"""

import sys
from typing import TypeGuard

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.log import log_response
from django.utils.translation import get_language, gettext as _
from django.views import defaults

from .errors import Codes

RETRY_AFTER_SECONDS = 30
# SQLSTATE classes of a server that is away: 08 connection exception; 57P01-57P03 shutting down, crashed, starting.
UNAVAILABLE_SQLSTATES = ("08", "57P")


def database_unavailable(exc: BaseException | None) -> TypeGuard[OperationalError | InterfaceError]:
    """Whether `exc` says the database cannot be reached (not a query that failed on a database that answers)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    code = getattr(exc.__cause__, "pgcode", None)  # None: raised by the client library (no connection to ask)
    return code is None or code.startswith(UNAVAILABLE_SQLSTATES)


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    message = _("系统数据库暂时无法使用，请稍后重试。")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": str(Codes.DATABASE_UNAVAILABLE), "detail": message}, status=503,
                                json_dumps_params={"ensure_ascii": False})
    else:
        page = loader.render_to_string("503.html", {"message": message, "code": Codes.DATABASE_UNAVAILABLE,
                                                    "language": get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # logged here, once and without the traceback (Django then sees the response logged and stays quiet)
    reason = (str(exc).strip().splitlines() or [""])[0]
    log_response("Database unavailable (%s: %s): %s", type(exc).__name__, reason, request.path, response=response,
                 request=request, level="warning")
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 when the uncaught exception is the database being away, else Django's 500 page."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request, template_name)
