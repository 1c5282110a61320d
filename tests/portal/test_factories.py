"""The factories make valid objects (every field validator passes) in the province they are given."""

import pytest

from portal.models import City, Membership, Province, Role
from tests.factories import (
    PASSWORD,
    AuditEventFactory,
    CalendarDayFactory,
    CalendarYearFactory,
    ExportJobFactory,
    InstitutionFactory,
    MembershipFactory,
    NotificationFactory,
    OccupationFactory,
    TokenFactory,
    UserFactory,
    WorkTypeFactory,
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
