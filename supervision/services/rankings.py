"""Rankings per occupation group and period: funnel bands against the province's rate, risk scores with the formula
version used, publication as a ranking publicity notice, and the review flag after two bad periods in a row."""

from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.selectors import pack_for
from portal import publicity
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Province, Role, User
from portal.roles import require_role

from ..errors import Codes
from ..funnel import BAD_BANDS, band
from ..models import Band, FlagKind, FlagState, FraudFlag, IndicatorCell, Ranking, RankingRow, RankingState
from ..periods import parse_period
from . import risk
from .flags import raise_flag

RANKING_KIND = "ranking"
SUMS = ("sat", "passed", "complaints", "feedback_responses", "employed", "match_answered", "matched")


def group_of(occupation_code: str) -> str:
    """The occupation group of a code: its first two segments (中类), e.g. 6-18 for 6-18-02-04."""
    return "-".join(occupation_code.split("-")[:2])


def _totals(province: Province, group: str, period_kind: str, period: str) -> list[dict[str, Any]]:
    cells = IndicatorCell.objects.filter(province=province, period_kind=period_kind, period=period,
                                         occupation__code__startswith=f"{group}-")
    rows = cells.values("institution_id").annotate(**{k: Sum(k) for k in SUMS}).order_by("institution_id")
    return [dict(row) for row in rows]


def _norm(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _row(ranking: Ranking, total: dict[str, Any], flags: dict[int, int], weights: dict[str, float]) -> RankingRow:
    sat, passed, complaints = total["sat"] or 0, total["passed"] or 0, total["complaints"]
    inputs = risk.Inputs(
        sat=sat, passed=passed, pass_norm=ranking.pass_rate_norm, complaints=complaints,
        complaint_norm=ranking.complaint_rate_norm, responses=total["feedback_responses"] or 0,
        employed=total["employed"] or 0, match_answered=total["match_answered"] or 0, matched=total["matched"] or 0,
        open_flags=flags.get(total["institution_id"], 0))
    values = risk.signals(inputs)
    too_few = sat < ranking.min_n
    return RankingRow(
        ranking=ranking, institution_id=total["institution_id"], sat=sat, passed=passed, complaints=complaints,
        pass_band=band(passed, sat, ranking.pass_rate_norm, min_n=ranking.min_n),
        complaint_band=(Band.TOO_FEW if too_few and complaints is not None else
                        band(complaints or 0, sat, ranking.complaint_rate_norm, min_n=ranking.min_n)
                        if complaints is not None else Band.NO_DATA),
        risk_score=None if too_few else risk.score(values, weights), signals=values)


def build_ranking(province: Province, *, acting_user: User, group: str, period: str) -> Ranking:
    """A draft ranking of the group's organizations in the period, from the stored indicators."""
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER)
    the_period = parse_period(period)
    if the_period is None:
        raise DomainError(_("期间格式应为 2026 或 2026Q1。"), code=Codes.PERIOD_INVALID, field="period")
    totals = _totals(province, group, the_period.kind, the_period.key)
    if not totals:
        raise DomainError(_("该职业分组在该期间没有指标数据，无法排名。"), code=Codes.RANKING_EMPTY)
    all_sat = sum(t["sat"] or 0 for t in totals)
    complaint_known = [t for t in totals if t["complaints"] is not None]
    flags = dict(FraudFlag.objects.filter(province=province, state=FlagState.OPEN, institution__isnull=False)
                 .values_list("institution_id").annotate(n=Count("id")).values_list("institution_id", "n"))
    with transaction.atomic():
        formula = risk.current_formula(province)
        ranking = Ranking.objects.create(
            province=province, group=group, period_kind=the_period.kind, period=the_period.key,
            period_start=the_period.start, formula=formula, min_n=pack_for(province).settings.ranking_min_n,
            pass_rate_norm=_norm(sum(t["passed"] or 0 for t in totals), all_sat),
            complaint_rate_norm=_norm(sum(t["complaints"] for t in complaint_known),
                                      sum(t["sat"] or 0 for t in complaint_known)) if complaint_known else None,
            created_by=acting_user)
        RankingRow.objects.bulk_create(_row(ranking, t, flags, formula.weights) for t in totals)
        record_event(actor=acting_user, action="ranking_built", obj=ranking, province=province,
                     to_state=RankingState.DRAFT,
                     changes={"rows": {"before": None, "after": len(totals)},
                              "formula_version": {"before": None, "after": formula.version}})
    return ranking


