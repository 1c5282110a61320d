"""Helpers for complaints: a filed organization in the catalog and a complaint about it filed through the service
(with its tracking code), on a given day when asked."""

import datetime as dt
from typing import Any

import time_machine

from filings.models import Filing
from supervision import services
from supervision.models import Complaint
from tests.factories.cultivation import FilingFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Tuesday whose deadlines fit in the seeded calendar (tests never depend on the day they run).
FILING_DAY = dt.date(2026, 6, 2)


def at(day: dt.date, hour: int = 10) -> Any:
    """Travel to `day` at `hour` o'clock in Shanghai (the portal's time zone), time standing still."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def complaint_about(filing: Filing | None = None, *, on: dt.date | None = None, category: str = "fees",
                    **overrides: Any) -> tuple[Complaint, str]:
    """A complaint (and its tracking code) about the organization of `filing`, filed on `on` (FILING_DAY)."""
    filing = filing or FilingFactory(with_scope=True)
    values: dict[str, Any] = {"subject_kind": "organization", "category": category, "text": "收费未开具发票。",
                              "organization_id": filing.institution_id, "name": "张三", "mobile": "13800138000"}
    values.update(overrides)
    entry = services.ComplaintInput(**values)
    with at(on or FILING_DAY):
        return services.submit_complaint(filing.province, entry, ip="203.0.113.9")
