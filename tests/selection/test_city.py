"""The city's recommendation and summary table (汇总表): decisions with reasons, sending before the deadline through
filings, Shandong's 2–8 range, the Excel and PDF downloads, and what another city's officer may reach."""

import io
import subprocess
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from filings.models import Application
from portal.errors import DomainError
from portal.models import AuditEvent
from selection import services
from selection.models import SummaryTable, TableState
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, PanelFactory, sheet_with_total

pytestmark = pytest.mark.django_db


def _city_officer(province: str = "gd"):  # type: ignore[no-untyped-def]
    return MembershipFactory(province=province, city_officer=True).user


def test_not_recommending_requires_a_reason() -> None:
    application = ApplicationFactory(city_scoring=True)

    with pytest.raises(DomainError) as refused:
        services.decide_recommendation(application, acting_user=_city_officer(), recommended=False, reason="  ")

    assert (refused.value.code, str(refused.value)) == ("reason_required", "不予推荐必须填写理由。")


def test_sending_after_the_deadline_is_refused_with_the_deadline() -> None:
    call = CallFactory(city_deadline_passed=True)
    application = ApplicationFactory(city_scoring=True, call=call)
    officer = _city_officer()
    services.decide_recommendation(application, acting_user=officer, recommended=True)

    with pytest.raises(DomainError) as refused:
        services.send_summary_table(call, application.city, acting_user=officer)

    deadline = timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")
    assert refused.value.code == "deadline_passed"
    assert str(refused.value) == f"本批次地市初审截止时间为{deadline}，已截止，汇总表不能再报送。"
    application.refresh_from_db()
    assert application.state == "city_scoring"


def test_every_application_needs_a_decision_before_sending() -> None:
    call = CallFactory(closed=True)
    decided = ApplicationFactory(city_scoring=True, call=call)
    undecided = ApplicationFactory(city_scoring=True, call=call, institution__name="未决机构")
    officer = _city_officer()
    services.decide_recommendation(decided, acting_user=officer, recommended=True)

    with pytest.raises(DomainError) as refused:
        services.send_summary_table(call, decided.city, acting_user=officer)

    assert str(refused.value) == "以下申请尚未作出推荐意见：未决机构。"
    assert undecided.state == "city_scoring"


@pytest.mark.parametrize("recommended", [1, 9])
def test_a_shandong_city_cannot_send_one_or_nine_recommendations(recommended: int) -> None:
    # given a Jinan call with ten applications, `recommended` of them recommended
    call = CallFactory(closed=True, province="sd")
    apps = [ApplicationFactory(city_scoring=True, province="sd", call=call) for _ in range(10)]
    officer = _city_officer("sd")
    for n, application in enumerate(apps):
        services.decide_recommendation(application, acting_user=officer, recommended=n < recommended,
                                       reason="" if n < recommended else "择优未推荐")

    with pytest.raises(DomainError) as refused:
        services.send_summary_table(call, apps[0].city, acting_user=officer)

    assert refused.value.code == "recommend_count_out_of_range"
    assert str(refused.value) == f"山东省规定每个地市推荐2至8家机构，本表推荐了{recommended}家，请调整后再报送。"
    assert set(Application.objects.filter(call=call).values_list("state", flat=True)) == {"city_scoring"}
    assert SummaryTable.objects.get(call=call).state == TableState.DRAFT


@pytest.mark.parametrize("recommended", [2, 8])
def test_a_shandong_city_sends_two_to_eight(recommended: int) -> None:
    call = CallFactory(closed=True, province="sd")
    apps = [ApplicationFactory(city_scoring=True, province="sd", call=call) for _ in range(9)]
    officer = _city_officer("sd")
    for n, application in enumerate(apps):
        services.decide_recommendation(application, acting_user=officer, recommended=n < recommended,
                                       reason="" if n < recommended else "择优未推荐")

    table = services.send_summary_table(call, apps[0].city, acting_user=officer)

    assert table.state == TableState.SENT
    # 002 三(二)4: the city centre determines them itself (to its own publicity), nothing goes to a provincial selection
    assert Application.objects.filter(call=call, state="selected").count() == recommended
    assert Application.objects.filter(call=call, state="not_recommended").count() == 9 - recommended


def test_a_table_is_sent_once() -> None:
    call = CallFactory(closed=True)
    application = ApplicationFactory(city_scoring=True, call=call)
    officer = _city_officer()
    services.decide_recommendation(application, acting_user=officer, recommended=True)
    services.send_summary_table(call, application.city, acting_user=officer)

    with pytest.raises(DomainError) as again:
        services.send_summary_table(call, application.city, acting_user=officer)

    assert again.value.code == "table_already_sent"
    assert AuditEvent.objects.filter(action="summary_table_sent").count() == 1
    assert AuditEvent.objects.filter(action="application_recommended").count() == 1


def _scored_city(n: int = 3):  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    names = ["广州甲评价中心", "广州乙培训学校", "广州丙行业协会"][:n]
    apps = [ApplicationFactory(city_scoring=True, call=panel.call, institution__name=name,
                               occupations=["6-18-01-01", "6-18-02-04"] if i == 0 else ["6-18-01-01"])
            for i, name in enumerate(names)]
    for application, totals in zip(apps, ([90, 86], [80, 70], [60, 62]), strict=False):
        for total in totals:
            sheet_with_total(panel, application, total)
    return panel, apps


