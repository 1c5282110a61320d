"""The lookup checks each stored QR signature with the published keys, read once per process: a second lookup
reads no key, a key made by rotation is read when a token names it, a key held in memory that no longer matches is
read again, and a tampered token still fails."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from certificates import selectors, services, signing
from certificates.models import Certificate
from tests.factories import a_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache.clear()
    monkeypatch.setattr(selectors, "_known_keys", {})
    yield


def _signed(capture: Any, name: str) -> Certificate:
    with capture(execute=True):  # the PDF, with its signed payload
        certificate = a_certificate("gd", name=name)
    certificate.refresh_from_db()
    assert certificate.payload
    return certificate


def _signature_line(certificate: Certificate) -> tuple[str, int]:
    """(the signature line's state, how many queries read the signing keys) of one lookup through the API."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/api/v1/public/certificates/lookup/",
                                 {"number": certificate.number, "name": certificate.holder_name},
                                 content_type="application/json")
    assert response.status_code == 200
    line = next(c for c in response.json()["results"][0]["checklist"] if c["key"] == "signature")
    return line["state"], sum("certificates_signingkey" in q["sql"] for q in queries.captured_queries)


def test_the_keys_are_read_once_then_kept(django_capture_on_commit_callbacks: Any) -> None:
    first = _signed(django_capture_on_commit_callbacks, "林芳")
    second = _signed(django_capture_on_commit_callbacks, "陈静")

    assert _signature_line(first) == ("pass", 1)
    assert _signature_line(second) == ("pass", 0)
    assert _signature_line(first) == ("pass", 0)


def test_a_key_made_since_is_read_when_a_token_names_it(django_capture_on_commit_callbacks: Any) -> None:
    before = _signed(django_capture_on_commit_callbacks, "林芳")
    assert _signature_line(before) == ("pass", 1)

    services.rotate_signing_key(before.province, acting_user=None, reason="轮换")
    after = _signed(django_capture_on_commit_callbacks, "陈静")

    assert after.signing_key_id != before.signing_key_id
    assert _signature_line(after) == ("pass", 1)
    assert _signature_line(before) == ("pass", 0)  # both keys now known


def test_a_key_in_memory_that_does_not_match_is_read_again(django_capture_on_commit_callbacks: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    certificate = _signed(django_capture_on_commit_callbacks, "林芳")
    other = signing.public_key_of(signing.generate_private_key())
    monkeypatch.setattr(selectors, "_known_keys", {certificate.signing_key.key_id: other})

    assert _signature_line(certificate) == ("pass", 1)


def test_a_tampered_token_fails_and_a_malformed_one_reads_no_key(django_capture_on_commit_callbacks: Any) -> None:
    certificate = _signed(django_capture_on_commit_callbacks, "林芳")
    assert _signature_line(certificate) == ("pass", 1)
    body, signature = certificate.payload.split(".")
    forged = signing.b64url(bytes(64))

    Certificate.objects.filter(pk=certificate.pk).update(payload=f"{body}.{forged}")
    assert _signature_line(certificate) == ("fail", 1)  # read again in case the key changed: still fails

    Certificate.objects.filter(pk=certificate.pk).update(payload=f"{body}!.{signature}")
    assert _signature_line(certificate) == ("fail", 0)
