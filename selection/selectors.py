"""Reads of selection shared by pages, the API, worklists and the services: aggregated scores, rankings per
occupation, the applications each level works on. This module and selection.services are the app's public face.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from filings import selectors as filing_selectors
from filings.models import Application, ApplicationOccupation, ApplicationState, Call, Route
from portal.models import City

from .models import Criterion, Panel, PanelLevel, ScoreSheet, SelectionRound, SheetState, SummaryTable

S = ApplicationState
CENT = Decimal("0.01")

# Applications that reached the province: recommended by a city (or filed with the province) and everything after.
PROVINCE_STATES = [
    S.RECOMMENDED, S.PROVINCE_REVIEW, S.SELECTED, S.NOT_SELECTED, S.APPROVED, S.IN_PUBLICITY, S.PUBLICITY_ENDED,
    S.CULTIVATING, S.FILED, S.ELIMINATED,
]


# --- aggregation ---

def aggregate_totals(totals: Sequence[Decimal], *, drop_extremes: bool, min_sheets: int) -> tuple[Decimal | None, tuple[Decimal, ...]]:
    """(mean to the cent, dropped totals): the mean of the submitted totals; with `min_sheets` or more and
    `drop_extremes`, one highest and one lowest total are dropped first."""
    if not totals:
        return None, ()
    ordered = sorted(totals)
    dropped: tuple[Decimal, ...] = ()
    if drop_extremes and len(ordered) >= min_sheets:
        dropped = (ordered[-1], ordered[0])
        ordered = ordered[1:-1]
    mean = sum(ordered, Decimal(0)) / len(ordered)
    return mean.quantize(CENT, rounding=ROUND_HALF_UP), dropped


@dataclass(frozen=True)
class Aggregate:
    """The state of one application's scoring in one panel: n of m sheets submitted, and the aggregated score."""

    submitted: int = 0
    assigned: int = 0  # sheets that count: assigned or submitted (recused ones do not)
    totals: tuple[Decimal, ...] = ()
    dropped: tuple[Decimal, ...] = ()
    score: Decimal | None = None

    @property
    def complete(self) -> bool:
        return self.assigned > 0 and self.submitted == self.assigned

    @property
    def progress(self) -> str:
        return f"{self.submitted}/{self.assigned}"


def drop_extremes_for(call: Call) -> bool:
    round_ = SelectionRound.objects.filter(call=call).only("drop_extremes").first()
    return round_.drop_extremes if round_ is not None else True


def aggregates(panel: Panel | None, application_ids: Iterable[int]) -> dict[int, Aggregate]:
    """Aggregates of the given applications in one panel, in one query."""
    ids = list(application_ids)
    if panel is None or not ids:
        return {}
    pack = filing_selectors.pack_for(panel.province)
    drop = drop_extremes_for(panel.call)
    submitted: dict[int, list[Decimal]] = defaultdict(list)
    assigned: dict[int, int] = defaultdict(int)
    rows = ScoreSheet.objects.filter(panel=panel, application_id__in=ids).exclude(state=SheetState.RECUSED)
    for application_id, state, total in rows.values_list("application_id", "state", "total"):
        assigned[application_id] += 1
        if state == SheetState.SUBMITTED and total is not None:
            submitted[application_id].append(total)
    result = {}
    for application_id in ids:
        totals = tuple(sorted(submitted[application_id]))
        score, dropped = aggregate_totals(totals, drop_extremes=drop, min_sheets=pack.settings.drop_extremes_min_sheets)
        result[application_id] = Aggregate(len(totals), assigned[application_id], totals, dropped, score)
    return result


# --- rankings ---

@dataclass
class RankedRow:
    application: Application
    aggregate: Aggregate
    rank: int | None = None
    occupations: list[ApplicationOccupation] = field(default_factory=list)


@dataclass
class OccupationRanking:
    code: str
    name: str
    rows: list[RankedRow]


