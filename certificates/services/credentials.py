"""Certificates as W3C Verifiable Credentials (vc+jwt) and the provinces' Bitstring Status Lists.

Each certificate whose credential is asked for gets a random index, unique in its province's current list (one index
for both lists: revocation and suspension). A list is filled to three quarters before the next one starts, so an
index never says when the certificate was issued. The lists are built from the certificates' status when asked for:
a revoked certificate's bit is 1 in the revocation list. Certificates have no suspension state today, so the
suspension list is published all zero until one exists.
"""

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from portal.errors import DomainError
from portal.models import Province

from .. import bitstring, pdf, signing, vc
from ..errors import Codes
from ..models.credentials import StatusListEntry
from ..models.issuance import Certificate, CertificateStatus, SigningKey
from .lookup import lookup_by_payload
from .signing_keys import active_signing_key

LIST_SIZE = bitstring.MIN_ENTRIES
LIST_FILL = LIST_SIZE * 3 // 4
ASSIGN_ATTEMPTS = 64
CERTIFICATE_TYPE = "SkillLevelCertificateCredential"


def _url(name: str, **kwargs: Any) -> str:
    return pdf.public_url() + reverse(name, kwargs=kwargs or None)


def status_list_url(province: Province, purpose: str, list_number: int) -> str:
    return _url("verify:status_list", province=province.slug, purpose=purpose, number=list_number)


def context_url() -> str:
    return _url("verify:context")


def issuer_of(province: Province) -> dict[str, str]:
    return {"id": _url("verify:keys", province=province.slug), "name": province.name}


def _current_list(province: Province) -> int:
    last = StatusListEntry.objects.filter(province=province).aggregate(n=Max("list_number"))["n"] or 1
    if StatusListEntry.objects.filter(province=province, list_number=last).count() >= LIST_FILL:
        return last + 1
    return last


def status_entry_of(certificate: Certificate) -> StatusListEntry:
    """The certificate's status list index, assigned at random on first use (a collision draws again)."""
    existing = StatusListEntry.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    list_number = _current_list(certificate.province)
    for _attempt in range(ASSIGN_ATTEMPTS):
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(province=certificate.province, certificate=certificate,
                                                      list_number=list_number, index=secrets.randbelow(LIST_SIZE))
        except IntegrityError:
            existing = StatusListEntry.objects.filter(certificate=certificate).first()
            if existing is not None:  # assigned by a concurrent request
                return existing
    raise RuntimeError("no free status list index after repeated draws")


def _organization(certificate: Certificate) -> dict[str, Any]:
    """The issuing organization and its filing's standing on the issue date (from the filing's audit trail), signed
    into the credential so that a verifier offline can show the evidence."""
    standing = filing_selectors.filing_standing_on(certificate.filing_id, certificate.issued_on)
    if standing is None:
        return {"name": certificate.organization_name, "filingActiveOnIssueDate": False}
    return {"name": certificate.organization_name, "filingNumber": standing.filing_number,
            "filingValidFrom": standing.valid_from.isoformat(), "filingValidUntil": standing.valid_until.isoformat(),
            "filingStatusOnIssueDate": standing.status_label,
            "filingActiveOnIssueDate": bool(standing.in_validity and standing.active),
            "filingTerminatedOn": standing.terminated_on.isoformat() if standing.terminated_on else None}


def credential_document(certificate: Certificate, entry: StatusListEntry) -> dict[str, Any]:
    """The unsigned credential: the printed fields (the ID masked), the organization's filing, the status entries."""
    province = certificate.province
    return {
        "@context": [vc.VC_CONTEXT, context_url()],
        "id": f"urn:skills-portal:certificate:{certificate.number}",
        "type": ["VerifiableCredential", CERTIFICATE_TYPE],
        "name": "职业技能等级证书",
        "issuer": issuer_of(province),
        "validFrom": f"{certificate.issued_on.isoformat()}T00:00:00+08:00",
        "credentialSubject": {
            "type": "SkillLevelCertificate",
            "certificateNumber": certificate.number, "holderName": certificate.holder_name,
            "maskedIdNumber": certificate.masked_id, "occupationCode": certificate.occupation_code,
            "occupationName": certificate.occupation_name, "workTypeName": certificate.work_type_name,
            "skillLevel": certificate.level, "skillLevelName": certificate.level_label,
            "issuedOn": certificate.issued_on.isoformat(), "organization": _organization(certificate),
        },
        "credentialStatus": [
            vc.status_entry(list_url=status_list_url(province, purpose, entry.list_number), purpose=purpose,
                            index=entry.index)
            for purpose in vc.PURPOSES
        ],
    }


