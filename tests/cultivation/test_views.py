"""Pages of cultivation and filing: each role's actions, the public catalog, worklists and scoping inside a province."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from filings import services
from filings.models import CultivationState, FilingStatus, TaskKind, TaskState
from portal.models import Occupation, Province
from tests import factories as f
from tests.factories import InstitutionFactory, MembershipFactory, OccupationFactory

pytestmark = pytest.mark.django_db
Login = Callable[..., Client]


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"filings:{name}", kwargs={"province": "gd", **kwargs})


def test_the_organization_signs_the_commitment_and_submits_a_question_bank(login: Login) -> None:
    cultivation = f.cultivation(occupations=1, signed=False)
    client = login(f.the_member(cultivation.institution))
    detail = _url("cultivation_detail", pk=cultivation.pk)

    page = client.get(detail)
    assert page.status_code == 200
    assert "第 1 天 / 共 180 天，剩余 180 天（含今天）" in page.content.decode()
    assert 'id="commitment-form"' in page.content.decode()

    response = client.post(_url("commitment_sign", pk=cultivation.pk),
                           {"signer_name": "张明", "signer_title": "法定代表人", "confirm": "on"})
    assert response.status_code == 302
    cultivation.refresh_from_db()
    assert cultivation.commitment_signer_name == "张明"

    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)
    response = client.post(_url("question_bank_submit", pk=bank.pk),
                           {f"t{bank.pk}-items": f.pdf_upload(), f"t{bank.pk}-note": "第一版"})
    assert response.status_code == 302
    bank.refresh_from_db()
    assert bank.state == TaskState.SUBMITTED
    page = client.get(detail).content.decode()
    assert "试题.pdf" in page and "已提交，待评审" in page


def test_officers_review_record_training_and_file_from_the_cultivation_page(login: Login) -> None:
    cultivation = f.cultivation(occupations=1)
    item = cultivation.occupations.get()
    bank = f.task(item, TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=f.the_member(cultivation.institution), items=f.pdf_upload())
    province, city = login(f.provincial_officer()), login(f.city_officer_of(cultivation.institution))

    returned = province.post(_url("question_bank_review", pk=bank.pk), {f"t{bank.pk}-decision": "return"},
                             follow=True)
    assert "退回修改必须写明理由。" in returned.content.decode()
    province.post(_url("question_bank_review", pk=bank.pk), {f"t{bank.pk}-decision": "accept"})
    training = f.task(item, TaskKind.EXAM_TRAINING)
    city.post(_url("training_record", pk=training.pk), {f"t{training.pk}-attended_on": str(
        cultivation.started_on), f"t{training.pk}-note": "第一期"})
    item.refresh_from_db()
    assert item.state == "accepted"

    page = province.get(_url("cultivation_detail", pk=cultivation.pk)).content.decode()
    assert 'id="file-form"' in page
    response = province.post(_url("file_decision", pk=cultivation.pk), {"occupations": [item.pk]})

    filing = cultivation.institution.filings.get()
    assert response.status_code == 302 and response["Location"] == _url("filing_detail", pk=filing.pk)
    letter = filing.letters.get()
    download = province.get(_url("filing_letter", pk=letter.pk))  # rendered on the first download, then stored
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_inside_a_province_a_city_sees_its_own_cultivations_and_a_member_only_theirs(login: Login) -> None:
    cultivation = f.cultivation(occupations=1)
    shenzhen = MembershipFactory(province="gd", role="city_officer",
                                 city=Province.objects.get(slug="gd").cities.get(code="4403")).user
    stranger = f.member_of(InstitutionFactory(province="gd"))

    for user in (shenzhen, stranger):
        assert login(user).get(_url("cultivation_detail", pk=cultivation.pk)).status_code == 404
    assert login(f.city_officer_of(cultivation.institution)).get(
        _url("cultivation_detail", pk=cultivation.pk)).status_code == 200


def test_a_post_only_url_answers_404_not_405_for_an_object_out_of_scope(login: Login) -> None:
    task = f.a_task("sd")
    client = login(f.provincial_officer("gd"))
    assert client.get(_url("question_bank_review", pk=task.pk)).status_code == 404
    own = f.a_task("gd")
    assert client.get(_url("question_bank_review", pk=own.pk)).status_code == 405


def test_an_organization_that_is_not_active_is_told_it_cannot_add_an_occupation(login: Login) -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    services.suspend_filing(filing, acting_user=f.provincial_officer(), reason="限期整改")
    client = login(f.the_member(filing.institution))

    page = client.get(_url("addition_create", pk=filing.pk)).content.decode()
    assert "本机构备案状态为“暂停”，不能申请新增职业（工种）" in page
    welder = Occupation.objects.get(code="6-18-02-04")
    posted = client.post(_url("addition_create", pk=filing.pk), {
        "occupation": welder.pk, "levels": [4], "has_completed_question_bank": "on", "operating_normally": "on"})
    assert posted.status_code == 200
    assert "不能申请新增职业（工种）" in posted.content.decode()
    assert not filing.additions.exists()


def test_an_active_guangdong_chain_leader_unit_adds_an_occupation_into_cultivation(login: Login) -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    client = login(f.the_member(filing.institution))
    welder = Occupation.objects.get(code="6-18-02-04")

    response = client.post(_url("addition_create", pk=filing.pk), {
        "occupation": welder.pk, "levels": [4, 3], "has_completed_question_bank": "on", "operating_normally": "on",
        "is_chain_leader": "on"})

    addition = filing.additions.get()
    assert response.status_code == 302
    assert response["Location"] == _url("cultivation_detail", pk=addition.cultivation.pk)
    assert addition.cultivation.state == CultivationState.ACTIVE


def test_another_guangdong_organizations_addition_goes_through_selection_in_the_open_call(login: Login) -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")
    client = login(f.the_member(filing.institution))
    form = client.get(_url("addition_create", pk=filing.pk)).content.decode()
    assert "链主培育单位" in form and "其他机构的申请由省级遴选" in form
    post = {"occupation": Occupation.objects.get(code="6-18-02-04").pk, "levels": [4],
            "has_completed_question_bank": "on", "operating_normally": "on"}

    refused = client.post(_url("addition_create", pk=filing.pk), post)
    assert refused.status_code == 200 and "目前没有开放申报的批次" in refused.content.decode()
    assert not filing.additions.exists()

    call = f.CallFactory(province="gd")
    response = client.post(_url("addition_create", pk=filing.pk), post)

    addition = filing.additions.get()
    assert addition.application is not None and addition.application.call == call
    assert response.status_code == 302
    assert response["Location"] == _url("application_detail", pk=addition.application_id)
    page = client.get(_url("filing_detail", pk=filing.pk)).content.decode()
    assert f"随“{call.title}”参加遴选，遴选申请当前状态：草稿" in page and "补全申报信息和材料并提交" in page
    officer_page = login(f.provincial_officer()).get(_url("filing_detail", pk=filing.pk)).content.decode()
    assert "提交决定" not in officer_page
    home = login(f.the_member(filing.institution)).get(reverse("province_home", kwargs={"province": "gd"}))
    assert "新增职业随批次遴选，申请状态：草稿" in home.content.decode()


def test_worklists_show_what_waits_for_each_role(login: Login) -> None:
    unsigned = f.cultivation(occupations=1, signed=False)
    signed = f.cultivation(occupations=1)
    bank = f.task(signed.occupations.get(), TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=f.the_member(signed.institution), items=f.pdf_upload())
    home = reverse("province_home", kwargs={"province": "gd"})

    organization = login(f.the_member(unsigned.institution)).get(home).content.decode()
    assert "待签署培育机构工作承诺书" in organization and "培育辅导期剩余天数" in organization
    province = login(f.provincial_officer()).get(home).content.decode()
    assert "待评审的试题资源" in province
    city = login(f.city_officer_of(signed.institution)).get(home).content.decode()
    assert "待登记考务培训" in city


def test_the_cultivation_list_filters_what_waits_and_exports(login: Login, django_assert_max_num_queries: Any) -> None:
    waiting = f.cultivation(occupations=1)
    f.cultivation(occupations=1, signed=False)
    bank = f.task(waiting.occupations.get(), TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=f.the_member(waiting.institution), items=f.pdf_upload())
    client = login(f.provincial_officer())

    with django_assert_max_num_queries(14):
        page = client.get(_url("cultivation_list") + "?waiting=review")
    assert list(page.context["object_list"]) == [waiting]
    export = client.get(_url("cultivation_list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


# --- the public catalog ---

def test_the_catalog_is_public_and_shows_every_published_status(client: Client) -> None:
    active = f.FilingFactory(with_scope=True, province="gd", institution__name="广州数控技能评价中心")
    suspended = f.FilingFactory(with_scope=True, province="gd", institution__name="佛山焊接培训学校")
    terminated = f.FilingFactory(with_scope=True, province="gd", institution__name="汕头旧机构")
    officer = f.provincial_officer()
    services.suspend_filing(suspended, acting_user=officer, reason="限期整改")
    services.terminate_filing(terminated, acting_user=officer, kind="ordered", reason="严重违规")
    f.FilingFactory(with_scope=True, province="gd", published_at=None, institution__name="未公布机构")
    f.FilingFactory(with_scope=True, province="sd", institution__name="山东机构")

    page = client.get("/catalog/gd/")

    assert page.status_code == 200
    html = page.content.decode()
    rows = {f.institution.name: f.status for f in page.context["page_obj"]}
    assert rows == {"广州数控技能评价中心": FilingStatus.ACTIVE, "佛山焊接培训学校": FilingStatus.SUSPENDED,
                    "汕头旧机构": FilingStatus.TERMINATED}
    assert "暂停" in html and "已终止" in html and "责令终止" in html
    assert active.filing_number in html


def test_the_catalog_searches_and_filters(client: Client) -> None:
    welder = Occupation.objects.get(code="6-18-02-04")
    shenzhen = Province.objects.get(slug="gd").cities.get(code="4403")
    gz = f.FilingFactory(province="gd", institution__name="广州焊接评价中心", scope=[welder])
    sz = f.FilingFactory(province="gd", institution__city=shenzhen, institution__name="深圳养老培训学校",
                         institution__category="leading_enterprise", scope=[OccupationFactory(name="养老测试职业")])

    def names(query: str) -> set[str]:
        return {x.institution.name for x in client.get("/catalog/gd/" + query).context["page_obj"]}

    assert names("?q=焊接") == {gz.institution.name}
    assert names("?q=" + sz.filing_number) == {sz.institution.name}
    assert names("?occupation=6-18-02") == {gz.institution.name}
    assert names("?occupation=焊工") == {gz.institution.name}
    assert names("?city=4403") == {sz.institution.name}
    assert names("?category=leading_enterprise") == {sz.institution.name}
    assert names("?status=suspended") == set()


def test_the_catalog_query_count_does_not_grow_with_the_page(client: Client,
                                                            django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        f.FilingFactory(with_scope=True, province="gd")
    with django_assert_max_num_queries(6):
        few = client.get("/catalog/gd/")
    for _ in range(22):
        f.FilingFactory(province="gd", scope=[OccupationFactory(), OccupationFactory()])
    with django_assert_max_num_queries(6):
        many = client.get("/catalog/gd/?page=1")
    assert len(few.context["page_obj"]) == 3
    assert len(many.context["page_obj"]) == 20
    assert many.context["page_obj"].paginator.count == 25
    assert client.get("/catalog/gd/?page=2").context["page_obj"].object_list.__len__() == 5


def test_the_shandong_catalog_shows_codes_only_after_the_city_reports_and_the_province_publishes(
    client: Client, login: Login,
) -> None:
    filing = services.file_application(f.ApplicationFactory(publicity_ended=True, province="sd", route="city"))
    assert client.get("/catalog/sd/").context["page_obj"].paginator.count == 0
    city_officer = MembershipFactory(province="sd", role="city_officer", city=filing.city).user

    login(city_officer).post(reverse("filings:filings_report", kwargs={"province": "sd"}), {"city": filing.city.pk})
    login(f.provincial_officer("sd")).post(reverse("filings:filings_publish", kwargs={"province": "sd"}))

    html = client.get("/catalog/sd/").content.decode()
    assert filing.institution_code in html and filing.institution.name in html


def test_the_application_shows_the_days_left_of_its_cultivation(login: Login) -> None:
    cultivation = f.cultivation(occupations=1)

    page = login(f.the_member(cultivation.institution)).get(_url("application_detail", pk=cultivation.application.pk))

    assert "第 1 天 / 共 180 天，剩余 180 天（含今天）" in page.content.decode()
    assert _url("cultivation_detail", pk=cultivation.pk) in page.content.decode()


def test_another_city_and_another_organization_get_404_for_filings_and_letters_on_pages_and_the_api(
    login: Login,
) -> None:
    filing = f.FilingFactory(with_scope=True, province="gd")  # in 广州 4401
    letter = filing.letters.get()
    shenzhen = MembershipFactory(province="gd", role="city_officer",
                                 city=Province.objects.get(slug="gd").cities.get(code="4403")).user
    stranger = f.member_of(InstitutionFactory(province="gd"))
    urls = [_url("filing_detail", pk=filing.pk), _url("filing_letter", pk=letter.pk),
            f"/api/v1/gd/filings/{filing.pk}/", f"/api/v1/gd/filing-letters/{letter.pk}/"]

    for user in (shenzhen, stranger):
        client = login(user)
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    guangzhou = login(f.city_officer_of(filing.institution))
    assert {url: guangzhou.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
    assert filing.pk not in [row["id"] for row in login(shenzhen).get("/api/v1/gd/filings/").json()["results"]]
