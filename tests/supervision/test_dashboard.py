"""The officers' and supervisors' dashboards: numbers that link to their lists, the charts' data with tables, scope."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from filings.models import FilingStatus
from portal.models import Role
from portal.roles import ProvinceAccess
from supervision import selectors, services
from supervision.models import FraudFlag
from tests.factories import (
    CandidateFactory,
    FilingFactory,
    MembershipFactory,
    approved_plan,
    clean_plan,
    issued,
    provincial_officer,
)

from .test_rankings import _cell

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def _world() -> dict[str, object]:
    here = FilingFactory()
    other_city = here.province.cities.exclude(pk=here.city_id).first()
    there = FilingFactory(institution__city=other_city, city=other_city)
    FilingFactory(status=FilingStatus.SUSPENDED)
    issued(here, plan=approved_plan(here, candidates=2))
    clean_plan(there, first_session_on=TODAY.replace(day=10), last_session_on=TODAY.replace(day=10), version=1)
    _cell(here.institution, "2026", 40, 30)
    _cell(there.institution, "2026", 60, 54)
    _cell(there.institution, "2026Q3", 60, 54)  # quarters are not plotted
    return {"here": here, "there": there}


def test_the_provincial_dashboard_counts_and_links() -> None:
    world = _world()
    officer = provincial_officer(world["here"].province)  # type: ignore[attr-defined]
    data = selectors.officer_dashboard(ProvinceAccess.for_user(officer, officer.memberships.get().province),
                                       min_n=30, today=TODAY)
    assert [(f.label, f.count) for f in data["filings"]] == [("有效", 2), ("暂停", 1), ("退出中", 0)]
    assert data["filings"][1].url == "/gd/filings/?state=suspended"
    assert (data["plans"].count, data["plans"].url) == (1, "/gd/exams/?date_from=2026-12-01&date_to=2026-12-31")
    months = {f.label: f.count for f in data["certificates"]}
    assert len(months) == 12 and months[f"{timezone.localdate():%Y-%m}"] == 2
    funnel = data["funnel"]
    assert funnel["period"] == "2026" and funnel["p0"] == 0.84  # (30 + 54) / 100
    # the points come in the organizations' name order (the database's collation); the factory's names are drawn at
    # random, so compare by n
    points = sorted(funnel["points"], key=lambda p: p["n"])
    assert [(p["n"], p["rate"], p["band"]) for p in points] == [(40, 0.75, "inside"), (60, 0.9, "inside")]  # 95%: 72.6%–95.4% at 40
    assert points[0]["url"].endswith("?period_kind=year&period=2026")
    assert data["flags"].count == 0


def test_the_homes_show_the_panels_with_charts_and_tables(login) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    here = world["here"]
    officer = provincial_officer(here.province)  # type: ignore[attr-defined]
    page = login(officer).get(f"/{here.province.slug}/").content.decode()  # type: ignore[attr-defined]
    assert "全省概况" in page and 'data-chart="funnel"' in page and 'id="funnel-table"' in page
    assert "/static/vendor/chart.js/chart.umd.min.js" in page and "/static/js/dashboard_charts.js" in page
    city = MembershipFactory(province=here.province, role=Role.CITY_OFFICER, city=here.city).user  # type: ignore[attr-defined]
    city_page = login(city).get(f"/{here.province.slug}/").content.decode()  # type: ignore[attr-defined]
    assert "本市概况" in city_page
    assert here.institution.name in city_page  # type: ignore[attr-defined]
    assert world["there"].institution.name not in city_page  # type: ignore[attr-defined]


def test_the_funnel_plot_is_fetched_apart_from_the_page_within_the_officers_scope(login) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    here, there = world["here"], world["there"]
    officer = provincial_officer(here.province)  # type: ignore[attr-defined]
    client = login(officer)
    page = client.get(f"/{here.province.slug}/").content.decode()  # type: ignore[attr-defined]
    # the page names where the plot's points are, and does not carry them
    source = re.search(r'data-chart="funnel" data-src="([^"]+)"', page)
    assert source and source.group(1).startswith(f"/{here.province.slug}/supervision/dashboard/funnel.json?v=")  # type: ignore[attr-defined]
    assert '"points"' not in page
    answer = client.get(html.unescape(source.group(1)))
    assert answer.status_code == 200 and "private" in answer["Cache-Control"]
    chart = answer.json()
    assert chart["p0"] == 0.84 and sorted(p["n"] for p in chart["points"]) == [40, 60]
    assert chart["url_template"].endswith("?period_kind=year&period=2026")

    # a city officer's plot holds its city's organizations only
    city = MembershipFactory(province=here.province, role=Role.CITY_OFFICER, city=here.city).user  # type: ignore[attr-defined]
    city_chart = login(city).get(f"/{here.province.slug}/supervision/dashboard/funnel.json").json()  # type: ignore[attr-defined]
    assert [p["id"] for p in city_chart["points"]] == [here.institution.pk]  # type: ignore[attr-defined]
    assert there.institution.name not in str(city_chart)  # type: ignore[attr-defined]
    # an organization's member may not read it
    member = MembershipFactory(province=here.province, role=Role.INSTITUTION_MEMBER,  # type: ignore[attr-defined]
                               institution=here.institution).user  # type: ignore[attr-defined]
    assert login(member).get(f"/{here.province.slug}/supervision/dashboard/funnel.json").status_code in (403, 404)  # type: ignore[attr-defined]


def test_the_funnel_plot_is_computed_once_per_sweep(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    officer = provincial_officer(world["here"].province)  # type: ignore[attr-defined]
    access = ProvinceAccess.for_user(officer, officer.memberships.get().province)
    first = selectors.funnel_chart(access, 30)
    with django_assert_max_num_queries(1):  # the sweep's last run, for the version; the points come from the cache
        assert selectors.funnel_chart(access, 30) == first


def test_the_supervisor_sees_the_flags_assigned_to_them(login) -> None:  # type: ignore[no-untyped-def]
    plan = clean_plan()
    supervisor = MembershipFactory(province=plan.province, role=Role.QUALITY_SUPERVISOR).user
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    services.sweep_flags()
    flag = FraudFlag.objects.get()
    page = login(supervisor).get(f"/{plan.province.slug}/").content.decode()
    assert "分配给我的疑点" in page and f"/supervision/flags/{flag.pk}/" in page
    assert "分配给我的真实性疑点" in page  # the worklist entry too


def test_with_many_organizations_the_funnel_table_lists_those_outside_the_95_percent_limits() -> None:
    from supervision.selectors.dashboard import FUNNEL_TABLE_ALL, FUNNEL_TABLE_MAX, _funnel_views

    bands = ["inside"] * FUNNEL_TABLE_ALL + ["low_95", "high_998", "too_few"]
    points = [{"id": i, "name": f"机构{i}", "n": 40, "rate": 0.8, "band": b, "url": f"/gd/x/{i}/"}
              for i, b in enumerate(bands)]
    views = _funnel_views({"p0": 0.8, "limits": [], "points": points}, {"inside": "正常范围"}, "/gd/x/{id}/")
    assert [p["band"] for p in views["table"]] == ["high_998", "low_95"]
    assert views["table_rest"] == FUNNEL_TABLE_ALL + 1
    assert len(views["chart"]["points"]) == FUNNEL_TABLE_ALL + 3
    assert set(views["chart"]["points"][0]) == {"id", "name", "n", "rate", "band"}
    # with very many outside the limits, the table keeps the worst FUNNEL_TABLE_MAX, beyond 99.8% first
    many = [{**p, "id": i, "band": "low_95" if i % 3 else "high_998"} for i, p in enumerate(points * 3)]
    capped = _funnel_views({"p0": 0.8, "limits": [], "points": many}, {}, "")
    assert len(capped["table"]) == FUNNEL_TABLE_MAX and capped["table_rest"] == len(many) - FUNNEL_TABLE_MAX
    beyond = sum(1 for p in many if p["band"] == "high_998")
    assert [p["band"] for p in capped["table"][:beyond]] == ["high_998"] * beyond
    few = _funnel_views({"p0": 0.8, "limits": [], "points": points[:3]}, {}, "")
    assert (len(few["table"]), few["table_rest"]) == (3, 0)
