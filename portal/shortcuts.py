"""Next steps on each role's home page: apps register the pages a person of a role goes to, with a line on why.

Worklists say what waits; shortcuts say what a person can do next even when nothing waits, so no home is a dead end.
The core cannot import the apps above it, so they plug in here from their AppConfig.ready(), as worklists do.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .roles import ProvinceAccess

__all__ = ["Provider", "Shortcut", "register", "shortcuts_for"]


@dataclass(frozen=True)
class Shortcut:
    """One link of a home page's next steps: where to go and, in a few words, what is done there."""

    title: str
    url: str
    hint: str = ""


Provider = Callable[[ProvinceAccess], list[Shortcut]]
_providers: dict[str, list[Provider]] = defaultdict(list)


def register(role: str) -> Callable[[Provider], Provider]:
    """Register a provider of shortcuts for a role's home (idempotent); call from AppConfig.ready()."""
    def decorator(provider: Provider) -> Provider:
        if provider not in _providers[role]:
            _providers[role].append(provider)
        return provider

    return decorator


def shortcuts_for(access: ProvinceAccess, role: str) -> list[Shortcut]:
    """The shortcuts of `role` for this person, each address once (the first provider's wording wins)."""
    seen: set[str] = set()
    result: list[Shortcut] = []
    for provider in _providers.get(role, []):
        for shortcut in provider(access):
            if shortcut.url not in seen:
                seen.add(shortcut.url)
                result.append(shortcut)
    return result
