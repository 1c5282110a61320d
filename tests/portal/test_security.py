"""Security headers, no inline scripts, CSRF on forms, and the health check."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _csp(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def _template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted({*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")} - {*base.glob(".venv/**")})


def test_pages_carry_a_strict_content_security_policy() -> None:
    response = Client().get("/accounts/login/")

    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_other_security_headers() -> None:
    response = Client().get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_scripts_or_event_handlers() -> None:
    # given every template of the project (the CSP would block inline code in a browser)
    files = _template_files()
    assert any(f.name == "base.html" for f in files)

    # then none has a <script> without src, or an on...= attribute
    offenders = [
        str(f) for f in files if INLINE_SCRIPT.search(f.read_text(encoding="utf-8"))
        or INLINE_HANDLER.search(f.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_inline_script_check_would_see_one() -> None:
    assert INLINE_SCRIPT.search("<p></p>\n<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js" defer></script>')
    assert INLINE_HANDLER.search('<button onclick="go()">')


def test_login_without_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403


def test_login_with_csrf_token_is_accepted_for_checking() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")

    response = client.post("/accounts/login/", {"username": "x", "password": "y",
                                                "csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 200  # the form answers (wrong password), CSRF let it through


def test_healthz_reports_the_database() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
