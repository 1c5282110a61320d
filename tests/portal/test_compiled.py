"""Counts compiled once (portal.compiled) give what the ORM gives, for each person's scope, and stay fresh."""

from typing import Any

import pytest
from django.db.models import Count, QuerySet

from filings.access import scope_applications
from filings.models import Application, ApplicationState, Filing
from portal import compiled
from portal.models import City, Province
from portal.roles import ProvinceAccess
from tests.factories import ApplicationFactory, InstitutionFactory, city_officer, provincial_officer

pytestmark = pytest.mark.django_db
S = ApplicationState


def _access(user: Any, slug: str = "gd") -> ProvinceAccess:
    return ProvinceAccess.for_user(user, Province.objects.get(slug=slug))


def _submitted(access: ProvinceAccess) -> QuerySet[Application]:
    return scope_applications(access).filter(state=S.SUBMITTED)


def test_each_scope_counts_its_own_rows_and_counts_stay_fresh() -> None:
    guangzhou = InstitutionFactory(province="gd")  # the capital, 4401
    shenzhen = InstitutionFactory(province="gd", city=City.objects.get(code="4403"))
    ApplicationFactory(institution=guangzhou, submitted=True)
    ApplicationFactory(institution=shenzhen, submitted=True)
    ApplicationFactory(province="sd", submitted=True)
    province, city, other = (_access(provincial_officer("gd")), _access(city_officer("gd", "4403")),
                             _access(provincial_officer("sd"), "sd"))

    def asked(access: ProvinceAccess) -> int:
        return compiled.count("test.submitted", access, Application, lambda: _submitted(access))

    assert [asked(a) for a in (province, city, other)] == [2, 1, 1]
    assert [asked(a) for a in (province, city, other)] == [_submitted(a).count() for a in (province, city, other)]

    # a new row shows at once: the SQL is kept, never the result
    ApplicationFactory(institution=shenzhen, submitted=True)
    assert [asked(a) for a in (province, city, other)] == [3, 2, 1]


def test_rows_are_those_of_the_values_list() -> None:
    for state in (S.SUBMITTED, S.SUBMITTED, S.DRAFT):
        ApplicationFactory(province="gd", **({"submitted": True} if state == S.SUBMITTED else {}))
    access = _access(provincial_officer("gd"))

    def build() -> QuerySet[Any]:
        return scope_applications(access).values_list("state").annotate(n=Count("*")).values_list("state", "n")

    # the province's officers see every application but drafts
    assert sorted(compiled.rows("test.by_state", access, Application, build)) == sorted(build()) == [(S.SUBMITTED, 2)]


def test_a_queryset_of_another_model_than_declared_is_refused() -> None:
    access = _access(provincial_officer("gd"))
    with pytest.raises(ValueError, match="reads Application"):
        compiled.count("test.wrong_model", access, Filing, lambda: _submitted(access))


def test_the_kept_queries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "MAX_KEPT", 2)
    monkeypatch.setattr(compiled, "_kept", type(compiled._kept)())
    access = _access(provincial_officer("gd"))
    for name in ("a", "b", "c"):
        compiled.count(f"test.{name}", access, Application, lambda: _submitted(access))
    assert [key[0] for key in compiled._kept] == ["test.b", "test.c"]
