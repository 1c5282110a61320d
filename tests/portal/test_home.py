"""Home pages: the root sends a person to their province; each role sees its section on the province page."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from portal.demo_data import load_core_demo
from portal.models import Role, User
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, UserFactory, officer, the_member

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")

# demo username -> (role, what the section heading names after the role)
DEMO_ACCOUNTS = {
    "gd-province": (Role.PROVINCIAL_OFFICER, ""),
    "gd-city-4401": (Role.CITY_OFFICER, " · 广州市"),
    "gd-expert-1": (Role.EXPERT, ""),
    "gd-supervisor": (Role.QUALITY_SUPERVISOR, ""),
    "gd-org-1": (Role.INSTITUTION_MEMBER, " · 广东省智能制造产业协会"),
    "sd-city-3702": (Role.CITY_OFFICER, " · 青岛市"),
    "sd-org-2": (Role.INSTITUTION_MEMBER, " · 青岛海工职业培训学校"),
    "gz-province": (Role.PROVINCIAL_OFFICER, ""),
    "gz-supervisor": (Role.QUALITY_SUPERVISOR, ""),
}


@pytest.mark.parametrize("username", sorted(DEMO_ACCOUNTS))
def test_each_demo_role_sees_its_province_home(username: str, login: Callable[[User], Client]) -> None:
    # given the demo accounts
    load_core_demo()
    user = User.objects.get(username=username)
    slug = username.split("-")[0]
    role, bound = DEMO_ACCOUNTS[username]

    # when they open their province's page
    response = login(user).get(f"/{slug}/")

    # then it shows the province and one section, for their role
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{response.context['province'].name}工作台</h1>" in html
    assert f'<h2 id="role-{role.value}">{role.label}{bound}</h2>' in html
    assert [section["role"] for section in response.context["sections"]] == [role]


def test_demo_data_is_idempotent() -> None:
    load_core_demo()
    load_core_demo()

    assert User.objects.filter(username__startswith="gd-").count() == 8
    assert User.objects.get(username="admin").is_superuser is True


def _work_items(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.title for section in response.context["sections"] for item in section["items"]]


def test_provincial_officer_sees_the_calendar_reminder_in_november(login: Callable[[User], Client]) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        response = login(officer("gd")).get("/gd/")

    assert "2027年工作日历待录入" in _work_items(response)
    assert "2027年工作日历待录入" in response.content.decode()


def test_no_calendar_reminder_before_november_or_once_published(login: Callable[[User], Client]) -> None:
    client = login(officer("gd"))
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        june = client.get("/gd/")
    with time_machine.travel(dt.datetime(2025, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        november_2025 = client.get("/gd/")  # 2026 is already published

    assert "2027年工作日历待录入" not in _work_items(june)
    assert "2026年工作日历待录入" not in _work_items(november_2025)


def test_a_person_without_membership_in_the_province_gets_404(login: Callable[[User], Client]) -> None:
    user = officer("gd")

    assert login(user).get("/sd/").status_code == 404
    assert login(UserFactory()).get("/gd/").status_code == 404


def test_an_unknown_province_is_404(login: Callable[[User], Client]) -> None:
    assert login(officer("gd")).get("/xx/").status_code == 404


def test_root_sends_a_one_province_user_to_their_province(login: Callable[[User], Client]) -> None:
    response = login(officer("sd", city=True)).get("/", follow=True)

    assert response.redirect_chain == [("/home/", 302), ("/sd/", 302)]
    assert response.status_code == 200


def test_a_two_province_user_chooses(login: Callable[[User], Client]) -> None:
    user = officer("gd")
    MembershipFactory(user=user, province="gz", expert=True)

    response = login(user).get("/home/")

    assert response.status_code == 200
    assert [p.slug for p in response.context["provinces"]] == ["gd", "gz"]


def test_anonymous_visitors_see_the_landing_page_and_must_log_in_for_a_province() -> None:
    client = Client()

    landing = client.get("/")
    province = client.get("/gd/")

    assert landing.status_code == 200
    assert "社会培训评价组织备案与监管平台" in landing.content.decode()
    assert province.status_code == 302
    assert province["Location"] == "/accounts/login/?next=/gd/"


@pytest.mark.parametrize("username", sorted(DEMO_ACCOUNTS))
def test_each_demo_home_lists_next_steps_that_open(username: str, login: Callable[[User], Client]) -> None:
    # given a demo account on its province home
    load_core_demo()
    client = login(User.objects.get(username=username))
    response = client.get(f"/{username.split('-')[0]}/")

    # then its section lists where to go next, each with a line on why, and every one of them opens for this person
    shortcuts = [s for section in response.context["sections"] for s in section["shortcuts"]]
    assert shortcuts, "a home with no next steps is a dead end"
    assert all(s.hint for s in shortcuts)
    for shortcut in shortcuts:
        assert f'href="{shortcut.url}"' in response.content.decode().replace("&amp;", "&")
        assert client.get(shortcut.url, follow=True).status_code == 200, shortcut


@pytest.mark.parametrize(("trait", "explains"), [
    ("expert", "经办人员为您分配评估表或监督检查后"),
    ("quality_supervisor", "分配给您的监督检查、考核督导"),
    ("institution_member", "申报批次开放时会在这里提示"),
])
def test_an_empty_worklist_says_what_will_appear_there_and_when(trait: str, explains: str,
                                                                 login: Callable[[User], Client]) -> None:
    membership = MembershipFactory(province="gd", **{trait: True})

    html = login(membership.user).get("/gd/").content.decode()

    assert "暂无待办事项。" in html
    assert explains in html


def test_a_new_institution_is_told_of_the_open_call(login: Callable[[User], Client]) -> None:
    # given an open call and a closed one, and an institution that has applied to neither
    CallFactory(province="gd", title="2027年社会培训评价组织遴选")
    CallFactory(province="gd", title="已截止的批次", closed=True)
    membership = MembershipFactory(province="gd", institution_member=True)

    # when its member opens the home
    response = login(membership.user).get("/gd/")

    # then the open call (not the closed one) is on the worklist, pointing at where an application starts
    items = [i for section in response.context["sections"] for i in section["items"]]
    open_calls = [i for i in items if "申报批次开放中" in i.title]
    assert [("2027年社会培训评价组织遴选" in i.title, i.url) for i in open_calls] == [
        (True, "/gd/applications/#open-calls")]
    assert "已截止的批次" not in response.content.decode()


def test_the_call_leaves_the_home_once_the_institution_applied(login: Callable[[User], Client]) -> None:
    call = CallFactory(province="gd")
    application = ApplicationFactory(call=call)

    response = login(the_member(application)).get("/gd/")

    assert not [i for s in response.context["sections"] for i in s["items"] if "申报批次开放中" in i.title]


def test_a_superuser_without_a_province_role_is_sent_to_the_admin(login: Callable[[User], Client]) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)

    html = login(admin).get("/", follow=True).content.decode()

    assert '<a class="button" href="/admin/">' in html
    assert "您的账户尚未被授予任何省份的角色" not in html


def test_a_person_without_any_role_is_not_offered_the_admin(login: Callable[[User], Client]) -> None:
    html = login(UserFactory()).get("/home/").content.decode()

    assert "您的账户尚未被授予任何省份的角色" in html
    assert 'href="/admin/"' not in html


def test_the_public_home_links_to_registration_in_each_province() -> None:
    html = Client().get("/").content.decode()

    for slug in ("gd", "sd", "gz"):
        assert f'href="/{slug}/register/"' in html
