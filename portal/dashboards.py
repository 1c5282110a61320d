"""Dashboard panels on each role's home page: apps register providers; the home page renders what they return.

The core cannot import the apps above it, so they plug in here from their AppConfig.ready(), as worklists do.
A panel names its template and carries the context that template needs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .providers import RoleProviders
from .roles import ProvinceAccess

__all__ = ["Panel", "Provider", "panels_for", "providers", "register"]


@dataclass(frozen=True)
class Panel:
    """One block of a home page: a title, the template drawing it and that template's context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[ProvinceAccess], list[Panel]]
_registry: RoleProviders[Panel] = RoleProviders()
register = _registry.register
providers = _registry.providers


def panels_for(access: ProvinceAccess, role: str) -> list[Panel]:
    return _registry.gather(access, role)
