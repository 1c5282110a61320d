"""Factories for renewals: a filing of a chosen category and term with occupations in its scope, and real
certificates issued for it on a given day (through certificates.services, at that date)."""

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from filings.models import Filing
from portal.models import Occupation, Province
from tests.factories.certificates import approved_plan, issued
from tests.factories.cultivation import FilingFactory
from tests.factories.portal import InstitutionFactory, OccupationFactory, province_of

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def renewing_filing(province: Province | str = "gz", *, category: str = "social_organization",
                    filed_on: dt.date = dt.date(2023, 7, 1), occupations: int = 2, **kwargs: Any) -> Filing:
    """A filing of an institution of `category`, valid for three years from `filed_on` (2023-07-01 → 2026-06-30),
    with `occupations` new occupations in its scope."""
    province = province_of(province)
    institution = InstitutionFactory(province=province, category=category)
    scope = [OccupationFactory() for _ in range(occupations)]
    return FilingFactory(province=province, institution=institution, filed_on=filed_on, scope=scope, **kwargs)


def at(day: dt.date, hour: int = 10) -> Any:
    """Travel to `day` at `hour` o'clock, Beijing time."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def certify(filing: Filing, occupation: Occupation, count: int, *, on: dt.date) -> None:
    """Issue `count` real certificates of `occupation` by the filing on the day `on`."""
    with at(on):
        plan = approved_plan(filing, candidates=count, occupation=occupation)
        issued(filing, plan=plan)
