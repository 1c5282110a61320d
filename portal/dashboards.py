"""Dashboard panels on each role's home page: apps register providers; the home page renders what they return.

The core cannot import the apps above it, so they plug in here from their AppConfig.ready(), as worklists do.
A panel names its template and carries the context that template needs.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .roles import ProvinceAccess

__all__ = ["Panel", "Provider", "panels_for", "register"]


@dataclass(frozen=True)
class Panel:
    """One block of a home page: a title, the template drawing it and that template's context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[ProvinceAccess], list[Panel]]
_providers: dict[str, list[Provider]] = defaultdict(list)


def register(role: str) -> Callable[[Provider], Provider]:
    """Register a provider of panels for a role's home (idempotent); call from AppConfig.ready()."""
    def decorator(provider: Provider) -> Provider:
        if provider not in _providers[role]:
            _providers[role].append(provider)
        return provider

    return decorator


def panels_for(access: ProvinceAccess, role: str) -> list[Panel]:
    panels: list[Panel] = []
    for provider in _providers.get(role, []):
        panels.extend(provider(access))
    return panels
