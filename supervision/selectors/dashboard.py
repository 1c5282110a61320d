"""The officers' dashboard at a glance: counts that link to the lists behind them, certificates per month and the
funnel plot of pass rates for the latest period with indicators, open and overdue complaints."""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from certificates.access import scope_plans
from certificates.models import Certificate
from filings.access import scope_applications, scope_filings
from filings.models import Application, ApplicationState, Filing, FilingStatus
from portal import compiled, homecache
from portal.models import Role
from portal.roles import ProvinceAccess

from ..access import scope_flags, scope_indicator_cells
from ..funnel import band, limits
from ..models import Band, CertificateMonth, FlagState, IndicatorRun, PeriodKind
from .complaints import complaint_counts

log = logging.getLogger(__name__)

DASHBOARD_FILING_STATES = (FilingStatus.ACTIVE, FilingStatus.SUSPENDED, FilingStatus.EXITING)
MONTHS = 12
FUNNEL_TABLE_ALL = 50
FUNNEL_TABLE_MAX = 100  # beyond FUNNEL_TABLE_ALL organizations: at most this many outside the limits, worst first
OUTSIDE_BANDS = (Band.HIGH_95, Band.HIGH_998, Band.LOW_95, Band.LOW_998)
_SEVERITY = {Band.HIGH_998: 0, Band.LOW_998: 0, Band.HIGH_95: 1, Band.LOW_95: 1}


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the list it comes from."""

    label: str
    count: int
    url: str


@lru_cache(maxsize=512)
def _province_url(name: str, slug: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf, kwargs={"province": slug})


def _url(name: str, access: ProvinceAccess, **query: Any) -> str:
    # reversed once per list and province (a panel links some thirty figures to a handful of lists)
    base = _province_url(name, access.province.slug, get_script_prefix(), get_urlconf())
    return f"{base}?{urlencode(query)}" if query else base


def applications_by_state(access: ProvinceAccess) -> list[Figure]:
    # COUNT(*): counted in the (province, state) index alone, not the table
    counts = dict(compiled.rows("supervision.applications_by_state", access, Application, lambda: (
        scope_applications(access).exclude(state=ApplicationState.DRAFT).values_list("state")
        .annotate(n=Count("*")).values_list("state", "n"))))
    return [Figure(str(label), counts[value], _url("filings:review_list", access, state=value))
            for value, label in ApplicationState.choices if counts.get(value)]


def filings_by_status(access: ProvinceAccess) -> list[Figure]:
    counts = dict(compiled.rows("supervision.filings_by_status", access, Filing, lambda: (
        scope_filings(access).values_list("status").annotate(n=Count("*")).values_list("status", "n"))))
    return [Figure(str(s.label), counts.get(s.value, 0), _url("filings:filing_list", access, state=s.value))
            for s in DASHBOARD_FILING_STATES]


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def plans_this_month(access: ProvinceAccess, today: dt.date) -> Figure:
    start, end = month_bounds(today)
    count = scope_plans(access).filter(first_session_on__range=(start, end)).count()
    label = gettext("%(year)d年%(month)02d月") % {"year": start.year, "month": start.month}
    return Figure(label, count, _url("exams:plan_list", access, date_from=start.isoformat(),
                                                  date_to=end.isoformat()))


def latest_run() -> tuple[int, dt.datetime | None, dict[str, Any]] | None:
    """(id, finished_at, marks) of the indicator sweep's last finished run, or None before the first."""
    return (IndicatorRun.objects.filter(finished_at__isnull=False).order_by("-id")
            .values_list("id", "finished_at", "marks").first())


def funnel_version(access: ProvinceAccess, min_n: int, run: tuple[int, dt.datetime | None, Any] | None) -> str:
    """What the funnel plot of this officer depends on: the province, their scope, the pack minimum, the language
    and the sweep's last run (the indicator cells change only when it runs) — the key of its cached rendering."""
    scope = "province" if access.has(Role.PROVINCIAL_OFFICER) else ",".join(str(c) for c in sorted(access.city_ids()))
    stamp = f"{run[0]}@{run[1].timestamp() if run[1] else 0}" if run else "none"
    return f"{access.province.pk}:{scope}:{min_n}:{get_language()}:{stamp}"


