"""Providers of a role's home page (worklist items, dashboard panels): registered by the apps, asked in order.

The core cannot import the apps above it, so they plug in from their AppConfig.ready(). portal.worklists and
portal.dashboards each keep one registry; the home page asks for the providers of each role with what each reads
(portal.homecache)."""

from collections import defaultdict
from collections.abc import Callable
from typing import Generic, TypeVar

from .roles import ProvinceAccess

T = TypeVar("T")
Reads = tuple[str, ...] | None


class RoleProviders(Generic[T]):
    """Providers per role, in registration order, each with the apps or models it reads (None: everything)."""

    def __init__(self) -> None:
        self._providers: dict[str, list[Callable[[ProvinceAccess], list[T]]]] = defaultdict(list)
        self._reads: dict[tuple[str, Callable[[ProvinceAccess], list[T]]], Reads] = {}

    def register(self, role: str, *, reads: Reads = None) -> Callable[[Callable[[ProvinceAccess], list[T]]],
                                                                      Callable[[ProvinceAccess], list[T]]]:
        """Register a provider for a role's home (idempotent). `reads`: the apps ("filings") and models
        ("filings.application") whose audit events mark every change to what the provider shows, so the home page
        recomputes it only after one of those (portal.homecache); None, every change in the province."""
        def decorator(provider: Callable[[ProvinceAccess], list[T]]) -> Callable[[ProvinceAccess], list[T]]:
            if provider not in self._providers[role]:
                self._providers[role].append(provider)
            self._reads[(role, provider)] = reads
            return provider

        return decorator

    def providers(self, role: str) -> list[tuple[Callable[[ProvinceAccess], list[T]], Reads]]:
        """The providers of `role` in order, each with what it reads."""
        return [(provider, self._reads.get((role, provider))) for provider in self._providers.get(role, [])]

    def gather(self, access: ProvinceAccess, role: str) -> list[T]:
        """Everything the providers of `role` give this person, computed now."""
        return [entry for provider in self._providers.get(role, []) for entry in provider(access)]
