"""Worklists on each role's home page: apps register providers; the home page asks each for its items.

The core cannot import the apps above it, so they plug in here from their AppConfig.ready().
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .roles import ProvinceAccess


@dataclass(frozen=True)
class WorkItem:
    """One line of a worklist: what waits, how many, and where to act."""

    title: str
    count: int
    url: str
    urgent: bool = False


Provider = Callable[[ProvinceAccess], list[WorkItem]]
_providers: dict[str, list[Provider]] = defaultdict(list)
_reads: dict[Provider, tuple[str, ...] | None] = {}


def register(role: str, *, reads: tuple[str, ...] | None = None) -> Callable[[Provider], Provider]:
    """Register a provider of worklist items for a role's home (idempotent); call from AppConfig.ready().

    `reads`: the apps ("filings") and models ("filings.application") whose audit events mark every change to what
    the provider shows, so the home page recomputes it only after one of those (portal.homecache); None, every
    change in the province."""
    def decorator(provider: Provider) -> Provider:
        if provider not in _providers[role]:
            _providers[role].append(provider)
        _reads[provider] = reads
        return provider

    return decorator


def providers(role: str) -> list[tuple[Provider, tuple[str, ...] | None]]:
    """The providers of `role` in order, each with what it reads."""
    return [(provider, _reads.get(provider)) for provider in _providers.get(role, [])]


def items_for(access: ProvinceAccess, role: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _providers.get(role, []):
        items.extend(provider(access))
    return items
