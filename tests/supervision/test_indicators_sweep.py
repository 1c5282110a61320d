"""The indicator sweep: exact counts per cell, and a cost that follows the rows changed since the last run."""

import datetime as dt

from django.utils import timezone

from portal.models import AuditEvent
from supervision import selectors, services
from supervision.models import IndicatorCell, IndicatorRun
from tests.factories import CandidateFactory, FilingFactory, certificates_of, feedback_on, plan_with_results

FEB = dt.date(2026, 2, 10)


def values_by_key(cell):
    return {v.key: v for v in selectors.cell_values(cell)}


def test_sweep_computes_participation_and_pass_rate_with_wilson_intervals(db):
    plan = plan_with_results(on=FEB, passed=45, failed=3, absent=2)
    run = services.refresh_indicators()
    quarter = IndicatorCell.objects.get(institution=plan.institution, period_kind="quarter")
    year = IndicatorCell.objects.get(institution=plan.institution, period_kind="year")
    assert (quarter.period, quarter.period_start, quarter.period_end) == ("2026Q1", dt.date(2026, 1, 1),
                                                                          dt.date(2026, 3, 31))
    assert (quarter.registered, quarter.sat, quarter.passed) == (50, 48, 45)
    assert (year.period, year.registered, year.sat, year.passed) == ("2026", 50, 48, 45)
    assert run.cells == 2
    values = values_by_key(quarter)
    assert (values["participation"].display, values["participation"].denominator) == ("96.0%", 50)
    assert values["participation"].rate.interval == "86.5%–98.9%"
    assert (values["pass_rate"].display, values["pass_rate"].denominator) == ("93.8%", 48)
    assert (round(values["pass_rate"].rate.low, 4), round(values["pass_rate"].rate.high, 4)) == (0.8316, 0.9785)
    assert values["complaints"].collected is True and values["complaints"].display == "0.0"  # none filed


def test_pass_rate_of_45_of_50_sat(db):
    plan = plan_with_results(on=FEB, passed=45, failed=5)
    services.refresh_indicators()
    pass_rate = values_by_key(IndicatorCell.objects.get(institution=plan.institution, period="2026Q1"))["pass_rate"]
    assert (pass_rate.rate.numerator, pass_rate.rate.denominator) == (45, 50)
    assert (round(pass_rate.rate.low, 4), round(pass_rate.rate.high, 4)) == (0.7864, 0.9565)
    assert pass_rate.as_dict()["low"] == 0.7864 and pass_rate.as_dict()["high"] == 0.9565


def test_feedback_indicators_of_certificates_issued_in_the_period(db):
    today = timezone.localdate()
    plan = plan_with_results(on=today, passed=4)
    first, second, third, _fourth = certificates_of(plan)
    feedback_on(first, wage_band=2, training_satisfaction=5, evaluation_satisfaction=4)
    feedback_on(second, wage_band=4, job_matches=False, training_satisfaction=3, evaluation_satisfaction=4)
    feedback_on(third, employment_status="unemployed", job_matches=None, wage_band=None, training_satisfaction=4,
                evaluation_satisfaction=5)
    services.refresh_indicators()
    cell = IndicatorCell.objects.get(institution=plan.institution, period_kind="quarter")
    assert (cell.certificates, cell.feedback_responses, cell.employed, cell.match_answered, cell.matched) == (
        4, 3, 2, 2, 1)
    assert (cell.wage_answered, cell.wage_median_band) == (2, 2)
    assert (str(cell.training_satisfaction_mean), str(cell.evaluation_satisfaction_mean)) == ("4.00", "4.33")
    values = values_by_key(cell)
    assert (values["response_rate"].display, values["response_rate"].denominator) == ("75.0%", 4)
    assert (values["employment_rate"].display, values["match_rate"].display) == ("66.7%", "50.0%")
    assert values["wage_median"].display == "3000–4999元"


def test_a_second_run_without_new_rows_recomputes_nothing(db):
    plan_with_results(on=FEB, passed=3)
    first = services.refresh_indicators()
    second = services.refresh_indicators()
    assert first.cells == 2
    assert second.cells == 0
    assert set(second.rows_seen.values()) == {0}
    assert AuditEvent.objects.filter(action="indicators_refreshed").count() == 2


def test_new_rows_recompute_only_the_cells_they_touch(db):
    touched = plan_with_results(on=FEB, passed=3)
    untouched = plan_with_results(on=FEB, passed=5)
    services.refresh_indicators()
    before = IndicatorCell.objects.get(institution=untouched.institution, period_kind="quarter").computed_at
    CandidateFactory(plan=touched)
    run = services.refresh_indicators()
    assert run.cells == 2  # the touched organization's quarter and year
    assert run.rows_seen["candidate"] == 1
    assert IndicatorCell.objects.get(institution=touched.institution, period_kind="quarter").registered == 4
    assert IndicatorCell.objects.get(institution=untouched.institution, period_kind="quarter").computed_at == before


def test_sweep_is_idempotent_when_a_cell_is_recomputed_again(db):
    plan = plan_with_results(on=FEB, passed=2, failed=1)
    services.refresh_indicators()
    cell = IndicatorCell.objects.get(institution=plan.institution, period_kind="year")
    again = services.recompute_cell(plan.institution, plan.occupation_id, selectors_period("2026"))
    assert (again.pk, again.registered, again.passed) == (cell.pk, 3, 2)
    assert IndicatorCell.objects.count() == 2


def test_plans_without_published_results_do_not_count(db):
    plan = plan_with_results(FilingFactory(), on=FEB, passed=3, state="results_entry")
    services.refresh_indicators()
    assert IndicatorCell.objects.get(institution=plan.institution, period_kind="quarter").registered == 0
    assert IndicatorRun.objects.count() == 1


def selectors_period(key):
    from supervision.periods import parse_period

    return parse_period(key)
