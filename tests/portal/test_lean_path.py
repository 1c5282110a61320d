"""The lean middleware chain (portal.lean) answers the public lookup's anonymous visitors exactly as the whole chain
does, and portal.wsgi sends only them along it."""

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import Client, override_settings

from certificates.models import LookupLog
from portal import lean
from tests.factories import InstitutionFactory, a_certificate, member_of

pytestmark = pytest.mark.django_db
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()  # each side starts under the same rate-limit count
    yield


def _shape(response: Any) -> tuple[int, dict[str, str], dict[str, dict[str, str]], str]:
    """What a visitor receives, with the two values drawn at random per response (the CSRF cookie's secret and the
    form's masked token) blanked."""
    headers = {name: value for name, value in response.headers.items()}
    cookies = {name: {**dict(morsel), "value": "-" if name == "csrftoken" else morsel.value}
               for name, morsel in response.cookies.items()}
    return response.status_code, headers, cookies, CSRF_FIELD.sub('name="csrfmiddlewaretoken" value="-"',
                                                                  response.content.decode())


def _both(send: Callable[[Client], Any]) -> tuple[Any, Any]:
    """The same request through the whole chain and through the lean one, each from a fresh client."""
    whole = _shape(send(Client(enforce_csrf_checks=True)))
    cache.clear()
    with override_settings(MIDDLEWARE=lean.lean_middleware()):
        thin = _shape(send(Client(enforce_csrf_checks=True)))
    return whole, thin


def _post_page(data: dict[str, str]) -> Callable[[Client], Any]:
    def send(client: Client) -> Any:
        page = client.get("/verify/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        return client.post("/verify/", {"csrfmiddlewaretoken": token.group(1), **data})
    return send


def test_the_lean_chain_drops_only_what_needs_a_session() -> None:
    chain = lean.lean_middleware()
    assert not set(chain) & lean.SESSION_BOUND
    assert chain.index(lean.ANONYMOUS) > chain.index("django.middleware.csrf.CsrfViewMiddleware")
    # every header-setting and checking middleware stays, in its order
    kept = [m for m in chain if m != lean.ANONYMOUS]
    from django.conf import settings
    assert kept == [m for m in settings.MIDDLEWARE if m not in lean.SESSION_BOUND]
    assert {"django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware", "csp.middleware.CSPMiddleware",
            "django.middleware.locale.LocaleMiddleware"} <= set(kept)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_empty_page_is_the_same(language: str) -> None:
    whole, thin = _both(lambda client: client.get("/verify/", HTTP_ACCEPT_LANGUAGE=language))
    assert whole == thin
    assert whole[0] == 200 and "Content-Security-Policy" in whole[1] and whole[1]["X-Frame-Options"] == "DENY"


def test_a_found_certificate_a_miss_and_a_bad_form_are_the_same() -> None:
    certificate = a_certificate("gd")
    for data in ({"mode": "number", "number-number": certificate.number, "number-name": "不是本人"},
                 {"mode": "number", "number-number": "", "number-name": ""}):
        whole, thin = _both(_post_page(data))
        assert whole == thin
    found_whole, found_thin = _both(_post_page(
        {"mode": "number", "number-number": certificate.number, "number-name": certificate.holder_name}))
    assert found_whole == found_thin and certificate.number in found_thin[3]


def test_a_post_without_its_csrf_token_is_refused_on_both() -> None:
    certificate = a_certificate("gd")
    whole, thin = _both(lambda client: client.post(
        "/verify/", {"mode": "number", "number-number": certificate.number, "number-name": certificate.holder_name}))
    assert whole[0] == thin[0] == 403
    assert whole == thin


def test_the_api_answers_the_same_found_missed_and_invalid() -> None:
    certificate = a_certificate("gd")
    for body in ({"number": certificate.number, "name": certificate.holder_name}, {"number": certificate.number,
                 "name": "不是本人"}, {"number": ""}):
        whole, thin = _both(lambda client, body=body: client.post(
            "/api/v1/public/certificates/lookup/", json.dumps(body), content_type="application/json"))
        assert whole == thin
    assert json.loads(thin[3])["code"]  # the invalid body's stable error code


def test_every_lookup_on_the_lean_chain_is_logged() -> None:
    certificate = a_certificate("gd")
    before = LookupLog.objects.count()
    _both(_post_page({"mode": "number", "number-number": certificate.number, "number-name": certificate.holder_name}))
    assert LookupLog.objects.count() == before + 2


@pytest.mark.parametrize(("path", "cookie", "lean_path"), [
    ("/verify/", "", True),
    ("/verify/", "csrftoken=abc; django_language=en", True),
    ("/api/v1/public/certificates/lookup/", "", True),
    ("/verify/", "sessionid=abc", False),  # a signed-in visitor: their menu, their session
    ("/verify/", "csrftoken=abc; messages=xyz", False),  # a message waiting to be shown
    ("/verify/person/", "", False),
    ("/gd/", "", False),
    ("/static/css/portal.css", "", False),
])
def test_only_anonymous_lookups_take_the_lean_path(path: str, cookie: str, lean_path: bool) -> None:
    assert lean.takes_lean_path({"PATH_INFO": path, "HTTP_COOKIE": cookie}) is lean_path


def _call(application: Callable[..., Any], path: str, cookie: str = "") -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "HTTP_HOST": "testserver", "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
               "wsgi.errors": sys.stderr, "REMOTE_ADDR": "127.0.0.1", "QUERY_STRING": "", "HTTP_COOKIE": cookie,
               "SCRIPT_NAME": ""}
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = status

    # as Django's test client does: the test's transaction must outlive the request
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return answer["status"], body


def test_the_wsgi_application_serves_both_chains() -> None:
    from portal import wsgi

    seen: list[str] = []

    def spy(name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        def call(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            seen.append(name)
            return handler(environ, start_response)
        return call

    application = lean.dispatch(spy("full", wsgi.full), spy("lean", lean.LeanWSGIHandler()))
    status, body = _call(application, "/verify/")
    assert status.startswith("200") and "csrfmiddlewaretoken" in body.decode() and seen == ["lean"]
    institution_member = member_of(InstitutionFactory())
    client = Client()
    client.force_login(institution_member)
    session = client.cookies["sessionid"].value
    status, body = _call(application, "/verify/", cookie=f"sessionid={session}")
    assert status.startswith("200") and seen == ["lean", "full"]
    assert f"退出（{institution_member}）" in body.decode()  # the signed-in header: the session was read
