"""The public certificate lookup: the per-address rate limit, the lookup log, the three ways to look up."""

import functools
from collections.abc import Sequence

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.errors import DomainError, RateLimited
from portal.identifiers import mask_id_number, normalize_id_number
from portal.ratelimit import hash_ip

from .. import numbering, selectors, signing
from ..errors import Codes
from ..models.issuance import LookupChannel, LookupLog

LOOKUP_RATE_LIMIT = 30
LOOKUP_RATE_WINDOW_SECONDS = 600
LOOKUP_RATE_SCOPE = "certificates.lookup"


def lookup_rate() -> tuple[int, int]:
    """(lookups, per seconds) one address may make; settings.CERTIFICATE_LOOKUP_RATE overrides (30 per 10 minutes)."""
    limit, window = getattr(settings, "CERTIFICATE_LOOKUP_RATE", (LOOKUP_RATE_LIMIT, LOOKUP_RATE_WINDOW_SECONDS))
    return int(limit), int(window)


def digest_identifier(value: str) -> str:
    """A keyed hash of an ID number for the lookup log: repeats are visible, the number is not."""
    return salted_hmac("certificates.lookup.id", value, algorithm="sha256").hexdigest()


LOOKUP_LOG_COLUMNS = ("at", "channel", "number", "id_digest", "id_masked", "found", "certificate_id", "ip_hash",
                      "rate_limited")


@functools.cache
def _lookup_log_sql() -> str:
    q = connection.ops.quote_name
    return (f"INSERT INTO {q(LookupLog._meta.db_table)} ({', '.join(q(c) for c in LOOKUP_LOG_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(LOOKUP_LOG_COLUMNS))})")


def _log_lookup(channel: str, ip_hash: str, *, number: str = "", id_number: str = "",
                found: Sequence[selectors.PublicCertificate] = (), rate_limited: bool = False) -> None:
    """One row of the lookup log: a plain INSERT, a third of what Model.save() costs on this hot path (the model
    has no signals or save() logic to skip)."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_log_sql(), [
            timezone.now(), channel, number[:22], digest_identifier(id_number) if id_number else "",
            mask_id_number(id_number)[:20] if id_number else "", len(found),
            found[0].id if len(found) == 1 else None, ip_hash, rate_limited,
        ])


def _admit_lookup(ip: str, channel: str, *, number: str = "", id_number: str = "") -> str:
    """Count the lookup against the address's limit; refuse (429) past it. Only the first refusal is logged, so a
    flood costs the database nothing."""
    ip_hash = hash_ip(ip)
    limit, window = lookup_rate()
    count = ratelimit.count(LOOKUP_RATE_SCOPE, ip_hash, window=window)  # 0 when the cache is down (fail open)
    if count > limit:
        if count == limit + 1:
            _log_lookup(channel, ip_hash, number=number, id_number=id_number, rate_limited=True)
        raise RateLimited(
            _("查询过于频繁：同一来源每%(minutes)d分钟最多查询%(n)d次，请稍后再试。")
            % {"minutes": max(1, window // 60), "n": limit}
        )
    return ip_hash


def lookup_by_number(number: str, holder_name: str, *, ip: str, channel: str = LookupChannel.NUMBER) -> selectors.PublicCertificate | None:
    """Number + holder's name, both required and both matching; a miss says nothing about which was wrong."""
    value = numbering.normalize_number(number)
    ip_hash = _admit_lookup(ip, channel, number=value)
    certificate = selectors.find_by_number(value, holder_name)
    _log_lookup(channel, ip_hash, number=value, found=[certificate] if certificate else [])
    return certificate


def lookup_by_id_number(id_number: str, holder_name: str, *, ip: str,
                        channel: str = LookupChannel.ID_NUMBER) -> list[selectors.PublicCertificate]:
    """ID number + holder's name: every certificate of that person, in every province."""
    value = normalize_id_number(id_number)
    ip_hash = _admit_lookup(ip, channel, id_number=value)
    certificates = selectors.find_by_id_number(value, holder_name)
    _log_lookup(channel, ip_hash, id_number=value, found=certificates)
    return certificates


def lookup_by_payload(token: str, *, ip: str) -> tuple[signing.Payload, selectors.PublicCertificate | None]:
    """A QR link: the signature is checked with the province's published keys, then the certificate it names is
    read (its current status). Raises DomainError for a payload that does not verify."""
    ip_hash = _admit_lookup(ip, LookupChannel.QR)
    try:
        payload = signing.verify_token(token, selectors.public_keys())
    except signing.PayloadError as exc:
        _log_lookup(LookupChannel.QR, ip_hash)
        raise DomainError(_("二维码数据无效或已被篡改，无法验证。"), code=exc.code) from exc
    certificate = selectors.find_by_payload(payload)
    _log_lookup(LookupChannel.QR, ip_hash, number=payload.number, found=[certificate] if certificate else [])
    return payload, certificate


def lookup_by_link(token: str, *, ip: str) -> selectors.PublicCertificate | None:
    """A portal-signed link from a verified certificate to a related one (see selectors.link_token)."""
    ip_hash = _admit_lookup(ip, LookupChannel.LINK)
    certificate = selectors.find_by_link(token)
    _log_lookup(LookupChannel.LINK, ip_hash, number=certificate.number if certificate else "",
                found=[certificate] if certificate else [])
    if certificate is None:
        raise DomainError(_("链接无效或已过期，请重新查询。"), code=Codes.LINK_INVALID)
    return certificate
