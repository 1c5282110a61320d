"""Certificates as W3C Verifiable Credentials (vc+jwt): verified by an independent library (joserfc), refused after
one changed byte; the Bitstring Status Lists: revoked certificates' bits set, random unique indexes, cacheable."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey

from certificates import bitstring, services, signing, vc
from certificates.models import Certificate, StatusListEntry
from certificates.services.credentials import LIST_SIZE
from tests.factories import a_certificate, city_officer_of, the_member

# joserfc warns that RFC 9864 deprecates "EdDSA" for "Ed25519"; VC-JOSE-COSE verifiers still expect "EdDSA"
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def a_signed_certificate(province: str = "gd", **candidate: Any) -> Certificate:
    """An issued certificate with its QR payload signed (as the PDF pipeline signs it, without rendering the PDF)."""
    certificate = a_certificate(province, **candidate)
    key = services.active_signing_key(certificate.province)
    services.sign_certificate(certificate, key, signing.signer(signing.decrypt_private_key(key.private_key_encrypted)))
    certificate.save(update_fields=["payload", "signing_key"])
    return certificate


def published_key(client: Client, province: str, kid: str) -> OKPKey:
    keys = client.get(f"/verify/keys/{province}.json").json()["keys"]
    jwk = next(k["jwk"] for k in keys if k["kid"] == kid)
    return OKPKey.import_key(jwk)


def claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def download(client: Client, certificate: Certificate) -> str:
    response = client.get(f"/verify/vc/{certificate.payload}/")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.jwt"'
    return response.content.decode()


def revoke(certificate: Certificate) -> None:
    change = services.request_revocation(certificate, acting_user=the_member(certificate.filing),
                                         reason_code="fraud", reason="考试中由他人代考，经核实")
    services.approve_change(change, acting_user=city_officer_of(certificate.filing), note="同意撤销")


def test_the_credential_verifies_with_joserfc_and_says_what_the_certificate_says() -> None:
    certificate = a_signed_certificate("gd", name="王小明", id_number="44010619900307123X")
    client = Client()

    token = download(client, certificate)

    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": certificate.signing_key.key_id, "typ": "vc+jwt", "cty": "vc"}
    verified = jws.deserialize_compact(token, published_key(client, "gd", header["kid"]), algorithms=["EdDSA"])
    credential = json.loads(verified.payload)
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["type"] == ["VerifiableCredential", "SkillLevelCertificateCredential"]
    subject = credential["credentialSubject"]
    assert (subject["certificateNumber"], subject["holderName"], subject["maskedIdNumber"], subject["skillLevel"]) == (
        certificate.number, "王小明", "4401**********123X", 3)
    assert "44010619900307123X" not in json.dumps(credential, ensure_ascii=False)
    assert subject["organization"]["filingActiveOnIssueDate"] is True
    entry = StatusListEntry.objects.get(certificate=certificate)
    assert [(s["statusPurpose"], s["statusListIndex"], s["type"]) for s in credential["credentialStatus"]] == [
        ("revocation", str(entry.index), "BitstringStatusListEntry"),
        ("suspension", str(entry.index), "BitstringStatusListEntry")]
    assert credential["credentialStatus"][0]["statusListCredential"].endswith("/verify/status/gd/revocation/1/")


def test_one_changed_byte_anywhere_fails_the_signature() -> None:
    certificate = a_signed_certificate("gd", name="王小明")
    client = Client()
    token = download(client, certificate)
    key = published_key(client, "gd", certificate.signing_key.key_id)
    payload = base64.urlsafe_b64decode(token.split(".")[1] + "==")
    tampered_payload = payload.replace("王小明".encode(), "王小朋".encode())
    assert len(tampered_payload) == len(payload) and tampered_payload != payload
    head, _, sig = token.split(".")
    forged = f"{head}.{signing.b64url(tampered_payload)}.{sig}"

    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(forged, key, algorithms=["EdDSA"])
    with pytest.raises(signing.PayloadError):
        vc.verify_credential(forged, signing.public_keys_from_file(client.get("/verify/keys/gd.json").content))
    flipped = bytearray(base64.urlsafe_b64decode(sig + "=="))
    flipped[10] ^= 0x01
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(f"{head}.{token.split('.')[1]}.{signing.b64url(bytes(flipped))}", key,
                                algorithms=["EdDSA"])


def test_the_revocation_list_has_the_revoked_certificates_bits_and_nothing_else() -> None:
    kept, revoked = a_signed_certificate("gd", name="甲"), a_signed_certificate("gd", name="乙")
    client = Client()
    download(client, kept), download(client, revoked)
    revoke(revoked)

    response = client.get("/verify/status/gd/revocation/1/")

    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    verified = jws.deserialize_compact(token, published_key(client, "gd", revoked.signing_key.key_id),
                                       algorithms=["EdDSA"])
    credential = json.loads(verified.payload)
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = credential["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    bits = bitstring.decode(subject["encodedList"])
    assert len(bits) >= 16 * 1024
    index = {e.certificate_id: e.index for e in StatusListEntry.objects.all()}
    assert bitstring.set_indexes(bits) == [index[revoked.pk]]
    assert not bitstring.is_set(bits, index[kept.pk])
    suspension = claims(client.get("/verify/status/gd/suspension/1/").content.decode())
    assert bitstring.set_indexes(bitstring.decode(suspension["credentialSubject"]["encodedList"])) == []


def test_the_list_is_cacheable_and_answers_304_until_it_changes() -> None:
    certificate = a_signed_certificate("gd")
    client = Client()
    download(client, certificate)
    first = client.get("/verify/status/gd/revocation/1/")
    assert first["Cache-Control"] == "public, max-age=300"

    again = client.get("/verify/status/gd/revocation/1/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    revoke(certificate)
    changed = client.get("/verify/status/gd/revocation/1/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_indexes_are_random_unique_and_not_in_issue_order() -> None:
    certificates = [a_signed_certificate("gd") for _ in range(6)]

    indexes = [services.status_entry_of(c).index for c in certificates]

    assert len(set(indexes)) == 6
    assert all(0 <= i < LIST_SIZE for i in indexes)
    assert indexes != sorted(indexes) or max(indexes) - min(indexes) > 6  # not consecutive in issue order
    assert services.status_entry_of(certificates[0]).index == indexes[0]  # assigned once


def test_unknown_lists_and_payloads_are_refused_with_codes() -> None:
    client = Client()
    assert client.get("/verify/status/gd/expired/1/").status_code == 404
    assert client.get("/verify/status/gd/revocation/2/").json()["code"] == "status_list_not_found"
    assert client.get("/verify/vc/not-a-token/").status_code == 400
    api = client.post("/api/v1/public/certificates/credential/", {"payload": "xx.yy"}, content_type="application/json")
    assert api.status_code == 400 and api.json()["code"] == "payload_malformed"


def test_the_api_gives_the_same_credential_and_list() -> None:
    certificate = a_signed_certificate("sd", name="李四")
    client = Client()

    response = client.post("/api/v1/public/certificates/credential/", {"payload": certificate.payload},
                           content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["media_type"]) == (certificate.number, "application/vc+jwt")
    key = published_key(client, "sd", certificate.signing_key.key_id)
    jws.deserialize_compact(body["credential"], key, algorithms=["EdDSA"])
    listed = client.get("/api/v1/public/status-lists/sd/revocation/1/").json()
    assert claims(listed["credential"])["credentialSubject"]["statusPurpose"] == "revocation"


def test_the_context_is_served_by_the_portal() -> None:
    response = Client().get("/verify/contexts/skills-certificate-v1.jsonld")

    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    assert "certificateNumber" in response.json()["@context"]["SkillLevelCertificate"]["@context"]


def test_the_qr_page_links_to_the_credential_and_the_lookup_page_to_the_offline_verifier() -> None:
    certificate = a_signed_certificate("gd", name="王小明")
    client = Client()

    html = client.get(f"/verify/q/{certificate.payload}/").content.decode()

    assert f'href="/verify/vc/{certificate.payload}/"' in html
    assert 'href="/verify/offline/"' in client.get("/verify/").content.decode()
    assert client.get("/verify/offline/").status_code == 200
    sw = client.get("/verify/offline/sw.js")
    assert sw["Content-Type"] == "text/javascript" and "verifier.js" in sw.content.decode()