def test_the_summary_table_downloads_as_excel_with_its_cells(login: Callable[..., Client]) -> None:
    # given three scored applications, two recommended and one not, and the table sent
    panel, apps = _scored_city()
    officer = _city_officer()
    services.decide_recommendation(apps[0], acting_user=officer, recommended=True, reason="综合实力强")
    services.decide_recommendation(apps[1], acting_user=officer, recommended=True)
    services.decide_recommendation(apps[2], acting_user=officer, recommended=False, reason="评价能力不足")
    services.send_summary_table(panel.call, panel.city, acting_user=officer)

    response = login(officer).get(reverse("selection:city_table_xlsx", kwargs={
        "province": "gd", "call_pk": panel.call.pk, "city": "4401"}))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "广东省社会培训评价组织遴选推荐汇总表（广州市）"
    assert rows[1] == ["序号", "机构名称", "统一社会信用代码", "申请类别", "申报职业及等级", "评估得分", "排名", "推荐意见", "备注"]
    assert rows[2] == [1, "广州甲评价中心", apps[0].institution.credit_code, "其他机构：行业协会、学会、民办非企业单位、人力资源服务机构、公共实训基地",
                       "6-18-01-01 车工（四级/中级工、三级/高级工）；6-18-02-04 焊工（四级/中级工、三级/高级工）", 88, 1, "推荐", "综合实力强"]
    assert rows[3][1:] == ["广州乙培训学校", apps[1].institution.credit_code, rows[2][3],
                           "6-18-01-01 车工（四级/中级工、三级/高级工）", 75, 2, "推荐", None]
    assert rows[4][1:] == ["广州丙行业协会", apps[2].institution.credit_code, rows[2][3],
                           "6-18-01-01 车工（四级/中级工、三级/高级工）", 61, 3, "不予推荐", "评价能力不足"]
    assert len(rows) == 5


def test_the_summary_table_downloads_as_pdf_with_chinese_text(login: Callable[..., Client]) -> None:
    panel, apps = _scored_city(2)
    officer = _city_officer()
    services.decide_recommendation(apps[0], acting_user=officer, recommended=True)

    response = login(officer).get(reverse("selection:city_table_pdf", kwargs={
        "province": "gd", "call_pk": panel.call.pk, "city": "4401"}))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    text = "".join(text.split())  # the title is letter-spaced; compare without whitespace
    assert "广东省社会培训评价组织遴选推荐汇总表" in text
    assert "广州甲评价中心" in text and apps[0].institution.credit_code in text
    assert "88.00" in text and "75.00" in text
    assert "推荐" in text and "未定" in text
    fonts = subprocess.run(["pdffonts", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts and " yes " in fonts  # the CJK face is embedded


def test_the_city_page_ranks_per_occupation_and_saves_decisions(login: Callable[..., Client],
                                                                django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    panel, apps = _scored_city()
    officer = _city_officer()
    client = login(officer)
    url = reverse("selection:city_table", kwargs={"province": "gd", "call_pk": panel.call.pk, "city": "4401"})

    with django_assert_max_num_queries(30):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "6-18-02-04 焊工" in text and "88.00" in text

    prefix = f"app{apps[2].pk}"
    client.post(url, {"prefix": prefix, f"{prefix}-application": apps[2].pk, f"{prefix}-recommended": "0",
                      f"{prefix}-reason": "评价能力不足"})
    row = SummaryTable.objects.get(call=panel.call).rows.get(application=apps[2])
    assert (row.recommended, row.reason) == (False, "评价能力不足")


def test_another_citys_officer_gets_404_for_the_table(login: Callable[..., Client]) -> None:
    panel, _ = _scored_city(1)
    shenzhen = MembershipFactory(province="gd", role="city_officer", city=panel.province.cities.get(code="4403")).user
    client = login(shenzhen)
    kwargs = {"province": "gd", "call_pk": panel.call.pk, "city": "4401"}

    answers = [client.get(reverse(name, kwargs=kwargs)).status_code
               for name in ("selection:city_table", "selection:city_table_xlsx", "selection:city_table_pdf")]
    answers.append(client.post(reverse("api_selection_send_table", kwargs=kwargs)).status_code)

    assert answers == [404, 404, 404, 404]


def test_provincial_officer_reads_a_city_table_but_cannot_send_it(login: Callable[..., Client]) -> None:
    panel, apps = _scored_city(1)
    services.decide_recommendation(apps[0], acting_user=_city_officer(), recommended=True)
    client = login(panel.call.created_by)
    url = reverse("selection:city_table", kwargs={"province": "gd", "call_pk": panel.call.pk, "city": "4401"})

    page = client.get(url)
    client.post(url, {"action": "send"})

    assert page.status_code == 200 and 'id="send-table"' not in page.content.decode()
    apps[0].refresh_from_db()
    assert apps[0].state == "city_scoring"
    assert Decimal(88) == Decimal("88.00")
