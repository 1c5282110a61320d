"""The lookup API's direct answer to the usual request is DRF's answer, byte for byte and header for header: the same
requests sent with the direct path on and off (CERTIFICATE_LOOKUP_API_DIRECT) get the same status, headers and body,
found, not found, refused past the rate limit, and every request the direct path leaves to DRF."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from certificates.models import LookupLog
from tests.factories import a_certificate

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/certificates/lookup/"
NAME, ID_NUMBER = "王小明", "44010619900307123X"


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _answer(direct: bool, body: bytes, content_type: str = "application/json", query: str = "",
            **headers: str) -> tuple[int, dict[str, str], bytes]:
    cache.clear()  # each way starts under the same rate-limit count
    with override_settings(CERTIFICATE_LOOKUP_API_DIRECT=direct):
        response = Client().generic("POST", URL + query, body, content_type=content_type, **headers)
    return response.status_code, dict(response.headers.items()), response.content


def _same(body: bytes, **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
    direct = _answer(True, body, **kwargs)
    assert direct == _answer(False, body, **kwargs), body
    return direct


def _json(**fields: str) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def test_found_and_not_found_are_drfs_answers() -> None:
    certificate = a_certificate("gd", name=NAME, id_number=ID_NUMBER)
    status, headers, body = _same(_json(number=certificate.number, name=NAME))
    assert status == 200 and certificate.number.encode() in body and headers["Content-Type"] == "application/json"
    assert headers["Vary"].startswith("Accept") and headers["Allow"] == "POST, OPTIONS"
    assert _same(_json(id_number=ID_NUMBER, name=NAME))[0] == 200
    assert _same(_json(number=certificate.number, name="张三"))[2] == b'{"results":[]}'
    assert LookupLog.objects.count() == 6  # every lookup logged, both ways


def test_a_lookup_past_the_limit_is_refused_as_drf_refuses_it() -> None:
    certificate = a_certificate("gd", name=NAME, id_number=ID_NUMBER)
    body = _json(number=certificate.number, name=NAME)
    with override_settings(CERTIFICATE_LOOKUP_RATE=(0, 600)):
        status, _headers, answer = _same(body)
    assert status == 429 and b'"code":"rate_limited"' in answer


def test_every_other_request_is_drfs_own() -> None:
    certificate = a_certificate("gd", name=NAME, id_number=ID_NUMBER)
    usual = _json(number=certificate.number, name=NAME)
    for body in (b"{", b'{"number": NaN, "name": "x"}', usual.decode().encode("utf-16"), b"\xef\xbb\xbf" + usual,
                 _json(number=certificate.number), _json(number=certificate.number, id_number=ID_NUMBER, name=NAME),
                 b"[]", b""):
        _same(body)
    _same(usual, content_type="application/json; charset=utf-8")
    _same(usual, content_type="text/plain")
    _same(usual, query="?format=json")
    _same(usual, HTTP_ACCEPT="application/xml")  # (text/html: DRF's browsable page, with a fresh token each time)
    _same(usual, HTTP_ACCEPT="application/json; indent=4")


def test_the_usual_request_takes_the_direct_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the same answers: the direct path is taken (DRF's dispatch is not run for the usual request)."""
    from rest_framework.views import APIView

    certificate = a_certificate("gd", name=NAME, id_number=ID_NUMBER)
    dispatched: list[str] = []
    real = APIView.dispatch

    def counting(self: APIView, request: Any, *args: Any, **kwargs: Any) -> Any:
        dispatched.append(request.path)
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counting)
    assert Client().post(URL, _json(number=certificate.number, name=NAME), content_type="application/json").status_code == 200
    assert dispatched == []
    assert Client().post(URL, _json(number=certificate.number), content_type="application/json").status_code == 400
    assert dispatched == [URL]
