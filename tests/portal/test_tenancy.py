"""Tenancy: an object of another province does not exist for a Guangdong officer, on any page or API endpoint.

The URLs come from the resolver, so a new URL under a province that takes an id fails here until its app
registers it in its test package's tenancy_objects.py (see tests/portal/tenancy_objects.py) with a factory for
an object of its type: that is how every app proves its own tenant scoping.
"""

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

import tests
from portal.access import access_institution, scope_institutions
from portal.models import Province, Role, User
from portal.roles import ProvinceAccess
from tests.factories import AuditEventFactory, InstitutionFactory, MembershipFactory, TokenFactory
from tests.portal.tenancy_objects import MakeObject, MakeShared
from tests.portal.url_walk import API_PROVINCE_PREFIX, Endpoint, province_object_endpoints


def _registries() -> tuple[dict[str, MakeObject], dict[str, tuple[str, MakeShared]]]:
    """Merge the `tenancy_objects` module of every test package (tests/<app>/tenancy_objects.py)."""
    tenant: dict[str, MakeObject] = {}
    shared: dict[str, tuple[str, MakeShared]] = {}
    for module_file in sorted(Path(tests.__file__).parent.glob("*/tenancy_objects.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.tenancy_objects")
        more_tenant, more_shared = getattr(module, "TENANT_OBJECTS", {}), getattr(module, "SHARED_OBJECTS", {})
        twice = (set(more_tenant) | set(more_shared)) & (set(tenant) | set(shared))
        assert not twice, f"{module.__name__} registers URLs another tenancy_objects module has: {sorted(twice)}"
        tenant.update(more_tenant)
        shared.update(more_shared)
    return tenant, shared


TENANT_OBJECTS, SHARED_OBJECTS = _registries()
pytestmark = pytest.mark.django_db

ENDPOINTS = {e.name: e for e in province_object_endpoints()}
GUANGDONG_OFFICERS = {"city_officer": {"city_officer": True}, "provincial_officer": {"provincial_officer": True}}


def _guangdong_officer(role: str) -> User:
    return MembershipFactory(province="gd", **GUANGDONG_OFFICERS[role]).user


def _url(endpoint: Endpoint, slug: str, kwargs: dict[str, Any]) -> str:
    return reverse(endpoint.name, kwargs={"province": slug, **kwargs})  # type: ignore[arg-type]


def _methods(endpoint: Endpoint) -> list[str]:
    """Every method the view answers: a method it lacks is 405 (before or after the access check), never data."""
    return [m for m in ("get", "post", "put", "patch", "delete") if endpoint.handles(m)] or ["get"]


def _assert_all_404(client: Client, endpoint: Endpoint, urls: list[str], **headers: str) -> None:
    answers = {
        (method, url): getattr(client, method)(url, **headers).status_code
        for url in urls
        for method in _methods(endpoint)
    }
    assert answers == dict.fromkeys(answers, 404)


def test_every_province_url_with_an_id_is_registered() -> None:
    # given every URL under /<province>/ and /api/v1/<province>/ that names an object
    names = set(ENDPOINTS)

    # then each has a factory for a Shandong object (or is declared shared), and no entry is stale
    unregistered = names - set(TENANT_OBJECTS) - set(SHARED_OBJECTS)
    stale = (set(TENANT_OBJECTS) | set(SHARED_OBJECTS)) - names
    assert None not in names, "name every URL that takes an id, so the tenancy test can reach it"
    assert unregistered == set(), "add these URLs to your test package's tenancy_objects.py"
    assert stale == set()
    assert set(TENANT_OBJECTS) & set(SHARED_OBJECTS) == set()


def test_the_walk_finds_the_core_urls_with_an_id() -> None:
    assert set(ENDPOINTS) >= {"audit_detail", "export_detail", "export_download", "calendar_year", "api_audit_event"}


@pytest.mark.parametrize("role", sorted(GUANGDONG_OFFICERS))
@pytest.mark.parametrize("name", sorted(n for n in TENANT_OBJECTS if n in ENDPOINTS))
def test_guangdong_officer_gets_404_for_a_shandong_object(name: str, role: str, login: Callable[..., Client]) -> None:
    # given a Guangdong officer and a Shandong object (made theirs where objects are personal)
    endpoint = ENDPOINTS[name]
    user = _guangdong_officer(role)
    kwargs = TENANT_OBJECTS[name](Province.objects.get(slug="sd"), user)

    # when they ask for it under their own province and under Shandong's, with a session
    # then it does not exist for them
    _assert_all_404(login(user), endpoint, [_url(endpoint, "gd", kwargs), _url(endpoint, "sd", kwargs)])


@pytest.mark.parametrize("role", sorted(GUANGDONG_OFFICERS))
@pytest.mark.parametrize(
    "name", sorted(n for n in TENANT_OBJECTS if n in ENDPOINTS and ENDPOINTS[n].route.startswith(API_PROVINCE_PREFIX))
)
def test_guangdong_officer_gets_404_for_a_shandong_object_with_a_token(name: str, role: str) -> None:
    # given a Guangdong officer calling the API with a token, not a session
    endpoint = ENDPOINTS[name]
    user = _guangdong_officer(role)
    token = TokenFactory(user=user)
    kwargs = TENANT_OBJECTS[name](Province.objects.get(slug="sd"), user)

    # then a Shandong object is 404 under both provinces
    _assert_all_404(
        Client(), endpoint, [_url(endpoint, "gd", kwargs), _url(endpoint, "sd", kwargs)],
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )


def _provincial_officer_may_read(name: str) -> bool:
    endpoint = ENDPOINTS[name]
    return endpoint.handles("get") and Role.PROVINCIAL_OFFICER in getattr(endpoint.view_class, "allowed_roles", ())


@pytest.mark.parametrize("name", sorted(n for n in TENANT_OBJECTS if n in ENDPOINTS and _provincial_officer_may_read(n)))
def test_the_same_urls_serve_a_guangdong_object_to_its_provincial_officer(
    name: str, login: Callable[..., Client]
) -> None:
    # control: the URLs above are right, and the 404s come from the province, not from a broken URL
    endpoint = ENDPOINTS[name]
    user = _guangdong_officer("provincial_officer")
    kwargs = TENANT_OBJECTS[name](Province.objects.get(slug="gd"), user)

    response = login(user).get(_url(endpoint, "gd", kwargs))

    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(SHARED_OBJECTS))
