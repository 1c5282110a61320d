"""Reads of rankings: rows with their funnel limits for the page and the export, the catalog's notes, flag lists."""

from dataclasses import dataclass

from portal.catalog import Note
from portal.models import Province

from ..funnel import Limits, limits
from ..models import Band, Ranking, RankingRow, RankingState


@dataclass(frozen=True)
class RowView:
    """A ranking row with its rate and the limits for its own denominator."""

    row: RankingRow
    rate: float | None
    limits: Limits | None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def limits_95(self) -> str:
        return "—" if self.limits is None else f"{self.limits.low_95 * 100:.1f}%–{self.limits.high_95 * 100:.1f}%"

    @property
    def limits_998(self) -> str:
        if self.limits is None:
            return "—"
        return f"{self.limits.low_998 * 100:.1f}%–{self.limits.high_998 * 100:.1f}%"


def ranking_rows(ranking: Ranking) -> tuple[list[RowView], list[RowView]]:
    """(ranked rows, most at risk first; rows with too few candidates, by name)."""
    ranked: list[RowView] = []
    too_few: list[RowView] = []
    for row in ranking.rows.select_related("institution").order_by("-risk_score", "institution__name"):
        rate = row.passed / row.sat if row.sat else None
        has_limits = row.sat > 0 and ranking.pass_rate_norm is not None and not row.too_few
        view = RowView(row, rate, limits(ranking.pass_rate_norm or 0, row.sat) if has_limits else None)
        (too_few if row.too_few else ranked).append(view)
    too_few.sort(key=lambda v: v.row.institution.name)
    return ranked, too_few


def ranking_notes(province: Province, institution_ids: list[int]) -> dict[int, list[Note]]:
    """For the public catalog: each organization's latest published band per occupation group, and its change."""
    rows = (RankingRow.objects.filter(ranking__province=province, ranking__state=RankingState.PUBLISHED,
                                      institution_id__in=institution_ids)
            .select_related("ranking").order_by("institution_id", "ranking__group", "-ranking__period_start",
                                                "-ranking__published_at"))
    history: dict[tuple[int, str], list[RankingRow]] = {}
    for row in rows:
        history.setdefault((row.institution_id, row.ranking.group), []).append(row)
    notes: dict[int, list[Note]] = {}
    for (institution_id, group), (latest, *earlier) in history.items():
        when = latest.ranking.published_at
        text = f"{latest.ranking.period}：{latest.get_pass_band_display()}（{when:%Y-%m-%d}公示）" if when else ""
        if earlier and earlier[0].pass_band != latest.pass_band:
            text += f"；上期（{earlier[0].ranking.period}）为{earlier[0].get_pass_band_display()}"
        notes.setdefault(institution_id, []).append(
            Note(f"{group}类", text, alert=latest.pass_band in (Band.HIGH_998, Band.LOW_998)))
    return notes

