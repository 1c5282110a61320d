"""Aggregation of scoring sheets: the mean of submitted totals, dropping the highest and lowest from the pack's
number of sheets (Guangdong: 5) when the call keeps that rule on, and rankings per occupation with shared ranks."""

from decimal import Decimal

import pytest

from selection import selectors
from selection.models import ScoreSheet, SheetState
from tests.factories import ApplicationFactory, PanelFactory, selection_round, sheet_with_total

D = Decimal


def test_five_totals_drop_the_highest_and_the_lowest() -> None:
    score, dropped = selectors.aggregate_totals([D(80), D(85), D(90), D(70), D(95)], drop_extremes=True, min_sheets=5)

    assert (score, dropped) == (D("85.00"), (D(95), D(70)))


def test_four_totals_are_averaged_without_dropping() -> None:
    score, dropped = selectors.aggregate_totals([D(80), D(85), D(90), D(70)], drop_extremes=True, min_sheets=5)

    assert (score, dropped) == (D("81.25"), ())


def test_the_rule_switched_off_keeps_every_total() -> None:
    score, dropped = selectors.aggregate_totals([D(80), D(85), D(90), D(70), D(95)], drop_extremes=False, min_sheets=5)

    assert (score, dropped) == (D("84.00"), ())


def test_the_mean_is_rounded_half_up_to_the_cent() -> None:
    score, _ = selectors.aggregate_totals([D("80.5"), D("80"), D("80")], drop_extremes=True, min_sheets=5)

    assert score == D("80.17")  # 240.5 / 3 = 80.1666…


def test_no_sheet_no_score() -> None:
    assert selectors.aggregate_totals([], drop_extremes=True, min_sheets=5) == (None, ())


@pytest.mark.django_db
def test_panel_aggregate_counts_submitted_of_assigned_and_ignores_recused_sheets() -> None:
    # given five submitted sheets, one still open and one recused, on a Guangdong city panel
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    for total in (80, 85, 90, 70, 95):
        sheet_with_total(panel, application, total)
    sheet_with_total(panel, application, 10, submitted=False)
    recused = sheet_with_total(panel, application, 100)
    ScoreSheet.objects.filter(pk=recused.pk).update(state=SheetState.RECUSED)

    aggregate = selectors.aggregates(panel, [application.pk])[application.pk]

    # then the panel is incomplete (5 of 6), and the five submitted totals give 85.00 without 95 and 70
    assert (aggregate.progress, aggregate.complete) == ("5/6", False)
    assert (aggregate.score, aggregate.dropped) == (D("85.00"), (D(95), D(70)))


@pytest.mark.django_db
def test_panel_aggregate_follows_the_calls_option() -> None:
    panel = PanelFactory()
    selection_round(panel.call, drop_extremes=False)
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    for total in (80, 85, 90, 70, 95):
        sheet_with_total(panel, application, total)

    aggregate = selectors.aggregates(panel, [application.pk])[application.pk]

    assert (aggregate.score, aggregate.dropped, aggregate.complete) == (D("84.00"), (), True)


@pytest.mark.django_db
def test_rankings_per_occupation_share_ranks_on_ties_and_put_unscored_last() -> None:
    # given four applications: two tie at 88, one at 90 and one without a sheet; one also applies for 铣工
    panel = PanelFactory()
    a = ApplicationFactory(city_scoring=True, call=panel.call, institution__name="甲机构", occupations=["6-18-01-01", "6-18-01-02"])
    b = ApplicationFactory(city_scoring=True, call=panel.call, institution__name="乙机构")
    c = ApplicationFactory(city_scoring=True, call=panel.call, institution__name="丙机构")
    d = ApplicationFactory(city_scoring=True, call=panel.call, institution__name="丁机构")
    sheet_with_total(panel, a, 88)
    sheet_with_total(panel, b, 90)
    sheet_with_total(panel, c, 88)

    overall, per_occupation = selectors.rankings(
        panel, list(selectors.with_occupations(selectors.panel_applications(panel))))

    assert [(r.application.pk, r.rank, r.aggregate.score) for r in overall] == [
        (b.pk, 1, D("90.00")), (c.pk, 2, D("88.00")), (a.pk, 2, D("88.00")), (d.pk, None, None)]
    assert [(g.code, [(r.application.pk, r.rank) for r in g.rows]) for g in per_occupation] == [
        ("6-18-01-01", [(b.pk, 1), (c.pk, 2), (a.pk, 2), (d.pk, None)]),
        ("6-18-01-02", [(a.pk, 1)]),
    ]
