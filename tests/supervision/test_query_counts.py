"""The supervision lists and the ranking detail cost the same number of queries however many rows they show."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Institution, Occupation, Province
from supervision import services
from supervision.models import FlagKind, FraudFlag, IndicatorCell, Ranking
from supervision.periods import parse_period
from tests.factories import WELDER, FilingFactory, provincial_officer

pytestmark = pytest.mark.django_db


def _organization(n: int) -> Institution:
    gd = Province.objects.get(slug="gd")
    institution = FilingFactory(province=gd, institution__name=f"评价中心{n}").institution
    period = parse_period("2026Q2")
    assert period is not None
    IndicatorCell.objects.create(
        province=gd, institution=institution, occupation=Occupation.objects.get(code=WELDER),
        period_kind=period.kind, period=period.key, period_start=period.start, period_end=period.end,
        sat=100, registered=100, passed=70 + n, computed_at=timezone.now())
    FraudFlag.objects.create(province=gd, institution=institution, kind=FlagKind.choices[0][0], key=f"k{n}",
                             summary=f"疑点{n}", found_at=timezone.now())
    return institution


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def _counts(client: Client, urls: Callable[[], list[str]]) -> list[int]:
    return [_queries(client, url) for url in urls()]


def test_lists_and_the_ranking_detail_do_not_grow_with_their_rows() -> None:
    officer = provincial_officer("gd")
    client = Client()
    client.force_login(officer)
    for n in range(3):
        _organization(n)

    def urls() -> list[str]:
        Ranking.objects.all().delete()
        ranking = services.build_ranking(Province.objects.get(slug="gd"), acting_user=officer, group="6-18",
                                         period="2026Q2")
        return [f"/gd/supervision/rankings/{ranking.pk}/", f"/api/v1/gd/supervision/rankings/{ranking.pk}/",
                "/gd/supervision/rankings/", "/api/v1/gd/supervision/rankings/", "/gd/supervision/flags/",
                "/api/v1/gd/supervision/flags/", f"/gd/supervision/rankings/rows/?ranking={ranking.pk}", "/gd/"]

    _counts(client, urls)  # the first request of a session loads what later ones reuse
    few = _counts(client, urls)
    for n in range(3, 9):
        _organization(n)
    many: list[Any] = _counts(client, urls)
    assert many == few
