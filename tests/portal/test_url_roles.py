"""Every page and API endpoint declares the roles that may use it (allowed_roles on its view class)."""

from collections.abc import Callable

from portal.models import Role
from portal.roles import AUTHENTICATED, PUBLIC
from tests.portal.url_walk import Endpoint, walk

# Django's own views, which cannot carry the attribute. Keep this list short: anything of ours belongs elsewhere.
DJANGO_OWN: dict[str, Callable[[Endpoint], bool]] = {
    "admin site (superusers only, its own permission checks)": lambda e: e.route.startswith("admin/"),
    "set_language (i18n)": lambda e: e.callback.__module__ == "django.views.i18n",
    "static files (DEBUG only)": lambda e: e.callback.__module__
    in ("django.views.static", "django.contrib.staticfiles.views"),
}

KNOWN_ROLES = {PUBLIC, AUTHENTICATED, *Role.values}


def _is_django_own(endpoint: Endpoint) -> bool:
    return any(rule(endpoint) for rule in DJANGO_OWN.values())


def test_every_view_declares_its_allowed_roles() -> None:
    # given every URL pattern of the project, through every include
    endpoints = [e for e in walk() if not _is_django_own(e)]

    # then each is a class-based view with a non-empty allowed_roles made of known roles
    undeclared = [
        e.route for e in endpoints if e.view_class is None or not getattr(e.view_class, "allowed_roles", ())
    ]
    unknown = {
        e.route: sorted(set(map(str, e.view_class.allowed_roles)) - KNOWN_ROLES)  # type: ignore[union-attr]
        for e in endpoints
        if e.view_class is not None and set(map(str, getattr(e.view_class, "allowed_roles", ()))) - KNOWN_ROLES
    }
    assert undeclared == []
    assert unknown == {}


def test_the_walk_sees_pages_api_and_the_allow_list() -> None:
    # the check above is only as good as the walk: it reaches nested includes and Django's own views
    routes = {e.route: e for e in walk()}

    assert "<slug:province>/audit/<int:pk>/" in routes
    assert "api/v1/<slug:province>/audit-events/<int:pk>/" in routes
    assert "accounts/reset/<uidb64>/<token>/" in routes
    assert _is_django_own(routes["i18n/setlang/"])
    assert _is_django_own(routes["admin/"])
    assert not _is_django_own(routes["<slug:province>/audit/<int:pk>/"])


def test_declared_roles_of_core_views_are_exact() -> None:
    # a few pins, so a widened permission shows up in review
    routes = {e.name: e.view_class for e in walk() if e.name}

    assert routes["audit_list"].allowed_roles == (Role.PROVINCIAL_OFFICER,)  # type: ignore[union-attr]
    assert routes["api_audit_event"].allowed_roles == (Role.PROVINCIAL_OFFICER,)  # type: ignore[union-attr]
    assert routes["calendar_year"].allowed_roles == (Role.PROVINCIAL_OFFICER,)  # type: ignore[union-attr]
    assert set(routes["export_download"].allowed_roles) == {  # type: ignore[union-attr]
        Role.PROVINCIAL_OFFICER,
        Role.CITY_OFFICER,
    }
    assert routes["inbox"].allowed_roles == (AUTHENTICATED,)  # type: ignore[union-attr]
    assert routes["healthz"].allowed_roles == (PUBLIC,)  # type: ignore[union-attr]