def test_shared_data_is_404_under_another_province(name: str, login: Callable[..., Client]) -> None:
    endpoint = ENDPOINTS[name]
    user = _guangdong_officer("provincial_officer")
    _, make = SHARED_OBJECTS[name]
    kwargs = make()
    client = login(user)

    assert client.get(_url(endpoint, "gd", kwargs)).status_code == 200
    _assert_all_404(client, endpoint, [_url(endpoint, "sd", kwargs)])


def test_api_token_reaches_own_province_and_not_the_other() -> None:
    # given a Guangdong provincial officer with a token and one event in each province
    user = _guangdong_officer("provincial_officer")
    token = TokenFactory(user=user)
    gd_event = AuditEventFactory(province="gd", action="gd_only")
    AuditEventFactory(province="sd", action="sd_only")
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    # when listing events of each province
    own = Client().get("/api/v1/gd/audit-events/", **auth)
    other = Client().get("/api/v1/sd/audit-events/", **auth)

    # then Guangdong's list holds only its event and Shandong's does not exist
    assert own.status_code == 200
    assert [row["id"] for row in own.json()["results"]] == [gd_event.pk]
    assert other.status_code == 404


def test_city_officer_sees_only_institutions_of_their_city(db: None) -> None:
    # given institutions in Guangzhou, Shenzhen and Jinan, and a Guangzhou city officer
    guangzhou = InstitutionFactory(province="gd")  # the factory's default city is the capital, 广州 4401
    shenzhen = InstitutionFactory(province="gd", city=Province.objects.get(slug="gd").cities.get(code="4403"))
    jinan = InstitutionFactory(province="sd")
    user = _guangdong_officer("city_officer")
    access = ProvinceAccess.for_user(user, Province.objects.get(slug="gd"))

    # then the scope holds only the Guangzhou one, and the others are 404 by id
    assert list(scope_institutions(access)) == [guangzhou]
    assert access_institution(access, guangzhou.pk) == guangzhou
    for other in (shenzhen, jinan):
        with pytest.raises(Http404):
            access_institution(access, other.pk)


def test_provincial_officer_scope_is_the_whole_province_and_member_scope_their_institution(db: None) -> None:
    gd = Province.objects.get(slug="gd")
    first, second = InstitutionFactory(province="gd"), InstitutionFactory(province="gd")
    InstitutionFactory(province="sd")
    officer = _guangdong_officer("provincial_officer")
    member = MembershipFactory(province="gd", role=Role.INSTITUTION_MEMBER, institution=second).user

    officer_scope = set(scope_institutions(ProvinceAccess.for_user(officer, gd)))
    member_scope = list(scope_institutions(ProvinceAccess.for_user(member, gd)))

    assert officer_scope == {first, second}
    assert member_scope == [second]


def test_inactive_membership_gives_no_access(login: Callable[..., Client]) -> None:
    # a withdrawn role is as good as none: the province's pages do not exist for that person
    membership = MembershipFactory(province="gd", provincial_officer=True, is_active=False)

    response = login(membership.user).get("/gd/audit/")

    assert response.status_code == 404


def test_without_the_role_a_page_is_403_and_an_object_url_404(login: Callable[..., Client]) -> None:
    # a city officer may not use the audit log: the list says so (403); an event's URL answers as for any id
    # they cannot reach (404), so ids of their own province and of another are indistinguishable
    client = login(_guangdong_officer("city_officer"))
    own = AuditEventFactory(province="gd")

    assert client.get("/gd/audit/").status_code == 403
    assert client.get("/api/v1/gd/audit-events/").status_code == 403
    assert client.get(f"/gd/audit/{own.pk}/").status_code == 404
    assert client.get(f"/api/v1/gd/audit-events/{own.pk}/").status_code == 404
