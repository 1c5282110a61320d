"""The CSRF token of a page served on the hot path (the public lookup), masked as Django masks it but cheaper.

Django's get_token draws the 32-character mask one `secrets.choice` at a time and ciphers the secret with
`str.index` lookups: 55 µs a page, a sixth of what the lookup page may spend beyond a bare view
(docs/performance.md). This draws the mask from one `secrets.token_bytes` call (bytes past the largest multiple of
62 are dropped, so each character stays uniform) and ciphers through a table. The token is the same kind of token:
CsrfViewMiddleware unmasks and checks it as one of its own (tests/portal/test_csrf_token.py).
"""

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_N = len(CSRF_ALLOWED_CHARS)
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
_UNIFORM_BELOW = 256 - 256 % _N  # 248: a byte under it, modulo 62, is uniform over the characters


def _mask() -> list[int]:
    picks: list[int] = []
    while len(picks) < CSRF_SECRET_LENGTH:
        picks += [b % _N for b in secrets.token_bytes(CSRF_SECRET_LENGTH + 8) if b < _UNIFORM_BELOW]
    return picks[:CSRF_SECRET_LENGTH]


def masked_token(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token returns and does (the cookie renewed, or created when absent)."""
    if "CSRF_COOKIE" not in request.META:
        return get_token(request)  # a new secret and its cookie: Django's own path
    secret = request.META["CSRF_COOKIE"]
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie is used, so it is sent again
    mask = _mask()
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[m] for m in mask) + "".join(
        chars[(_INDEX[c] + m) % _N] for c, m in zip(secret, mask, strict=True))
