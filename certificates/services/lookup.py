"""The public certificate lookup: the per-address rate limit, the lookup log, the three ways to look up."""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from portal import ratelimit
from portal.errors import DomainError, RateLimited
from portal.identifiers import mask_id_number, normalize_id_number, uuid7_hex
from portal.ratelimit import hash_ip

from .. import numbering, selectors, signing
from ..errors import Codes
from ..models.issuance import LookupChannel, LookupLog
from . import lookup_log

T = TypeVar("T")

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


LOOKUP_LOG_COLUMNS = lookup_log.LOG_COLUMNS


@dataclass(frozen=True)
class _Asked:
    """What a lookup asked, known before it runs (what a refusal logs)."""

    channel: str
    number: str = ""
    id_number: str = ""


@functools.cache
def _lookup_log_sql() -> str:
    q = connection.ops.quote_name
    return (f"INSERT INTO {q(LookupLog._meta.db_table)} ({', '.join(q(c) for c in lookup_log.LOG_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(lookup_log.LOG_COLUMNS))})")


def _record(asked: _Asked, ip_hash: str, *, number: str | None = None,
            found: Sequence[selectors.PublicCertificate] = (), rate_limited: bool = False) -> tuple[Any, ...]:
    """One row of the lookup log, in lookup_log.LOG_COLUMNS order, with the lookup's own request id."""
    id_number = asked.id_number
    return (uuid7_hex(), timezone.now(), asked.channel, (asked.number if number is None else number)[:22],
            digest_identifier(id_number) if id_number else "", mask_id_number(id_number)[:20] if id_number else "",
            len(found), found[0].id if len(found) == 1 else None, ip_hash, rate_limited)


def _insert_record(record: tuple[Any, ...]) -> None:
    """The direct path: a plain INSERT, a third of what Model.save() costs on this hot path (the model has no
    signals or save() logic to skip)."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_log_sql(), list(record))


def _refuse(window: int, limit: int) -> RateLimited:
    return RateLimited(_("查询过于频繁：同一来源每%(minutes)d分钟最多查询%(n)d次，请稍后再试。")
                       % {"minutes": max(1, window // 60), "n": limit})


Outcome = tuple[T, Sequence[selectors.PublicCertificate], str | None]


def _with_histories(result: T, histories: dict[int, Any]) -> T:
    """The found certificates carrying their issuer's history as read from the cache (None where it was not there),
    so the verify checklist does not ask the cache again."""
    def carry(certificate: selectors.PublicCertificate) -> selectors.PublicCertificate:
        return replace(certificate, issuer_history=histories.get(certificate.filing_id))

    if isinstance(result, selectors.PublicCertificate):
        return cast(T, carry(result))
    if isinstance(result, list):
        return cast(T, [carry(c) if isinstance(c, selectors.PublicCertificate) else c for c in result])
    return result


def _looked_up(ip: str, asked: _Asked, query: Callable[[], Outcome[T]]) -> T:
    """Run `query` under the address's rate limit and log it; return its result.

    Queued (Redis and PostgreSQL, see lookup_log): the query runs, then the count and the record go to Redis in one
    round trip, and a refused lookup's result is dropped. Direct: the count first (a refused lookup reads nothing),
    then the query and an INSERT. Only the first refusal in a window is logged.
    """
    ip_hash = hash_ip(ip)
    limit, window = lookup_rate()
    if lookup_log.queued():
        result, found, number = query()
        filings = sorted({c.filing_id for c in found if c.filing_id})
        try:
            hits, histories = lookup_log.count_and_queue(
                LOOKUP_RATE_SCOPE, ip_hash, limit=limit, window=window,
                record=_record(asked, ip_hash, number=number, found=found),
                refusal_id=uuid7_hex(), refusal_number=asked.number[:22],
                reads=filing_selectors.standing_cache_keys(filings))  # the issuers' histories, in the same trip
        except lookup_log.QueueUnavailable as exc:
            ratelimit.count_unavailable(LOOKUP_RATE_SCOPE, exc)  # fail open (0) or 503, as the direct path
            _insert_record(_record(asked, ip_hash, number=number, found=found))
            return result
        if hits > limit:
            raise _refuse(window, limit)
        return _with_histories(result, dict(zip(filings, histories, strict=True)))
    hits = ratelimit.count(LOOKUP_RATE_SCOPE, ip_hash, window=window)  # 0 when the cache is down (fail open)
    if hits > limit:
        if hits == limit + 1:
            _insert_record(_record(asked, ip_hash, rate_limited=True))
        raise _refuse(window, limit)
    result, found, number = query()
    _insert_record(_record(asked, ip_hash, number=number, found=found))
    return result


def lookup_by_number(number: str, holder_name: str, *, ip: str, channel: str = LookupChannel.NUMBER) -> selectors.PublicCertificate | None:
    """Number + holder's name, both required and both matching; a miss says nothing about which was wrong."""
    value = numbering.normalize_number(number)

    def query() -> Outcome[selectors.PublicCertificate | None]:
        certificate = selectors.find_by_number(value, holder_name)
        return certificate, [certificate] if certificate else [], None

    return _looked_up(ip, _Asked(channel, number=value), query)


def lookup_by_id_number(id_number: str, holder_name: str, *, ip: str,
                        channel: str = LookupChannel.ID_NUMBER) -> list[selectors.PublicCertificate]:
    """ID number + holder's name: every certificate of that person, in every province."""
    value = normalize_id_number(id_number)

    def query() -> Outcome[list[selectors.PublicCertificate]]:
        certificates = selectors.find_by_id_number(value, holder_name)
        return certificates, certificates, None

    return _looked_up(ip, _Asked(channel, id_number=value), query)


Verified = tuple[signing.Payload, selectors.PublicCertificate | None]


def lookup_by_payload(token: str, *, ip: str) -> Verified:
    """A QR link: the signature is checked with the province's published keys, then the certificate it names is
    read (its current status). Raises DomainError for a payload that does not verify."""

    def query() -> Outcome[Verified | signing.PayloadError]:
        try:
            payload = selectors.verify_token(token)
        except signing.PayloadError as exc:
            return exc, [], None
        certificate = selectors.find_by_payload(payload)
        return (payload, certificate), [certificate] if certificate else [], payload.number

    outcome = _looked_up(ip, _Asked(LookupChannel.QR), query)
    if isinstance(outcome, signing.PayloadError):
        raise DomainError(_("二维码数据无效或已被篡改，无法验证。"), code=outcome.code) from outcome
    return outcome


def lookup_by_link(token: str, *, ip: str) -> selectors.PublicCertificate | None:
    """A portal-signed link from a verified certificate to a related one (see selectors.link_token)."""

    def query() -> Outcome[selectors.PublicCertificate | None]:
        certificate = selectors.find_by_link(token)
        return certificate, [certificate] if certificate else [], certificate.number if certificate else ""

    certificate = _looked_up(ip, _Asked(LookupChannel.LINK), query)
    if certificate is None:
        raise DomainError(_("链接无效或已过期，请重新查询。"), code=Codes.LINK_INVALID)
    return certificate
