"""Accounts: login by username or mobile, logout, password change and reset, hashing, lockout, memberships."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from portal.models import Membership, Province, Role, User
from portal.settings import base as base_settings
from tests.factories import PASSWORD, InstitutionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED_OUT_TEXT = "登录失败次数过多，该账户已暂时锁定30分钟。"


def _logged_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_login_with_username() -> None:
    user = UserFactory(username="zhangsan")
    client = Client()

    response = client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert _logged_in_user_id(client) == str(user.pk)


def test_login_with_mobile_number() -> None:
    user = UserFactory(username="lisi", mobile="13712345678")
    client = Client()

    response = client.post("/accounts/login/", {"username": "13712345678", "password": PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_login_with_wrong_password_is_refused_in_chinese() -> None:
    UserFactory(username="wangwu")
    client = Client()

    response = client.post("/accounts/login/", {"username": "wangwu", "password": "wrong-password"})

    assert response.status_code == 200
    assert "用户名（或手机号）与密码不匹配，请重新输入。" in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_inactive_user_cannot_log_in() -> None:
    UserFactory(username="gone", is_active=False)
    client = Client()

    client.post("/accounts/login/", {"username": "gone", "password": PASSWORD})

    assert _logged_in_user_id(client) is None


def test_logout(login: Callable[[User], Client]) -> None:
    client = login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert _logged_in_user_id(client) is None


def test_password_change(login: Callable[[User], Client]) -> None:
    user = UserFactory()
    client = login(user)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2026!")
    assert not user.check_password(PASSWORD)


def test_password_change_needs_login() -> None:
    response = Client().get("/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_email_link_sets_a_new_password() -> None:
    # given a user who forgot their password
    user = UserFactory(email="forgetful@example.cn")
    client = Client()

    # when they ask for a reset
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.cn"})

    # then one mail goes to them with a link
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgetful@example.cn"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None

    # when they follow it and set a new password
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "Chongzhi-2026!", "new_password2": "Chongzhi-2026!"})

    # then the password is changed and the old one no longer works
    assert done.status_code == 302
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("Chongzhi-2026!")
    assert not user.check_password(PASSWORD)
    assert Client().post("/accounts/login/", {"username": user.username, "password": "Chongzhi-2026!"}).status_code == 302


def test_password_reset_for_unknown_email_sends_nothing() -> None:
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.cn"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_argon2_is_the_first_hasher_in_base_settings() -> None:
    # test settings put MD5 first for speed; production and local use the base list
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_lockout_after_five_failures_even_with_the_right_password() -> None:
    # given five failed attempts on one account
    UserFactory(username="target")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "target", "password": "guess"})

    # when the sixth attempt has the right password
    response = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})

    # then it is refused with the locked-out page, in Chinese
    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_four_failures_do_not_lock() -> None:
    user = UserFactory(username="careless")
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "careless", "password": "guess"})

    response = client.post("/accounts/login/", {"username": "careless", "password": PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_city_officer_needs_a_city_in_the_database() -> None:
    user = UserFactory()
    gd = Province.objects.get(slug="gd")

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, province=gd, role=Role.CITY_OFFICER, city=None)

    assert Membership.objects.filter(user=user).count() == 0


def test_institution_member_needs_an_institution_in_the_database() -> None:
    user = UserFactory()
    gd = Province.objects.get(slug="gd")

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, province=gd, role=Role.INSTITUTION_MEMBER, institution=None)

    assert Membership.objects.filter(user=user).count() == 0


def test_bound_memberships_are_accepted() -> None:
    city_officer = MembershipFactory(province="sd", city_officer=True)
    member = MembershipFactory(province="sd", institution_member=True)
    expert = MembershipFactory(province="sd", expert=True)

    assert city_officer.city.code == "3701"
    assert member.institution.province.slug == "sd"
    assert (expert.city, expert.institution) == (None, None)


def test_the_same_role_cannot_be_granted_twice() -> None:
    institution = InstitutionFactory(province="gd")
    membership = MembershipFactory(province="gd", role=Role.INSTITUTION_MEMBER, institution=institution)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, province=membership.province, role=Role.INSTITUTION_MEMBER, institution=institution
        )


def test_a_provincial_officer_role_cannot_be_granted_twice() -> None:
    # city and institution are both empty here; the constraint must still hold
    membership = MembershipFactory(province="gd", provincial_officer=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, province=membership.province, role=Role.PROVINCIAL_OFFICER)


def test_one_person_may_be_city_officer_of_two_cities() -> None:
    gd = Province.objects.get(slug="gd")
    first = MembershipFactory(province="gd", city_officer=True)

    second = Membership.objects.create(
        user=first.user, province=gd, role=Role.CITY_OFFICER, city=gd.cities.get(code="4403")
    )

    assert sorted(m.city.code for m in (first, second)) == ["4401", "4403"]
