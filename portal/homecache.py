"""The home pages' worklists and panels, kept per person until their province records a change or a minute passes.

A home page asks every app for its counts: some thirty queries. Every change a service makes records an audit event
(portal.audit), so the province's newest event is a mark that moves with each change: the cached sections are keyed
by it and are recomputed as soon as anything in the province changes, the person's own action included. What changes
with no event (a deadline passing) shows within HOME_CACHE_SECONDS. Set it to 0 to compute every time.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .models import AuditEvent
from .roles import ProvinceAccess

log = logging.getLogger(__name__)

Sections = tuple[list[dict[str, Any]], str]  # the sections and their rendering


def province_mark(province_id: int) -> int:
    """The id of the province's newest audit event (through the province's time index): 0 before the first."""
    newest = (AuditEvent.objects.filter(province_id=province_id).order_by("-at")
              .values_list("id", flat=True).first())
    return newest or 0


def _key(access: ProvinceAccess) -> str:
    # Read the mark before the sections are computed, so what is stored is never older than its mark.
    memberships = ",".join(sorted(f"{m.pk}" for m in access.memberships))
    return (f"home:{access.province.pk}:{province_mark(access.province.pk)}:{access.user.pk}:{memberships}:"
            f"{get_language()}")


def cached_sections(access: ProvinceAccess, compute: Callable[[], Sections]) -> Sections:
    """The sections `compute` gives, from the cache while the province records no change; the cache being
    unreachable only costs the computation."""
    seconds = getattr(settings, "HOME_CACHE_SECONDS", 60)
    if not seconds:
        return compute()
    key = _key(access)
    try:
        hit = cache.get(key)
    except Exception:  # a cache that does not answer must not cost the page
        log.warning("home cache unreachable; computing the sections", exc_info=True)
        return compute()
    if isinstance(hit, tuple):
        return hit
    sections = compute()
    try:
        cache.set(key, sections, seconds)
    except Exception:  # unpicklable context or a cache that went away: next time computes again
        log.warning("home sections not cached", exc_info=True)
    return sections