def _month_counts(access: ProvinceAccess, first: dt.date, last: tuple[int, Any, dict[str, Any]] | None
                  ) -> dict[str, int]:
    """Certificates per month since `first` in the officer's province or cities: the counts the indicator sweep
    stored (CertificateMonth) plus the certificates issued since its last mark, counted live through the primary key."""
    stored = CertificateMonth.objects.filter(province=access.province, month__gte=first)
    live = Certificate.objects.in_province(access.province).filter(issued_on__gte=first)
    if not access.has(Role.PROVINCIAL_OFFICER):
        stored = stored.filter(city_id__in=access.city_ids())
        live = live.filter(filing__city_id__in=access.city_ids())
    counts: dict[str, int] = defaultdict(int)
    for month, n in stored.values_list("month").annotate(n=Sum("certificates")).values_list("month", "n"):
        counts[f"{month:%Y-%m}"] += n
    live_rows = (live.filter(pk__gt=int(last[2].get("certificate", 0) if last else 0)).annotate(month=TruncMonth("issued_on"))
                 .values_list("month").annotate(n=Count("id")).values_list("month", "n"))
    for month, n in live_rows:
        counts[f"{month:%Y-%m}"] += n
    return counts


def certificates_per_month(access: ProvinceAccess, today: dt.date,
                           run: tuple[int, Any, dict[str, Any]] | None = None) -> list[Figure]:
    """The last 12 months (this one included), each with its count and the registry filtered to it."""
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    counts = _month_counts(access, first, run if run is not None else latest_run())
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
                .annotate(sat=Sum("sat"), passed=Sum("passed")).order_by("institution__name", "institution_id"))
    sat, passed = sum(r["sat"] for r in rows), sum(r["passed"] for r in rows)
    p0 = passed / sat
    labels = {value: str(label) for value, label in Band.choices}
    url = reverse("supervision:organization", kwargs={"province": access.province.slug, "pk": 0})
    head, tail = url.rsplit("/0/", 1)
    points = []
    for r in rows:
        point_band = band(r["passed"], r["sat"], p0, min_n=min_n)
        points.append({
            "name": r["institution__name"], "n": r["sat"], "passed": r["passed"],
            "rate": round(r["passed"] / r["sat"], 4), "band": point_band, "band_label": labels[point_band],
            "url": f"{head}/{r['institution_id']}/{tail}?period_kind=year&period={latest}", "id": r["institution_id"],
        })
    top = max(r["sat"] for r in rows)
    steps = sorted({max(1, round(top * k / 40)) for k in range(1, 41)} | {1, 2, 5, 10})
    curve = [{"n": n, **{k: round(v, 4) for k, v in vars(limits(p0, n)).items() if k != "n"}} for n in steps]
    data = {"period": latest, "p0": round(p0, 4), "sat": sat, "passed": passed, "points": points, "limits": curve}
    return {**data, **_funnel_views(data, labels, f"{head}/{{id}}/{tail}?period_kind=year&period={latest}"),
            "table_url": _url("supervision:indicator_list", access, period_kind="year", period=latest)}


def funnel_chart(access: ProvinceAccess, min_n: int) -> dict[str, Any] | None:
    """The funnel plot's drawing data (every organization's point and the limits), which the dashboard fetches
    apart from its page: thousands of points would make the home page hundreds of kilobytes. Kept in the cache
    under the plot's version (it changes only when the sweep runs); an unreachable cache only costs the computation."""
    key = f"supervision-funnel-chart:{funnel_version(access, min_n, latest_run())}"
    try:
        hit = cache.get(key)
    except Exception:  # a cache that does not answer must not cost the chart
        log.warning("funnel chart cache unreachable", exc_info=True)
        hit = None
    if hit is not None:
        return hit or None
    data = funnel(access, min_n)
    chart = data["chart"] if data else {}
    try:
        cache.set(key, chart, 86400)
    except Exception:
        log.warning("funnel chart not cached", exc_info=True)
    return chart or None


