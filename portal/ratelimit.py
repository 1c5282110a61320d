"""Rate limits for public forms and lookups: who the client is behind the proxies we trust, and a count per window.

`client_ip` reads `X-Forwarded-For` only when the request came from an address in `settings.TRUSTED_PROXIES`
(addresses or networks, e.g. ["10.0.0.0/8", "127.0.0.1"]); the header is walked from the right, skipping our own
proxies, so a client cannot choose its own address by sending the header. With no trusted proxy configured the
limit keys on `REMOTE_ADDR`, which is right when the portal is reached directly.
"""

import functools
import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from .errors import Codes, RateLimited

logger = logging.getLogger(__name__)

__all__ = ["CounterUnavailable", "RateLimited", "client_ip", "count", "count_hit", "count_unavailable", "enforce", "hash_ip"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# What a cache that does not answer raises (Redis down, refused, timed out): callers that can do without it catch these.
CACHE_UNAVAILABLE = (RedisError, ConnectionError, OSError, TimeoutError)


@functools.cache
def _trusted_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address a rate limit counts: the nearest address in X-Forwarded-For that is not one of our proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed hop: fall back to the proxy itself rather than trust garbage
    return forwarded[0] if forwarded else remote


def hash_ip(ip: str) -> str:
    """A keyed hash of an address: enough to rate-limit and to see repeats, not to identify anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


class CounterUnavailable(Exception):
    """The cache that counts hits (Redis in production) did not answer."""


def count_hit(scope: str, key: str, *, window: int) -> int:
    """Count one hit of `key` in `scope` for a window of `window` seconds; return the count so far in the window.

    Raises CounterUnavailable when the cache is down; `enforce` decides what that means.
    """
    cache_key = f"ratelimit:{scope}:{key}"
    try:
        if cache.add(cache_key, 1, timeout=window):
            return 1
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # the key expired between add and incr
            cache.set(cache_key, 1, timeout=window)
            return 1
    except CACHE_UNAVAILABLE as exc:
        raise CounterUnavailable(str(exc)) from exc


def count(scope: str, key: str, *, window: int) -> int:
    """Count the hit as `count_hit` does, deciding what a down cache means.

    `settings.RATE_LIMIT_FAIL_OPEN` True (the default) lets the request through uncounted (0) and logs it, so the
    public lookup keeps answering while Redis is away; False refuses it with 503 and a message to try again.
    """
    try:
        return count_hit(scope, key, window=window)
    except CounterUnavailable as exc:
        return count_unavailable(scope, exc)


def count_unavailable(scope: str, exc: Exception) -> int:
    """What a hit the cache could not count means: 0 (let through, logged) when RATE_LIMIT_FAIL_OPEN, else 503."""
    if getattr(settings, "RATE_LIMIT_FAIL_OPEN", True):
        logger.warning("rate limit %s not counted, the cache is unavailable: %s", scope, exc)
        return 0
    raise RateLimited(_("服务繁忙，请稍后再试。"), code=Codes.SERVICE_UNAVAILABLE, status=503) from exc


def enforce(scope: str, key: str, *, limit: int, window: int, message: str) -> int:
    """Count the hit (see `count`) and refuse it (RateLimited, 429) past `limit` in the window; return the count."""
    hits = count(scope, key, window=window)
    if hits > limit:
        raise RateLimited(message)
    return hits
