"""Funnel limits and the risk formula with exact values; rankings per occupation group with bands, too-few lists,
formula versions, publication as a ranking notice with objections, the two-periods review flag, the catalog band,
the export and the pages' scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from portal import publicity, worklists
from portal.errors import DomainError, NotPermitted
from portal.models import Institution, Occupation, Province, PublicityNotice, Role
from portal.roles import ProvinceAccess
from supervision import services
from supervision.funnel import band, limits, z_excess
from supervision.models import Band, FlagKind, FraudFlag, IndicatorCell, Ranking, RankingState
from supervision.periods import parse_period
from tests.factories import WELDER, FilingFactory, MembershipFactory, provincial_officer

pytestmark = pytest.mark.django_db


def test_funnel_limits_exact() -> None:
    bounds = limits(0.8, 100)  # se = √(0.8·0.2/100) = 0.04
    assert (round(bounds.low_998, 4), round(bounds.low_95, 4), round(bounds.high_95, 4),
            round(bounds.high_998, 4)) == (0.6764, 0.7216, 0.8784, 0.9236)
    narrow = limits(0.625, 20)
    assert round(narrow.high_998, 4) == 0.9595 and round(narrow.low_95, 4) == 0.4128
    assert limits(0.99, 4).high_998 == 1.0  # clipped


def test_bands_exact() -> None:
    assert band(93, 100, 0.8, min_n=30) == Band.HIGH_998
    assert band(90, 100, 0.8, min_n=30) == Band.HIGH_95
    assert band(80, 100, 0.8, min_n=30) == Band.INSIDE
    assert band(73, 100, 0.8, min_n=30) == Band.INSIDE  # 0.73 ≥ 0.7216
    assert band(72, 100, 0.8, min_n=30) == Band.LOW_95  # 0.72 < 0.7216
    assert band(70, 100, 0.8, min_n=30) == Band.LOW_95
    assert band(60, 100, 0.8, min_n=30) == Band.LOW_998
    assert band(3, 3, 0.8, min_n=30) == Band.TOO_FEW
    assert band(0, 0, 0.8, min_n=30) == Band.NO_DATA
    assert band(5, 10, None, min_n=1) == Band.NO_DATA


def test_risk_formula_exact() -> None:
    values = services.signals(services.Inputs(
        sat=100, passed=93, pass_norm=0.8, complaints=None, complaint_norm=None, responses=20, employed=15,
        match_answered=15, matched=12, open_flags=2))
    assert values == {"pass_rate_z": 3.25, "complaint_z": 0.0, "non_employment": 0.25, "mismatch": 0.2,
                      "open_flags": 2.0}
    weights = {"pass_rate_z": 1.0, "complaint_z": 1.0, "non_employment": 2.0, "mismatch": 1.0, "open_flags": 0.5}
    # 1·3.25 + 1·0 + 2·0.25 + 1·0.2 + 0.5·2 = 4.95
    assert services.score(values, weights) == Decimal("4.95")
    assert z_excess(70, 100, 0.8) == 0.0


GD = "gd"


def _cell(institution: Institution, period: str, sat: int, passed: int) -> IndicatorCell:
    p = parse_period(period)
    assert p is not None
    return IndicatorCell.objects.create(
        province=institution.province, institution=institution, occupation=Occupation.objects.get(code=WELDER),
        period_kind=p.kind, period=p.key, period_start=p.start, period_end=p.end, sat=sat, registered=sat,
        passed=passed, computed_at=timezone.now())


def _organizations() -> dict[str, Institution]:
    names = ("甲", "乙", "丙", "丁")
    return {n: FilingFactory(province=Province.objects.get(slug=GD), institution__name=f"{n}评价中心").institution
            for n in names}


def _quarter(orgs: dict[str, Institution], period: str) -> None:
    # p0 = (93 + 67 + 5 + 155) / 400 = 0.8
    for name, sat, passed in (("甲", 100, 93), ("乙", 100, 67), ("丙", 5, 5), ("丁", 195, 155)):
        _cell(orgs[name], period, sat, passed)


def test_a_ranking_shows_bands_not_ranks_and_lists_too_few() -> None:
    orgs = _organizations()
    _quarter(orgs, "2026Q2")
    officer = provincial_officer(GD)
    ranking = services.build_ranking(orgs["甲"].province, acting_user=officer, group="6-18", period="2026Q2")
    assert ranking.pass_rate_norm == 0.8 and ranking.min_n == 30 and ranking.formula.version == 1
    rows = {r.institution.name[0]: r for r in ranking.rows.select_related("institution")}
    assert {k: r.pass_band for k, r in rows.items()} == {
        "甲": Band.HIGH_998, "乙": Band.LOW_998, "丙": Band.TOO_FEW, "丁": Band.INSIDE}
    assert rows["甲"].risk_score == Decimal("3.25") and rows["乙"].risk_score == Decimal("0.00")
    assert rows["丙"].risk_score is None
    assert rows["甲"].complaint_band == Band.NO_DATA
    with pytest.raises(DomainError) as empty:
        services.build_ranking(orgs["甲"].province, acting_user=officer, group="6-18", period="2025Q1")
    assert empty.value.code == "ranking_empty"
    with pytest.raises(NotPermitted):
        services.build_ranking(orgs["甲"].province, acting_user=MembershipFactory(
            province=orgs["甲"].province, role=Role.QUALITY_SUPERVISOR).user, group="6-18", period="2026Q2")


def test_a_new_formula_is_a_new_version_and_old_rankings_keep_theirs() -> None:
    orgs = _organizations()
    _quarter(orgs, "2026Q2")
    officer = provincial_officer(GD)
    province = orgs["甲"].province
    first = services.build_ranking(province, acting_user=officer, group="6-18", period="2026Q2")
    formula = services.save_formula(province, acting_user=officer, note="加重合格率",
                                    weights={"pass_rate_z": 2, "open_flags": 1})
    assert formula.version == 2 and formula.weights == {"pass_rate_z": 2.0, "open_flags": 1.0}
    second = services.build_ranking(province, acting_user=officer, group="6-18", period="2026Q2")
    assert first.formula.version == 1 and second.formula.version == 2
    assert second.rows.get(institution=orgs["甲"]).risk_score == Decimal("6.50")
    with pytest.raises(DomainError) as bad:
        services.save_formula(province, acting_user=officer, note="", weights={"luck": 1})
    assert bad.value.code == "formula_invalid"


def test_publication_is_a_ranking_notice_with_objections_and_two_bad_periods_flag_for_review() -> None:
    orgs = _organizations()
    province = orgs["甲"].province
    officer = provincial_officer(GD)
    _quarter(orgs, "2026Q2")
    _quarter(orgs, "2026Q3")
    q2 = services.publish_ranking(services.build_ranking(province, acting_user=officer, group="6-18",
                                                         period="2026Q2"), acting_user=officer)
    assert q2.state == RankingState.PUBLISHED
    notice = PublicityNotice.objects.get(pk=q2.notice_id)
    assert notice.kind == "ranking" and publicity.is_registered("ranking")
    assert [i.title for i in notice.items.order_by("position")] == ["丁评价中心", "丙评价中心", "乙评价中心",
                                                                     "甲评价中心"]
    assert "高于99.8%控制限" in notice.items.get(title="甲评价中心").detail
    publicity.file_objection(notice, item=notice.items.get(title="甲评价中心"), name="李四", contact="13800000000",
                             text="该机构考场管理严格，合格率高有原因", ip="10.0.0.1")
    assert notice.objections.count() == 1
    assert not FraudFlag.objects.exists()
    with pytest.raises(DomainError) as again:
        services.publish_ranking(q2, acting_user=officer)
    assert (again.value.code, again.value.status) == ("ranking_published", 409)
    q3 = services.publish_ranking(services.build_ranking(province, acting_user=officer, group="6-18",
                                                         period="2026Q3"), acting_user=officer)
    flag = FraudFlag.objects.get()
    assert (flag.kind, flag.institution) == (FlagKind.BAND_TWICE_OUTSIDE, orgs["甲"])
    assert services.previous_published(q3) == q2
    items = worklists.items_for(ProvinceAccess.for_user(officer, province), Role.PROVINCIAL_OFFICER)
    review = [i for i in items if i.title == "连续两期超出控制限、待复核的机构"]
    assert [(i.count, i.urgent) for i in review] == [(1, True)]


def test_the_catalog_shows_the_latest_published_band_and_what_changed(client) -> None:  # type: ignore[no-untyped-def]
    orgs = _organizations()
    province = orgs["甲"].province
    officer = provincial_officer(GD)
    _quarter(orgs, "2026Q2")
    services.publish_ranking(services.build_ranking(province, acting_user=officer, group="6-18", period="2026Q2"),
                             acting_user=officer)
    _cell(orgs["乙"], "2026Q3", 100, 80)
    _cell(orgs["丁"], "2026Q3", 100, 80)
    services.build_ranking(province, acting_user=officer, group="6-18", period="2026Q3")  # a draft: not shown
    page = client.get(f"/catalog/{GD}/").content.decode()
    assert "6-18类" in page and "2026Q2：高于99.8%控制限" in page
    q3 = Ranking.objects.get(period="2026Q3")
    services.publish_ranking(q3, acting_user=officer)
    page = client.get(f"/catalog/{GD}/").content.decode()
    assert "2026Q3：正常范围" in page and "上期（2026Q2）为低于99.8%控制限" in page


def test_ranking_pages_export_and_scope(client) -> None:  # type: ignore[no-untyped-def]
    orgs = _organizations()
    province = orgs["甲"].province
    officer = provincial_officer(GD)
    _quarter(orgs, "2026Q2")
    client.force_login(officer)
    built = client.post(f"/{GD}/supervision/rankings/", {"group": "6-18", "period": "2026Q2"})
    ranking = Ranking.objects.get()
    assert built.status_code == 302 and built["Location"].endswith(f"/rankings/{ranking.pk}/")
    page = client.get(f"/{GD}/supervision/rankings/{ranking.pk}/").content.decode()
    assert "72.2%–87.8%" in page and "67.6%–92.4%" in page  # 甲 and 乙, n = 100 around 0.8
    assert "丙评价中心（参评 5 人）" in page
    export = client.get(f"/{GD}/supervision/rankings/rows/?ranking={ranking.pk}&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.post(f"/{GD}/supervision/rankings/{ranking.pk}/").status_code == 302
    assert Ranking.objects.get().state == RankingState.PUBLISHED
    formula = client.get(f"/{GD}/supervision/rankings/formula/")
    assert formula.status_code == 200 and "pass_rate_z" in formula.content.decode()
    client.force_login(provincial_officer("sd"))
    assert client.get(f"/sd/supervision/rankings/{ranking.pk}/").status_code == 404
    city = MembershipFactory(province=province, role=Role.CITY_OFFICER, city=orgs["甲"].city).user
    client.force_login(city)
    assert client.get(f"/{GD}/supervision/rankings/{ranking.pk}/").status_code == 200
    assert dt.date(2026, 4, 1) == ranking.period_start
