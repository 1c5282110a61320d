"""The factories make valid objects (every field validator passes) in the province they are given; each trait makes
the shape it names; the people helpers default to Guangdong."""

import pytest

from portal.models import City, Membership, Province, Role
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    AuditEventFactory,
    CalendarDayFactory,
    CalendarYearFactory,
    ExportJobFactory,
    FilingFactory,
    InstitutionFactory,
    MembershipFactory,
    NotificationFactory,
    OccupationFactory,
    TokenFactory,
    UserFactory,
    WorkTypeFactory,
    city_officer,
    officer,
    provincial_officer,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        UserFactory,
        InstitutionFactory,
        MembershipFactory,
        AuditEventFactory,
        NotificationFactory,
        ExportJobFactory,
        OccupationFactory,
        WorkTypeFactory,
        CalendarYearFactory,
        CalendarDayFactory,
    ],
)
def test_factory_objects_pass_model_validation(factory: type) -> None:
    obj = factory()

    # ExportJob.params is {} for an export without filters, which full_clean calls blank (the field lacks blank=True)
    obj.full_clean(exclude=["params"] if factory is ExportJobFactory else None)


def test_traits_and_province_slugs() -> None:
    city_officer = MembershipFactory(province="sd", city_officer=True)
    member = MembershipFactory(province="gz", institution_member=True)
    done = ExportJobFactory(province="sd", done=True)
    institution = InstitutionFactory(province="gz")

    assert (city_officer.role, city_officer.city, city_officer.province.slug) == (
        Role.CITY_OFFICER, City.objects.get(code="3701"), "sd"
    )
    assert (member.role, member.institution.province, member.institution.city.code) == (
        Role.INSTITUTION_MEMBER, Province.objects.get(slug="gz"), "5201"
    )
    assert (done.status, bool(done.file)) == ("done", True)
    assert institution.credit_code[2:4] == "52"
    assert UserFactory().check_password(PASSWORD)
    assert len(TokenFactory().key) == 40
    assert Membership.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_reference_data_fixture_restores_what_a_flush_removed(reference_data: None) -> None:
    # transactional tests run after a flush may find empty tables; the fixture puts the migration data back
    assert Province.objects.count() == 3
    assert MembershipFactory(province="gd", city_officer=True).city.code == "4401"


def test_the_people_helpers_default_to_guangdong_everywhere() -> None:
    assert [m.province.slug for m in provincial_officer().memberships.all()] == ["gd"]
    assert [m.province.slug for m in officer().memberships.all()] == ["gd"]
    assert [(m.role, m.city.code) for m in city_officer("sd").memberships.all()] == [(Role.CITY_OFFICER, "3701")]


def test_one_application_factory_with_a_trait_per_shape() -> None:
    draft = ApplicationFactory(province="sd")
    scoring = ApplicationFactory(city_scoring=True)
    by_province = ApplicationFactory(province_route=True)
    ended = ApplicationFactory(publicity_ended=True, occupations=2)

    assert (draft.state, draft.category, draft.occupations.count()) == ("draft", "private_training", 0)
    assert (scoring.state, scoring.route, list(scoring.occupations.values_list("occupation__code", "levels"))) == (
        "city_scoring", "city", [("6-18-01-01", [4, 3])]
    )
    assert scoring.call.application_deadline < scoring.submitted_at < scoring.call.city_review_deadline
    assert (by_province.state, by_province.route) == ("submitted", "province")
    assert (ended.state, ended.route, ended.occupations.count()) == ("publicity_ended", "city", 2)


def test_one_filing_factory_bare_or_with_its_scope() -> None:
    bare = FilingFactory(province="gz")
    scoped = FilingFactory(with_scope=True)

    assert (bare.province.slug, bare.occupations.count(), bare.letters.count(), bare.application) == ("gz", 0, 0, None)
    assert (scoped.occupations.count(), bool(scoped.letters.get().pdf)) == (1, True)