def rank_rows(rows: list[RankedRow]) -> list[RankedRow]:
    """Highest score first, ties share a rank (1, 2, 2, 4); applications without a score come last, unranked."""
    ordered = sorted(
        rows, key=lambda r: (r.aggregate.score is None, -(r.aggregate.score or 0), r.application.institution.name)
    )
    ranked = []
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(ordered, start=1):
        score = row.aggregate.score
        if score is not None and score != previous:
            rank = position
        ranked.append(RankedRow(row.application, row.aggregate, rank if score is not None else None, row.occupations))
        previous = score
    return ranked


def rankings(panel: Panel | None, applications: Sequence[Application]) -> tuple[list[RankedRow], list[OccupationRanking]]:
    """(all applications ranked, one ranking per occupation applied for). `applications` must be fetched with
    `with_occupations()` so that no query runs per row."""
    aggs = aggregates(panel, [a.pk for a in applications])
    rows = [RankedRow(a, aggs.get(a.pk, Aggregate()), None, list(a.occupations.all())) for a in applications]
    overall = rank_rows(rows)
    groups: dict[str, list[RankedRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        for item in row.occupations:
            code = item.occupation.code
            names[code] = str(item)
            groups[code].append(row)
    per_occupation = [OccupationRanking(code, names[code], rank_rows(groups[code])) for code in sorted(groups)]
    return overall, per_occupation


def with_occupations(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("institution", "city", "call").prefetch_related(
        "occupations__occupation", "occupations__work_type"
    )


# --- what each level works on ---

def city_panel(call: Call, city: City) -> Panel | None:
    return Panel.objects.filter(call=call, level=PanelLevel.CITY, city=city).select_related("call", "province").first()


def province_panel(call: Call) -> Panel | None:
    return Panel.objects.filter(call=call, level=PanelLevel.PROVINCE).select_related("call", "province").first()


def summary_table(call: Call, city: City) -> SummaryTable | None:
    return SummaryTable.objects.filter(call=call, city=city).first()


def city_applications(call: Call, city: City) -> QuerySet[Application]:
    """The city's applications of the call on its summary table: those awaiting its recommendation, and once the
    table is sent, those it recommended or not."""
    on_table = Q(pk__in=SummaryTable.objects.filter(call=call, city=city).values("rows__application"))
    return Application.objects.filter(call=call, city=city, route=Route.CITY).filter(
        Q(state=S.CITY_SCORING) | on_table
    )


def panel_applications(panel: Panel) -> QuerySet[Application]:
    """Applications a panel may score: the city's in city scoring, or the province's under (or awaiting) review."""
    qs = Application.objects.filter(call=panel.call)
    if panel.level == PanelLevel.CITY:
        return qs.filter(city=panel.city, route=Route.CITY, state=S.CITY_SCORING)
    return qs.filter(state__in=[S.RECOMMENDED, S.PROVINCE_REVIEW])


def province_applications(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, state__in=PROVINCE_STATES)


def province_route_waiting(call: Call) -> QuerySet[Application]:
    """Filed straight with the province and not yet under its review."""
    return Application.objects.filter(call=call, route=Route.PROVINCE, state=S.SUBMITTED)


def criteria_for(call: Call, category: str) -> list[Criterion]:
    return list(Criterion.objects.filter(round__call=call, category=category).order_by("position", "id"))


def sheet_scores(sheet: ScoreSheet) -> list[tuple[Criterion, object]]:
    """(criterion, Score or None) for each criterion of the sheet's category, in order."""
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    return [(c, scores.get(c.pk)) for c in criteria_for(sheet.panel.call, sheet.application.category)]


def other_sheets_visible(sheet: ScoreSheet) -> list[ScoreSheet]:
    """The other experts' submitted sheets on the same application and panel, shown to an expert only once their own
    sheet is submitted (experts never see another's scores before)."""
    if not sheet.is_submitted:
        return []
    return list(
        ScoreSheet.objects.filter(panel=sheet.panel, application=sheet.application, state=SheetState.SUBMITTED)
        .exclude(pk=sheet.pk).select_related("expert").order_by("pk")
    )
