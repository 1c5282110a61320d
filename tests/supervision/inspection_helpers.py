"""Helpers of the inspection tests: a province with filed organizations and inspectors, and a campaign taken through
its commitment and draw with the RFC's example numbers."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from filings.models import Filing
from portal.models import User
from supervision import services
from supervision.models import Campaign, Inspection
from tests.factories import FilingFactory, MembershipFactory, UserFactory, provincial_officer

TODAY = dt.date(2026, 9, 1)
SOURCES = [[9319], [2, 5, 8, 10, 12], [9, 18, 26, 34, 41, 45]]


@dataclass
class World:
    officer: User
    filings: list[Filing]
    inspectors: list[User]


def world(organizations: int = 5, inspectors: int = 4, province: str = "gd") -> World:
    filings = [FilingFactory(province=province) for _ in range(organizations)]
    people = []
    for n in range(inspectors):
        user = UserFactory(display_name=f"督导员{n}")
        MembershipFactory(user=user, province=province, quality_supervisor=True)
        people.append(user)
    return World(provincial_officer(province), filings, people)


def campaign_of(w: World, **overrides: Any) -> Campaign:
    data: dict[str, Any] = {
        "title": "2026年第三季度双随机抽查", "occupation_group": "", "organizations_to_draw": 2,
        "inspectors_per_organization": 2, "exclude_months": 12, "weighted": False,
        "random_source": "中国福利彩票双色球 2026年9月3日开奖号码", "random_source_date": TODAY + dt.timedelta(days=2),
        "inspect_from": TODAY + dt.timedelta(days=3), "inspect_until": TODAY + dt.timedelta(days=60)}
    data.update(overrides)
    province = w.filings[0].province
    return services.create_campaign(province, acting_user=w.officer, today=TODAY, **data)


def drawn(w: World, **overrides: Any) -> Campaign:
    campaign = services.publish_commitment(campaign_of(w, **overrides), acting_user=w.officer, today=TODAY)
    return services.draw_campaign(campaign, acting_user=w.officer, sources=SOURCES,
                                  today=TODAY + dt.timedelta(days=2))


def inspector_of(inspection: Inspection) -> User:
    return inspection.assignments.filter(replaced_at__isnull=True).order_by("pick__index").first().inspector
