"""Worklists on each role's home page: apps register providers; the home page asks each for its items.

The core cannot import the apps above it, so they plug in here from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from .providers import RoleProviders
from .roles import ProvinceAccess


@dataclass(frozen=True)
class WorkItem:
    """One line of a worklist: what waits, how many, and where to act."""

    title: str
    count: int
    url: str
    urgent: bool = False


Provider = Callable[[ProvinceAccess], list[WorkItem]]
_registry: RoleProviders[WorkItem] = RoleProviders()
register = _registry.register
providers = _registry.providers


def items_for(access: ProvinceAccess, role: str) -> list[WorkItem]:
    return _registry.gather(access, role)
