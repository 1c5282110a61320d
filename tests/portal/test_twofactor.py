"""Two-factor sign-in: enrolment, the code after the password, backup codes, the guard, the API, idle expiry."""

import re
import time

import pytest
import time_machine
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import twofactor
from portal.models import User
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on(settings: object) -> None:
    settings.TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]
    settings.TWO_FACTOR_PROVINCES = {}  # type: ignore[attr-defined]


def code_of(device: TOTPDevice, *, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def officer(username: str = "gd-officer", **traits: bool) -> User:
    return MembershipFactory(user__username=username, province="gd", **traits).user


def sign_in(client: Client, username: str) -> str:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and backup codes, made as the enrolment page makes them."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, twofactor.new_backup_codes(user)


def test_an_officer_without_a_device_is_sent_to_enrolment_and_enrols() -> None:
    # given a provincial officer with no authenticator yet
    officer("gd-officer")
    client = Client()

    # when they sign in with the password, then they are sent to enrolment, which shows the QR code and the secret
    assert sign_in(client, "gd-officer") == "/accounts/two-factor/enrol/?next=%2Fhome%2F"
    page = client.get("/accounts/two-factor/enrol/?next=/home/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'id="enrol-secret">([A-Z2-7]+)<', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user__username="gd-officer", confirmed=False)
    assert secret.group(1) == twofactor.secret_of(device)

    # when they confirm a wrong code, then nothing is enabled
    wrong = client.post("/accounts/two-factor/enrol/", {"code": f"{(int(code_of(device)) + 1) % 10**6:06d}"})
    assert "验证码不正确" in wrong.content.decode()
    assert not twofactor.has_device(device.user)

    # when they confirm the current code (after the second that a failure makes them wait), then the device is
    # confirmed, 10 backup codes are shown once, and the session is verified: the province's pages open
    with time_machine.travel(time.time() + 2):
        done = client.post("/accounts/two-factor/enrol/", {"code": code_of(device), "next": "/gd/"})
    codes = re.findall(r"<li><code>(\d{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/gd/").status_code == 200
    assert "<code>" not in client.get("/accounts/two-factor/").content.decode()


def test_a_staff_user_without_a_device_cannot_reach_a_province_page() -> None:
    for traits in ({"provincial_officer": True}, {"city_officer": True}, {"expert": True},
                   {"quality_supervisor": True}):
        user = MembershipFactory(province="gd", **traits).user
        client = Client()
        client.force_login(user)

        response = client.get("/gd/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/two-factor/enrol/?next=%2Fgd%2F"


def test_sign_in_asks_for_the_code_after_the_password() -> None:
    # given an officer with an authenticator
    device, _codes = enrolled(officer("gd-officer"))
    client = Client()

    # when they sign in with the password, then the code page comes next and province pages wait for it
    assert sign_in(client, "gd-officer") == "/accounts/two-factor/verify/?next=%2Fhome%2F"
    assert client.get("/gd/")["Location"] == "/accounts/two-factor/verify/?next=%2Fgd%2F"
    assert "验证码" in client.get("/accounts/two-factor/verify/").content.decode()

    # when they give the current code, then they reach the page they asked for
    response = client.post("/accounts/two-factor/verify/", {"code": code_of(device), "next": "/gd/"})
    assert response.status_code == 302
    assert response["Location"] == "/gd/"
    assert client.get("/gd/").status_code == 200


def test_a_wrong_code_is_refused() -> None:
    device, _codes = enrolled(officer("gd-officer"))
    client = Client()
    sign_in(client, "gd-officer")
    wrong = f"{(int(code_of(device)) + 1) % 10**6:06d}"

    response = client.post("/accounts/two-factor/verify/", {"code": wrong, "next": "/gd/"})

    assert response.status_code == 200
    assert "验证码不正确或已过期，请重新输入。" in response.content.decode()
    assert client.get("/gd/").status_code == 302


def test_a_backup_code_works_once() -> None:
    # given an officer with backup codes
    _device, codes = enrolled(officer("gd-officer"))
    first = Client()
    sign_in(first, "gd-officer")

    # when a backup code is given, then it verifies the session
    assert first.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/gd/"})["Location"] == "/gd/"
    assert first.get("/gd/").status_code == 200
    assert twofactor.backup_codes_left(_device.user) == 9

    # when the same code is given again in another sign-in, then it is refused
    second = Client()
    sign_in(second, "gd-officer")
    again = second.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/gd/"})
    assert again.status_code == 200
    assert second.get("/gd/").status_code == 302


def test_the_province_setting_turns_it_off() -> None:
    officer("gd-officer")
    client = Client()

    with override_settings(TWO_FACTOR_PROVINCES={"gd": False}):
        assert sign_in(client, "gd-officer") == "/home/"
        assert client.get("/gd/").status_code == 200


def test_an_officer_of_a_province_that_requires_it_needs_it_even_if_another_does_not() -> None:
    user = officer("two-provinces")
    MembershipFactory(user=user, province="gz", expert=True)

    with override_settings(TWO_FACTOR_PROVINCES={"gz": False}):
        assert twofactor.is_required(user)
    with override_settings(TWO_FACTOR_PROVINCES={"gz": False, "gd": False}):
        assert not twofactor.is_required(user)


def test_an_institution_member_signs_in_with_the_password_and_may_enable_it() -> None:
    # given an institution member: not required
    user = MembershipFactory(province="gd", institution_member=True, user__username="org-user").user
    client = Client()
    assert sign_in(client, "org-user") == "/home/"
    assert "未启用" in client.get("/accounts/two-factor/").content.decode()

    # when they enrol from the account page, then their next sign-in asks for the code
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=user)
    client.post("/accounts/two-factor/enrol/", {"code": code_of(device)})
    assert "已启用" in client.get("/accounts/two-factor/").content.decode()
    later = Client()
    assert sign_in(later, "org-user") == "/accounts/two-factor/verify/?next=%2Fhome%2F"

    # and they may turn it off again (an officer may not)
    assert client.post("/accounts/two-factor/off/").status_code == 302
    assert not twofactor.has_device(user)


def test_an_officer_may_not_turn_it_off() -> None:
    user = officer("gd-officer")
    device, _codes = enrolled(user)
    client = Client()
    sign_in(client, "gd-officer")
    client.post("/accounts/two-factor/verify/", {"code": code_of(device)})

    response = client.post("/accounts/two-factor/off/")

    assert "您的角色须使用两步验证，不能关闭。" in response.content.decode()
    assert twofactor.has_device(user)


def test_session_api_calls_need_a_verified_session() -> None:
    device, _codes = enrolled(officer("gd-officer"))
    client = Client()
    sign_in(client, "gd-officer")

    refused = client.get("/api/v1/me/")
    client.post("/accounts/two-factor/verify/", {"code": code_of(device)})
    allowed = client.get("/api/v1/me/")

    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"
    assert allowed.status_code == 200


def test_an_api_token_needs_the_code() -> None:
    device, _codes = enrolled(officer("gd-officer"))
    client = Client()

    without = client.post("/api/v1/auth/token/", {"username": "gd-officer", "password": PASSWORD})
    wrong = client.post("/api/v1/auth/token/", {"username": "gd-officer", "password": PASSWORD,
                                                "otp_token": f"{(int(code_of(device)) + 1) % 10**6:06d}"})
    with time_machine.travel(time.time() + 2):  # a failure makes the device wait a second before the next try
        right = client.post("/api/v1/auth/token/", {"username": "gd-officer", "password": PASSWORD,
                                                    "otp_token": code_of(device)})

    assert (without.status_code, without.json()["code"]) == (400, "two_factor_invalid")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "two_factor_invalid")
    assert right.status_code == 200
    assert right.json()["token"]


def test_an_officer_without_a_device_gets_no_api_token() -> None:
    officer("gd-officer")

    response = Client().post("/api/v1/auth/token/", {"username": "gd-officer", "password": PASSWORD})

    assert (response.status_code, response.json()["code"]) == (403, "two_factor_enrolment_required")


def test_public_pages_and_logout_stay_open_before_the_code() -> None:
    enrolled(officer("gd-officer"))
    client = Client()
    sign_in(client, "gd-officer")

    assert client.get("/verify/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_the_lockout_still_counts_password_failures() -> None:
    enrolled(officer("gd-officer"))
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "gd-officer", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "gd-officer", "password": PASSWORD})

    assert "登录失败次数过多" in response.content.decode()


@override_settings(SESSION_IDLE_TIMEOUT=1800, SESSION_COOKIE_AGE=1800, SESSION_IDLE_REFRESH=60)
def test_a_session_ends_after_inactivity_and_activity_keeps_it() -> None:
    # given a verified officer
    device, _codes = enrolled(officer("gd-officer"))
    client = Client()
    start = time.time()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, "gd-officer")
        client.post("/accounts/two-factor/verify/", {"code": code_of(device)})

        # when they work every 20 minutes, then the session stays
        for _ in range(3):
            clock.shift(20 * 60)
            assert client.get("/gd/").status_code == 200

        # when they are away 31 minutes, then the next request must sign in again
        clock.shift(31 * 60)
        response = client.get("/gd/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
