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


def register(role: str) -> Callable[[Provider], Provider]:
    def decorator(provider: Provider) -> Provider:
        if provider not in _providers[role]:
            _providers[role].append(provider)
        return provider

    return decorator


def items_for(access: ProvinceAccess, role: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _providers.get(role, []):
        items.extend(provider(access))
    return items