def _funnel_views(data: dict[str, Any], labels: dict[str, str], url_template: str) -> dict[str, Any]:
    """What the page draws: the chart's points without what each would repeat (labels, links: from the band and the
    id), and the table — every organization up to FUNNEL_TABLE_ALL, beyond that those outside the 95% limits, those
    beyond 99.8% first, at most FUNNEL_TABLE_MAX (the full list is the indicator table, linked)."""
    points = data["points"]
    chart = {"p0": data["p0"], "limits": data["limits"], "band_labels": labels, "url_template": url_template,
             "points": [{k: p[k] for k in ("id", "name", "n", "rate", "band")} for p in points]}
    if len(points) <= FUNNEL_TABLE_ALL:
        table = points
    else:
        outside = [p for p in points if p["band"] in OUTSIDE_BANDS]
        table = sorted(outside, key=lambda p: _SEVERITY[p["band"]])[:FUNNEL_TABLE_MAX]  # stable: by name within
    return {"chart": chart, "table": table, "table_rest": len(points) - len(table)}


def open_flags_figure(access: ProvinceAccess) -> Figure:
    return Figure("", scope_flags(access).filter(state=FlagState.OPEN).count(),
                  _url("supervision:flag_list", access, state=FlagState.OPEN))


def figure_parts(access: ProvinceAccess, today: dt.date,
                 run: tuple[int, Any, dict[str, Any]] | None) -> list[homecache.Part]:
    """The panel's figures, each a part the home page may keep apart (portal.homecache), with what its rows change
    with: applications move with events on them or their call, filings with theirs or supervision's (suspension,
    exit, which move them through the filings' services); plans with events on the plan (filed, sessions added); the
    certificates per month with issues (an event on the batch) and reissues, and depend on the sweep's last run as
    well (its mark splits stored from live)."""
    return [
        homecache.Part("supervision.dashboard.applications", ("filings.application", "filings.call", "selection"),
                       partial(applications_by_state, access)),
        homecache.Part("supervision.dashboard.filings", ("filings.filing",),
                       partial(filings_by_status, access)),
        homecache.Part("supervision.dashboard.plans", ("certificates.examplan",),
                       partial(plans_this_month, access, today)),
        homecache.Part(f"supervision.dashboard.certificates@{run[0] if run else 0}",
                       ("certificates.issuancebatch", "certificates.certificate"),
                       partial(certificates_per_month, access, today, run)),
        homecache.Part("supervision.dashboard.flags", ("supervision.fraudflag",), partial(open_flags_figure, access)),
        homecache.Part("supervision.dashboard.complaints", ("supervision.complaint",),
                       partial(complaint_figures, access, today)),
    ]


def officer_dashboard(access: ProvinceAccess, *, min_n: int, today: dt.date | None = None,
                      lazy_funnel: bool = False,
                      figures: Callable[[list[homecache.Part]], list[Any]] | None = None) -> dict[str, Any]:
    """The panel's figures. With lazy_funnel, "funnel" is a callable computing the plot's data when first drawn, and
    "funnel_key" names its cached rendering (thousands of organizations make it the page's heaviest part). `figures`
    computes the figure parts (the home page passes portal.homecache.cached_parts); by default each is computed."""
    today = today or timezone.localdate()
    run = latest_run()
    parts = figure_parts(access, today, run)
    applications, filings, plans, certificates, flags, complaints = (
        figures(parts) if figures is not None else [part.compute() for part in parts])
    data = {
        "certificates_chart": [{"label": f.label, "count": f.count, "url": f.url} for f in certificates],
        "applications": applications,
        "filings": filings,
        "plans": plans,
        "certificates": certificates,
        "funnel": partial(funnel, access, min_n) if lazy_funnel else funnel(access, min_n),
        "flags": flags,
        "complaints": complaints,
    }
    if lazy_funnel:
        data["funnel_key"] = funnel_version(access, min_n, run)
    return data


def complaint_figures(access: ProvinceAccess, today: dt.date) -> list[Figure]:
    """Open complaints, those past the service norm and those past the legal deadline, each linking to its list."""
    counts = complaint_counts(access, today)
    return [Figure(gettext("办理中"), counts.unfinished, _url("supervision:complaint_list", access)),
            Figure(gettext("超期"), counts.overdue, _url("supervision:complaint_list", access, overdue="on"))]
