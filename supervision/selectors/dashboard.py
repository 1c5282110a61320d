"""The officers' dashboard at a glance: counts that link to the lists behind them, certificates per month and the
funnel plot of pass rates for the latest period with indicators, open and overdue complaints."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from certificates.access import scope_certificates, scope_plans
from filings.access import scope_applications, scope_filings
from filings.models import ApplicationState, FilingStatus
from portal.roles import ProvinceAccess

from ..access import scope_flags, scope_indicator_cells
from ..funnel import band, limits
from ..models import Band, FlagState, PeriodKind
from .complaints import complaint_counts

DASHBOARD_FILING_STATES = (FilingStatus.ACTIVE, FilingStatus.SUSPENDED, FilingStatus.EXITING)
MONTHS = 12


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the list it comes from."""

    label: str
    count: int
    url: str


def _url(name: str, access: ProvinceAccess, **query: Any) -> str:
    base = reverse(name, kwargs={"province": access.province.slug})
    return f"{base}?{urlencode(query)}" if query else base


def applications_by_state(access: ProvinceAccess) -> list[Figure]:
    counts = dict(scope_applications(access).exclude(state=ApplicationState.DRAFT).values_list("state")
                  .annotate(n=Count("id")).values_list("state", "n"))
    return [Figure(str(label), counts[value], _url("filings:review_list", access, state=value))
            for value, label in ApplicationState.choices if counts.get(value)]


def filings_by_status(access: ProvinceAccess) -> list[Figure]:
    counts = dict(scope_filings(access).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [Figure(str(s.label), counts.get(s.value, 0), _url("filings:filing_list", access, state=s.value))
            for s in DASHBOARD_FILING_STATES]


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def plans_this_month(access: ProvinceAccess, today: dt.date) -> Figure:
    start, end = month_bounds(today)
    count = scope_plans(access).filter(first_session_on__range=(start, end)).count()
    return Figure(f"{start:%Y年%m月}", count, _url("exams:plan_list", access, date_from=start.isoformat(),
                                                  date_to=end.isoformat()))


def certificates_per_month(access: ProvinceAccess, today: dt.date) -> list[Figure]:
    """The last 12 months (this one included), each with its count and the registry filtered to it."""
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    rows = (scope_certificates(access).filter(issued_on__gte=first).annotate(month=TruncMonth("issued_on"))
            .values_list("month").annotate(n=Count("id")).values_list("month", "n"))
    counts = {month.strftime("%Y-%m"): n for month, n in rows}
    figures, month = [], first
    while month <= today:
        _start, end = month_bounds(month)
        figures.append(Figure(f"{month:%Y-%m}", counts.get(f"{month:%Y-%m}", 0), _url(
            "certificates:registry", access, issued_from=month.isoformat(), issued_to=end.isoformat())))
        month = end + dt.timedelta(days=1)
    return figures


def funnel(access: ProvinceAccess, min_n: int) -> dict[str, Any] | None:
    """Pass rates per organization in the latest year with indicators (a quarter holds too few candidates for most
    organizations), against the province's rate, with the 95% and 99.8% limits drawn along n; None before any
    indicators exist."""
    cells = scope_indicator_cells(access).filter(period_kind=PeriodKind.YEAR, sat__gt=0)
    latest = cells.order_by("-period_start").values_list("period", flat=True).first()
    if latest is None:
        return None
    rows = list(cells.filter(period=latest).values("institution_id", "institution__name")
                .annotate(sat=Sum("sat"), passed=Sum("passed")).order_by("institution__name"))
    sat, passed = sum(r["sat"] for r in rows), sum(r["passed"] for r in rows)
    p0 = passed / sat
    points = [{
        "name": r["institution__name"], "n": r["sat"], "passed": r["passed"], "rate": round(r["passed"] / r["sat"], 4),
        "band": band(r["passed"], r["sat"], p0, min_n=min_n),
        "band_label": str(Band(band(r["passed"], r["sat"], p0, min_n=min_n)).label),
        "url": reverse("supervision:organization", kwargs={"province": access.province.slug, "pk": r["institution_id"]})
        + f"?period_kind=year&period={latest}",
    } for r in rows]
    top = max(r["sat"] for r in rows)
    steps = sorted({max(1, round(top * k / 40)) for k in range(1, 41)} | {1, 2, 5, 10})
    curve = [{"n": n, **{k: round(v, 4) for k, v in vars(limits(p0, n)).items() if k != "n"}} for n in steps]
    return {"period": latest, "p0": round(p0, 4), "sat": sat, "passed": passed, "points": points, "limits": curve}


def officer_dashboard(access: ProvinceAccess, *, min_n: int, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    flags = scope_flags(access).filter(state=FlagState.OPEN)
    certificates = certificates_per_month(access, today)
    return {
        "certificates_chart": [{"label": f.label, "count": f.count, "url": f.url} for f in certificates],
        "applications": applications_by_state(access),
        "filings": filings_by_status(access),
        "plans": plans_this_month(access, today),
        "certificates": certificates,
        "funnel": funnel(access, min_n),
        "flags": Figure("", flags.count(), _url("supervision:flag_list", access, state=FlagState.OPEN)),
        "complaints": complaint_figures(access, today),
    }


def complaint_figures(access: ProvinceAccess, today: dt.date) -> list[Figure]:
    """Open complaints, those past the service norm and those past the legal deadline, each linking to its list."""
    counts = complaint_counts(access, today)
    return [Figure(gettext("办理中"), counts.unfinished, _url("supervision:complaint_list", access)),
            Figure(gettext("超期"), counts.overdue, _url("supervision:complaint_list", access, overdue="on"))]
