"""The database away answers 503 with a message and a stable code (portal.unavailable); other errors keep the 500.
The drill on a real PostgreSQL restart is tests/infra/test_drill_postgres_restart.py."""

import json

import psycopg2
import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from portal.unavailable import database_unavailable, server_error


def _raised(exc: Exception, cause: Exception | None = None, path: str = "/gd/") -> HttpResponse:
    """What the 500 handler answers while `exc` (raised from `cause`, as Django wraps the driver's errors) is handled."""
    request = RequestFactory().get(path)
    try:
        raise exc from cause
    except Exception:  # noqa: BLE001 - the handler reads the exception being handled
        return server_error(request)


def test_a_refused_connection_answers_503_json_under_the_api() -> None:
    response = _raised(OperationalError("connection refused"), psycopg2.OperationalError("refused"), "/api/v1/me/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {"code": "database_unavailable", "detail": "系统数据库暂时无法使用，请稍后重试。"}


def test_a_closed_connection_answers_a_503_page_with_words_and_the_code_in_the_markup() -> None:
    response = _raised(InterfaceError("connection already closed"))
    body = response.content.decode()
    assert response.status_code == 503
    assert '<main data-code="database_unavailable"><h1>系统数据库暂时无法使用，请稍后重试。</h1>' in body
    assert "Traceback" not in body


class _ServerError(psycopg2.OperationalError):
    def __init__(self, pgcode: str) -> None:
        super().__init__("server error")
        self._code = pgcode

    @property
    def pgcode(self) -> str:  # type: ignore[override]  # psycopg2 sets it from the server's answer
        return self._code


@pytest.mark.parametrize(("pgcode", "away"), [("57P01", True), ("57P03", True), ("08006", True),
                                              ("40P01", False), ("57014", False)])
def test_only_a_server_that_is_away_counts(pgcode: str, away: bool) -> None:
    # shutting down, starting up, connection failure: away; a deadlock or a cancelled statement: an error of its own
    exc = OperationalError("x")
    exc.__cause__ = _ServerError(pgcode)
    assert database_unavailable(exc) is away
    assert _raised(exc, exc.__cause__).status_code == (503 if away else 500)


def test_other_errors_keep_the_500_page() -> None:
    response = _raised(ValueError("a bug"))
    assert response.status_code == 500
    assert "系统暂时出现问题" in response.content.decode()