def _sign(province: Province, document: dict[str, Any]) -> str:
    key: SigningKey = active_signing_key(province)
    return vc.sign_credential(document, key_id=key.key_id,
                              private_raw=signing.decrypt_private_key(key.private_key_encrypted))


def certificate_credential(certificate: Certificate) -> str:
    """The certificate as a signed vc+jwt (its status index assigned on first use)."""
    return _sign(certificate.province, credential_document(certificate, status_entry_of(certificate)))


def status_bits(province: Province, purpose: str, list_number: int) -> bytes:
    """The bitstring of one list: revoked certificates' bits set in the revocation list; suspension: none yet."""
    indexes: list[int] = []
    if purpose == vc.REVOCATION:
        indexes = list(StatusListEntry.objects.filter(
            province=province, list_number=list_number, certificate__status=CertificateStatus.REVOKED,
        ).values_list("index", flat=True))
    return bitstring.bitstring(indexes, size=LIST_SIZE)


def status_list_credential(province: Province, purpose: str, list_number: int) -> tuple[str, str]:
    """(the signed BitstringStatusListCredential, its ETag). The ETag names the bits and the key, so an unchanged
    list answers 304 to a verifier that holds it."""
    encoded = bitstring.encode(status_bits(province, purpose, list_number))
    key = active_signing_key(province)
    etag = hashlib.sha256(f"{key.key_id}|{purpose}|{list_number}|{encoded}".encode()).hexdigest()[:32]
    now = timezone.now().astimezone(dt.UTC).replace(microsecond=0).isoformat()
    document = vc.status_list_credential(
        list_url=status_list_url(province, purpose, list_number), issuer=issuer_of(province), purpose=purpose,
        encoded_list=encoded, valid_from=now, context_url=context_url())
    return _sign(province, document), etag


def credential_for_payload(token: str, *, ip: str) -> tuple[Certificate, str]:
    """(certificate, its vc+jwt) for whoever holds the certificate's QR payload: the payload is checked, counted
    and logged as a QR lookup; a payload naming no certificate of that holder is a 404."""
    _payload, found = lookup_by_payload(token, ip=ip)
    if found is None:
        raise DomainError(_("未找到该证书，无法生成可验证凭证。"), code=Codes.CREDENTIAL_NOT_FOUND, status=404)
    certificate = Certificate.objects.select_related("province").get(pk=found.id)
    return certificate, certificate_credential(certificate)


def status_list_for(province_slug: str, purpose: str, list_number: int) -> tuple[str, str]:
    """A published status list by its URL parts; a 404 DomainError for a purpose or list that does not exist."""
    province = Province.objects.filter(slug=province_slug).first()
    last = StatusListEntry.objects.filter(province=province).aggregate(n=Max("list_number"))["n"] or 1
    if province is None or purpose not in vc.PURPOSES or not 1 <= list_number <= last:
        raise DomainError(_("没有这个证书状态列表。"), code=Codes.STATUS_LIST_NOT_FOUND, status=404)
    return status_list_credential(province, purpose, list_number)


def verifier_bundle() -> dict[str, Any]:
    """What the offline verifier caches on its first load: every province's key file URL and status list URLs."""
    provinces = []
    for province in Province.objects.order_by("slug"):
        last = StatusListEntry.objects.filter(province=province).aggregate(n=Max("list_number"))["n"] or 1
        provinces.append({
            "slug": province.slug, "name": province.name, "keys": _url("verify:keys", province=province.slug),
            "status_lists": [status_list_url(province, purpose, n) for purpose in vc.PURPOSES
                             for n in range(1, last + 1)],
        })
    return {"provinces": provinces}
