"""Dashboard panels on each role's home page: apps register providers; the home page renders what they return.

The core cannot import the apps above it, so they plug in here from their AppConfig.ready(), as worklists do.
A panel names its template and carries the context that template needs.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .roles import ProvinceAccess

__all__ = ["Panel", "Provider", "panels_for", "providers", "register"]


@dataclass(frozen=True)
class Panel:
    """One block of a home page: a title, the template drawing it and that template's context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[ProvinceAccess], list[Panel]]
_providers: dict[str, list[Provider]] = defaultdict(list)
_reads: dict[Provider, tuple[str, ...] | None] = {}


def register(role: str, *, reads: tuple[str, ...] | None = None) -> Callable[[Provider], Provider]:
    """Register a provider of panels for a role's home (idempotent); call from AppConfig.ready().

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


def panels_for(access: ProvinceAccess, role: str) -> list[Panel]:
    panels: list[Panel] = []
    for provider in _providers.get(role, []):
        panels.extend(provider(access))
    return panels
