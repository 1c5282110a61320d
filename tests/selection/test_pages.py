"""Officer pages of selection: the overview, the expert pool, a panel with its draws, the province's selection,
approval and publication; the home page worklists of each role; the demo expert pool."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from filings.models import Application
from portal.models import Role, User
from selection.models import Draw, Expert, ScoreSheet
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ExpertFactory,
    MembershipFactory,
    PanelFactory,
    expert_with_account,
    sheet_with_total,
)

pytestmark = pytest.mark.django_db


def test_the_overview_lists_calls_with_their_panels(login: Callable[..., Client],
                                                     django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    CallFactory(closed=True)
    client = login(panel.call.created_by)

    with django_assert_max_num_queries(25):
        page = client.get(reverse("selection:index", kwargs={"province": "gd"}))

    assert page.status_code == 200
    assert panel.call.title in page.content.decode() and "广州市地市初评" in page.content.decode()


def test_the_provincial_officer_adds_an_expert_to_the_pool(login: Callable[..., Client],
                                                            django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    officer = MembershipFactory(province="gd").user
    account = MembershipFactory(province="gd", role=Role.EXPERT).user
    ExpertFactory.create_batch(5)
    client = login(officer)
    url = reverse("selection:expert_list", kwargs={"province": "gd"})

    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "陈工", "employer": "广州某研究院", "employer_credit_code": "91440100000000001X",
                            "fields_text": "6-18", "is_active": "on"})
    client.post(url, {"name": "陈工", "employer": "广州某研究院", "fields_text": "6-18, 4-04", "contact": "020-1",
                      "username": account.username, "is_active": "on"})

    assert bad.status_code == 200 and 'id="id_employer_credit_code_error"' in bad.content.decode()
    expert = Expert.objects.get(name="陈工")
    assert (expert.fields, expert.user, expert.is_active) == (["4-04", "6-18"], account, True)


def test_an_expert_field_must_be_a_code_prefix() -> None:
    from portal.errors import DomainError
    from selection import services

    with pytest.raises(DomainError) as refused:
        services.add_expert(CallFactory(closed=True).province, acting_user=MembershipFactory(province="gd").user,
                            data=services.ExpertData(name="x", employer="y", fields=["机械"]))

    assert str(refused.value) == "专业领域“机械”不是职业分类大典的编码前缀（如 6、6-18、6-18-01）。"


def test_the_panel_page_draws_and_shows_progress(login: Callable[..., Client],
                                                  django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    for _ in range(4):
        ExpertFactory()
    sheet_with_total(panel, ApplicationFactory(city_scoring=True, call=panel.call), 70)
    client = login(panel.call.created_by)
    url = reverse("selection:panel_detail", kwargs={"province": "gd", "pk": panel.pk})

    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200
    response = client.post(url, {"action": "draw", "application": application.pk, "count": 2, "seed": 5,
                                 "match_fields": "on"}, follow=True)

    draw = Draw.objects.get()
    assert (draw.seed, len(draw.result)) == (5, 2)
    assert "已随机抽取2名专家（随机种子5）。" in response.content.decode()
    assert ScoreSheet.objects.filter(application=application).count() == 2
    assert "0/2" in response.content.decode() and "1/1" in response.content.decode()


def test_the_province_selects_approves_and_publishes_on_its_page(login: Callable[..., Client], monday) -> None:  # type: ignore[no-untyped-def]
    panel = PanelFactory(provincial=True)
    first, second = (ApplicationFactory(city_scoring=True, call=panel.call, state="province_review") for _ in range(2))
    client = login(panel.call.created_by)
    ranking = reverse("selection:province_ranking", kwargs={"province": "gd", "call_pk": panel.call.pk})

    client.post(ranking, {"action": "select", "selected": [str(first.pk)], "reason": "排名靠后"})
    client.post(reverse("selection:approval", kwargs={"province": "gd", "call_pk": panel.call.pk}), {
        "meeting_date": "2026-05-29", "document_number": "粤技评〔2026〕12号",
        "attachment": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")})
    response = client.post(reverse("selection:publish", kwargs={"province": "gd", "call_pk": panel.call.pk}),
                           follow=True)

    assert [Application.objects.get(pk=a.pk).state for a in (first, second)] == ["in_publicity", "not_selected"]
    assert "已发布公示，公示期2026-06-02至2026-06-08。" in response.content.decode()


def test_worklists_show_each_roles_waiting_work(login: Callable[..., Client]) -> None:
    call = CallFactory(closed=True, city_review_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    ApplicationFactory(city_scoring=True, call=call)
    ApplicationFactory(city_scoring=True, call=call, state="recommended")
    panel = PanelFactory(call=call)
    expert = expert_with_account()
    sheet_with_total(panel, ApplicationFactory(city_scoring=True, call=call), 0, expert=expert, submitted=False)
    city_officer = MembershipFactory(province="gd", city_officer=True).user

    expert_home = login(expert.user).get(reverse("province_home", kwargs={"province": "gd"})).content.decode()
    city_home = login(city_officer).get(reverse("province_home", kwargs={"province": "gd"})).content.decode()
    province_home = login(call.created_by).get(reverse("province_home", kwargs={"province": "gd"})).content.decode()

    assert "待填写的评估表" in expert_home
    assert f"汇总表待报送：{call.title}（2099-01-01 08:00前）" in city_home
    assert "待分配省级评审专家的申请" in province_home


def test_the_demo_experts_are_in_their_provinces_pools(reference_data: None) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent

    pool = {(e.province.slug, e.user.username) for e in Expert.objects.select_related("province", "user")}
    assert pool == {(slug, f"{slug}-expert-{n}") for slug in ("gd", "sd", "gz") for n in (1, 2)}
    assert Expert.objects.get(user=User.objects.get(username="gd-expert-1")).fields == ["6"]