def _item(row: RankingRow) -> publicity.ItemSpec:
    detail = _("合格率 %(passed)d/%(sat)d：%(band)s；投诉率：%(complaints)s") % {
        "passed": row.passed, "sat": row.sat, "band": row.get_pass_band_display(),
        "complaints": row.get_complaint_band_display()}
    return publicity.ItemSpec("supervision.rankingrow", str(row.pk), row.institution.name, detail)


def publish_ranking(ranking: Ranking, *, acting_user: User) -> Ranking:
    """Publish the ranking as a publicity notice (kind "ranking", objections open), and flag for review each
    organization outside the 99.8% band on the bad side in this and the group's previous published ranking."""
    require_role(acting_user, ranking.province, Role.PROVINCIAL_OFFICER)
    with transaction.atomic():
        ranking = Ranking.objects.select_for_update(of=("self",)).get(pk=ranking.pk)
        if ranking.state != RankingState.DRAFT:
            raise DomainError(_("该排名已公示。"), code=Codes.RANKING_PUBLISHED, status=409)
        rows = list(ranking.rows.select_related("institution").order_by("institution__name"))
        pack = pack_for(ranking.province)
        notice = publicity.publish_notice(
            ranking.province, kind=RANKING_KIND, source="supervision",
            title=_("%(period)s %(group)s 职业分组评价机构排名公示") % {"period": ranking.period, "group": ranking.group},
            body=_("按全省合格率（漏斗图95%%与99.8%%控制限）分档公示；参评人数少于%(n)d人的机构列为“样本过少”。")
            % {"n": ranking.min_n},
            items=[_item(row) for row in rows], working_days=pack.settings.publicity_working_days,
            acting_user=acting_user)
        ranking.state, ranking.notice, ranking.published_at = RankingState.PUBLISHED, notice, timezone.now()
        ranking.save(update_fields=["state", "notice", "published_at"])
        record_event(actor=acting_user, action="ranking_published", obj=ranking, province=ranking.province,
                     from_state=RankingState.DRAFT, to_state=RankingState.PUBLISHED)
        _flag_twice_outside(ranking, rows)
    return ranking


def previous_published(ranking: Ranking) -> Ranking | None:
    """The group's published ranking of the period kind just before this one."""
    return (Ranking.objects.filter(province=ranking.province, group=ranking.group, period_kind=ranking.period_kind,
                                   state=RankingState.PUBLISHED, period_start__lt=ranking.period_start)
            .order_by("-period_start", "-published_at").first())


def _is_bad(row: RankingRow) -> bool:
    return row.pass_band in BAD_BANDS or row.complaint_band in BAD_BANDS


def _flag_twice_outside(ranking: Ranking, rows: list[RankingRow]) -> None:
    before = previous_published(ranking)
    if before is None:
        return
    bad_before = {r.institution_id: r for r in before.rows.all() if _is_bad(r)}
    for row in rows:
        if _is_bad(row) and row.institution_id in bad_before:
            raise_flag(
                ranking.province, kind=FlagKind.BAND_TWICE_OUTSIDE,
                key=f"band:{ranking.group}:{ranking.period_kind}:{ranking.period}:{row.institution_id}",
                institution_id=row.institution_id, plan_id=None,
                summary=_("%(name)s 在 %(a)s、%(b)s 两期排名中均超出99.8%%控制限（不利方向），请复核。")
                % {"name": row.institution.name, "a": before.period, "b": ranking.period},
                evidence=[{"type": "ranking", "id": before.pk, "text": before.period},
                          {"type": "ranking", "id": ranking.pk, "text": ranking.period}])


def on_ranking_item_withdrawn(item: Any, *, reason: str, acting_user: User) -> None:
    """An upheld objection withdraws the organization's line from the notice; the ranking row keeps its numbers."""
    row = RankingRow.objects.filter(pk=int(item.object_id)).select_related("ranking").first()
    if row is not None:
        record_event(actor=acting_user, action="ranking_row_withdrawn", obj=row.ranking,
                     province=row.ranking.province, reason=reason, changes={"institution": {
                         "before": row.institution_id, "after": None}})

