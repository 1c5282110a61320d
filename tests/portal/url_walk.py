"""Every URL pattern of the project, flattened: its full route, name, URL kwargs and view class."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PROVINCE_PREFIX = "<slug:province>/"
API_PROVINCE_PREFIX = "api/v1/<slug:province>/"


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full route, e.g. "<slug:province>/audit/<int:pk>/"
    name: str | None  # with its namespaces, ready for reverse(): "audit_detail", "filings:review_detail"
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]  # names of the URL kwargs along the whole route, in order

    @property
    def view_class(self) -> type | None:
        """The class behind the view: view_class for Django CBVs, cls for DRF views; None for function views."""
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        """The kwargs that name an object: everything but the province slug."""
        return tuple(k for k in self.kwargs if k != "province")

    def handles(self, method: str) -> bool:
        cls = self.view_class
        return cls is not None and hasattr(cls, method.lower())


def _kwarg_names(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def walk(
    patterns: list[Any] | None = None, prefix: str = "", kwargs: tuple[str, ...] = (), namespace: str = ""
) -> Iterator[Endpoint]:
    """Depth-first through includes, from the root URLconf (portal.urls)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + _kwarg_names(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, names, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Endpoint(route=route, name=name, callback=entry.callback, kwargs=names)


def province_object_endpoints() -> list[Endpoint]:
    """Officer pages and API endpoints under a province that take an object id."""
    return [
        e
        for e in walk()
        if e.route.startswith((PROVINCE_PREFIX, API_PROVINCE_PREFIX)) and e.object_kwargs
    ]
