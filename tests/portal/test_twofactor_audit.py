"""Two-factor changes are audit events: enrolment, removal, a backup code used, backup codes made anew."""

import time

import pytest
import time_machine
from django.test import Client

from portal import twofactor
from portal.models import AuditEvent, User
from tests.factories import PASSWORD, MembershipFactory
from tests.portal.test_twofactor import code_of, enrolled, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on(settings: object) -> None:
    settings.TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]
    settings.TWO_FACTOR_PROVINCES = {}  # type: ignore[attr-defined]


def events(user: User, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="portal.user", object_id=str(user.pk), action=action))


def test_enrolment_is_audited_once_in_the_officers_province() -> None:
    # given an officer signing in for the first time, on the enrolment page
    user = MembershipFactory(user__username="gd-officer", province="gd", provincial_officer=True).user
    client = Client()
    sign_in(client, "gd-officer")
    client.get("/accounts/two-factor/enrol/")
    device = twofactor.pending_device(user)

    # when a wrong code is given, then nothing is recorded
    client.post("/accounts/two-factor/enrol/", {"code": f"{(int(code_of(device)) + 1) % 10**6:06d}"})
    assert events(user, "two_factor_enrolled") == []

    # when the right code confirms the device, then one event names the person, in their province, with the address
    with time_machine.travel(time.time() + 2):
        client.post("/accounts/two-factor/enrol/", {"code": code_of(device)})
    (event,) = events(user, "two_factor_enrolled")
    assert event.actor == user
    assert event.province is not None and event.province.slug == "gd"
    assert event.ip_address == "127.0.0.1"


def test_a_backup_code_used_at_sign_in_is_audited_with_the_codes_left_and_never_the_code() -> None:
    # given an officer with backup codes
    user = MembershipFactory(user__username="gd-officer", province="gd", city_officer=True).user
    device, codes = enrolled(user)
    client = Client()
    sign_in(client, "gd-officer")

    # when they sign in with an authenticator code, then no backup-code event is written
    client.post("/accounts/two-factor/verify/", {"code": code_of(device)})
    assert events(user, "two_factor_backup_code_used") == []

    # when they sign in again with a backup code, then one event says so, with 9 codes left
    other = Client()
    sign_in(other, "gd-officer")
    other.post("/accounts/two-factor/verify/", {"code": codes[0]})
    (event,) = events(user, "two_factor_backup_code_used")
    assert event.changes == {"codes_left": 9}
    assert codes[0] not in str(event.changes) + event.object_repr + event.reason


def test_a_backup_code_given_for_an_api_token_is_audited() -> None:
    user = MembershipFactory(user__username="gd-officer", province="gd", expert=True).user
    _device, codes = enrolled(user)

    response = Client().post("/api/v1/auth/token/", {"username": "gd-officer", "password": PASSWORD,
                                                     "otp_token": codes[3]})

    assert response.status_code == 200
    (event,) = events(user, "two_factor_backup_code_used")
    assert event.changes == {"codes_left": 9}


def test_new_backup_codes_are_audited() -> None:
    user = MembershipFactory(user__username="gd-officer", province="gd", quality_supervisor=True).user
    device, _codes = enrolled(user)
    client = Client()
    sign_in(client, "gd-officer")
    client.post("/accounts/two-factor/verify/", {"code": code_of(device)})

    response = client.post("/accounts/two-factor/backup-codes/")

    assert response.status_code == 200
    (event,) = events(user, "two_factor_backup_codes_regenerated")
    assert event.province is not None and event.province.slug == "gd"


def test_removal_is_audited_and_a_refused_removal_is_not() -> None:
    # given an institution member (who may turn it off) and an officer (who may not), both enrolled
    member = MembershipFactory(user__username="org-user", province="gd", institution_member=True).user
    officer = MembershipFactory(user__username="gd-officer", province="gd", provincial_officer=True).user
    for user in (member, officer):
        device, _codes = enrolled(user)
        client = Client()
        sign_in(client, user.username)
        client.post("/accounts/two-factor/verify/", {"code": code_of(device)})

        # when each asks to turn it off
        client.post("/accounts/two-factor/off/")

    # then the member's removal is one event; the officer's refused request writes none
    assert len(events(member, "two_factor_removed")) == 1
    assert events(officer, "two_factor_removed") == []
    assert not twofactor.has_device(member)


def test_a_person_in_two_provinces_gets_an_event_in_each_and_one_without_a_province_in_the_portal_chain() -> None:
    # given a person with memberships in two provinces, and one with none
    user = MembershipFactory(user__username="two", province="gd", provincial_officer=True).user
    MembershipFactory(user=user, province="sd", expert=True)
    loner = User.objects.create_user(username="loner", password=PASSWORD)

    # when each gets new backup codes through the service
    for person in (user, loner):
        twofactor.regenerate_backup_codes(None, person)

    # then the first has one event per province, the second one without a province
    assert sorted(e.province.slug for e in events(user, "two_factor_backup_codes_regenerated")
                  if e.province is not None) == ["gd", "sd"]
    assert [e.province for e in events(loner, "two_factor_backup_codes_regenerated")] == [None]
