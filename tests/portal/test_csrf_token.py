"""portal.csrf.masked_token: Django's kind of masked token, accepted by CsrfViewMiddleware, a fresh mask each time,
and the cookie handled as get_token handles it."""

from collections import Counter

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_TOKEN_LENGTH, _unmask_cipher_token
from django.test import Client, RequestFactory

from portal.csrf import _mask, masked_token

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def _request() -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    return request


def test_the_token_unmasks_to_the_secret_with_a_new_mask_each_time() -> None:
    tokens = {masked_token(_request()) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET


def test_the_cookie_is_renewed_as_get_token_renews_it() -> None:
    request = _request()
    masked_token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    fresh = RequestFactory().get("/")  # no cookie yet: Django's own path makes the secret
    token = masked_token(fresh)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]


def test_the_mask_uses_every_character() -> None:
    seen = Counter(m for _ in range(400) for m in _mask())
    assert len(seen) == len(CSRF_ALLOWED_CHARS)  # 12,800 draws: a character never drawn would be a bug, not luck


@pytest.mark.django_db
def test_a_lookup_posted_with_the_pages_token_passes_the_csrf_check() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/verify/")
    cookie = client.cookies[settings.CSRF_COOKIE_NAME].value
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = cookie
    token = masked_token(request)
    data = {"mode": "number", "number-number": "x", "number-name": "y", "csrfmiddlewaretoken": token}
    assert page.status_code == 200
    assert client.post("/verify/", data).status_code == 200
    altered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.post("/verify/", {**data, "csrfmiddlewaretoken": altered}).status_code == 403
