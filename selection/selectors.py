"""Reads of selection shared by pages, the API, worklists and the services: aggregated scores, rankings per
occupation, the applications each level works on, and what each page lists (scoped to the caller through
selection.access). This module and selection.services are the app's public face.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from filings import selectors as filing_selectors
from filings.access import scope_calls
from filings.models import Application, ApplicationOccupation, ApplicationState, Call, Route
from portal.access import scope_notices
from portal.models import City, Province, PublicityNotice
from portal.roles import ProvinceAccess

from .access import scope_experts, scope_own_sheets, scope_panels, scope_table_applications
from .models import (
    ConflictDeclaration,
    Criterion,
    Draw,
    Expert,
    LeadershipApproval,
    Panel,
    PanelLevel,
    Score,
    ScoreSheet,
    SelectionRound,
    SheetState,
    SummaryTable,
    TableRow,
)

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
    return scope_table_applications(call, city)


def panel_applications(panel: Panel) -> QuerySet[Application]:
    """Applications a panel may score: the city's in city scoring, or the province's under (or awaiting) review."""
    qs = Application.objects.filter(call=panel.call)
    if panel.level == PanelLevel.CITY:
        return qs.filter(city=panel.city, route=Route.CITY, state=S.CITY_SCORING)
    return qs.filter(state__in=[S.RECOMMENDED, S.PROVINCE_REVIEW])


def province_applications(call: Call) -> QuerySet[Application]:
    """The applications at the province's stage; where the centre decides (Shandong) only those filed with the
    province: the cities decide theirs."""
    qs = Application.objects.filter(call=call, state__in=PROVINCE_STATES)
    return qs.filter(route=Route.PROVINCE) if filing_selectors.centre_decides(call.province) else qs


def province_route_waiting(call: Call) -> QuerySet[Application]:
    """Filed straight with the province and not yet under its review."""
    return Application.objects.filter(call=call, route=Route.PROVINCE, state=S.SUBMITTED).select_related("institution")


def criteria_for(call: Call, category: str) -> list[Criterion]:
    return list(Criterion.objects.filter(round__call=call, category=category).order_by("position", "id"))


def sheet_scores(sheet: ScoreSheet) -> list[tuple[Criterion, Score | None]]:
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


# --- what the pages and the API list ---

@dataclass(frozen=True)
class CallOverview:
    """One call on the index: the panels the caller organizes, and (for the province) how many recommended wait."""

    call: Call
    panels: list[Panel]
    waiting: int | None


def calls_overview(access: ProvinceAccess) -> list[CallOverview]:
    calls = list(scope_calls(access).order_by("-year", "-application_deadline"))
    panels = list(scope_panels(access).filter(call__in=calls).select_related("city"))
    waiting: dict[int, int] = {}
    if access.is_provincial_officer:
        waiting = dict(Application.objects.filter(call__in=calls, state=S.RECOMMENDED).values("call_id")
                       .annotate(n=Count("pk")).values_list("call_id", "n"))
    return [CallOverview(call, [p for p in panels if p.call_id == call.pk], waiting.get(call.pk)) for call in calls]


def bound_cities(access: ProvinceAccess) -> list[City]:
    """The cities the caller is a city officer of, by code."""
    return list(City.objects.filter(pk__in=access.city_ids()).order_by("code"))


def province_cities(province: Province) -> QuerySet[City]:
    return City.objects.filter(province=province)


def panel_cities(access: ProvinceAccess) -> QuerySet[City]:
    """The cities the caller may form a city panel for: any for the provincial officer, their own for a city's."""
    if access.is_provincial_officer:
        return province_cities(access.province)
    return City.objects.filter(pk__in=access.city_ids())


def expert_pool(access: ProvinceAccess) -> QuerySet[Expert]:
    return scope_experts(access).select_related("city", "user").order_by("-is_active", "name")


def expert_conflicts(expert: Expert) -> QuerySet[ConflictDeclaration]:
    return expert.conflicts.select_related("application__institution")


def active_experts(province: Province) -> QuerySet[Expert]:
    """The pool's active experts, by name: whom an organizer may assign."""
    return Expert.objects.filter(province=province, is_active=True).order_by("name")


def expert_names(province: Province) -> dict[int, str]:
    return dict(Expert.objects.filter(province=province).values_list("pk", "name"))


def round_criteria(round_: SelectionRound, category: str | None = None) -> list[Criterion]:
    """The round's criteria in order (of one category, when given)."""
    qs = round_.criteria.all()
    if category is not None:
        return list(qs.filter(category=category).order_by("position", "pk"))
    return list(qs.order_by("category", "position", "pk"))


def assignable_applications(panel: Panel) -> QuerySet[Application]:
    return panel_applications(panel).select_related("institution").order_by("institution__name")


def panel_worklist(panel: Panel) -> list[Application]:
    """The panel's applications (those it may score, and any it has sheets for) with its sheets as `panel_sheets`."""
    with_sheets = ScoreSheet.objects.filter(panel=panel).values("application_id")
    return list(
        Application.objects.filter(Q(pk__in=panel_applications(panel).values("pk")) | Q(pk__in=with_sheets))
        .select_related("institution").order_by("institution__name", "pk")
        .prefetch_related(Prefetch("score_sheets", queryset=ScoreSheet.objects.filter(panel=panel)
                                   .select_related("expert"), to_attr="panel_sheets"))
    )


def recent_draws(panel: Panel) -> list[Draw]:
    return list(panel.draws.select_related("application__institution", "created_by")[:50])


def call_panels(access: ProvinceAccess, call: Call) -> QuerySet[Panel]:
    """The call's panels the caller organizes."""
    return scope_panels(access).filter(call=call).select_related("city")


def own_sheets(access: ProvinceAccess) -> QuerySet[ScoreSheet]:
    """The sheets assigned to the caller as an expert, open ones first, newest first."""
    return scope_own_sheets(access).select_related(
        "panel__call", "panel__city", "panel__province", "application__institution", "application__city",
    ).order_by("state", "-assigned_at")


def application_occupations(application: Application) -> QuerySet[ApplicationOccupation]:
    return application.occupations.select_related("occupation", "work_type")


def table_decisions(table: SummaryTable | None) -> dict[int, TableRow]:
    """The city's decisions on its table by application id (none before the first decision)."""
    return {r.application_id: r for r in table.rows.all()} if table else {}


def summary_tables(call: Call) -> list[SummaryTable]:
    return list(call.summary_tables.select_related("city", "sent_by").order_by("city__code"))


def approvals(call: Call) -> list[LeadershipApproval]:
    round_ = SelectionRound.objects.filter(call=call).first()
    if round_ is None:
        return []
    return list(LeadershipApproval.objects.filter(round=round_).prefetch_related("applications__institution"))


def call_notices(access: ProvinceAccess, call: Call) -> QuerySet[PublicityNotice]:
    """The publicity notices of the call's selection (where the centre decides, each city's too)."""
    return scope_notices(access).filter(Q(source=f"filings.call:{call.pk}")
                                        | Q(source__startswith=f"filings.call:{call.pk}:"))


def city_notices(access: ProvinceAccess, call: Call, city: City) -> QuerySet[PublicityNotice]:
    """The publicity notices a city centre published for the call (where the centre decides)."""
    return scope_notices(access).filter(source=f"filings.call:{call.pk}:{city.code}")
