"""The supervision benchmark's data generator, at a tiny scale on PostgreSQL: consistent rows, its indexes back, the
indicators and the dashboard built on them — so that the benchmark cannot rot. Never a timing."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F, Sum

from bench import supervision_data as data
from certificates.models import Candidate, Certificate, ExamPlan, IssuanceBatch, PlanState
from filings.models import Application, ApplicationState, Filing, FilingStatus
from portal.models import Institution, User
from supervision.models import CertificateMonth, EmployerFeedback, IndicatorCell, IndicatorRun, TraineeFeedback
from supervision.services.indicator_cells import RESULT_STATES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TODAY = dt.date(2026, 12, 4)


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_a_tiny_load_is_consistent_and_feeds_the_indicators_and_the_dashboard(client) -> None:  # type: ignore[no-untyped-def]
    indexes = {t: _indexes(t) for t in ("certificates_candidate", "certificates_certificate")}
    report = data.generate(data.Sizes(organizations=6, certificates=300, feedback=40), today=TODAY,
                           log=lambda line: None)

    assert data.already_loaded() and data.indicators_built()
    assert {t: _indexes(t) for t in indexes} == indexes  # dropped for the load, rebuilt after it
    assert Filing.objects.count() == 6 and Institution.objects.count() == 7  # and one applicant
    assert set(Filing.objects.values_list("status", flat=True)) <= set(FilingStatus.values)
    assert set(Application.objects.values_list("state", flat=True)) <= set(ApplicationState.values)
    assert set(ExamPlan.objects.values_list("state", flat=True)) <= set(PlanState.values)
    assert ExamPlan.objects.filter(first_session_on__gt=TODAY).exists()  # plans still to come this month
    # exactly the certificates asked for, each for a passed candidate of an approved plan of its organization
    assert report.counts["certificates"] == Certificate.objects.count() == 300
    assert not Certificate.objects.exclude(candidate__passed=True).exists()
    assert not Certificate.objects.exclude(candidate__plan__state=PlanState.APPROVED).exists()
    assert not Certificate.objects.exclude(institution=F("candidate__plan__institution")).exists()
    assert IssuanceBatch.objects.aggregate(n=Sum("total"))["n"] == 300
    assert not Candidate.objects.filter(plan__state=PlanState.ACKNOWLEDGED, theory_score__isnull=False).exists()
    assert TraineeFeedback.objects.count() == 32 and EmployerFeedback.objects.count() == 8
    assert not TraineeFeedback.objects.exclude(certified_on=F("certificate__issued_on")).exists()
    # the sweep built the stored indicators and the dashboards' monthly counts from those rows
    assert IndicatorRun.objects.count() == 1
    years = IndicatorCell.objects.filter(period_kind="year")
    assert years.aggregate(n=Sum("certificates"))["n"] == 300
    assert years.aggregate(n=Sum("registered"))["n"] == Candidate.objects.filter(plan__state__in=RESULT_STATES).count()
    assert years.aggregate(n=Sum("feedback_responses"))["n"] == 32
    assert CertificateMonth.objects.aggregate(n=Sum("certificates"))["n"] == 300

    client.force_login(User.objects.get(username=data.OFFICER))
    page = client.get("/gd/").content.decode()
    assert 'data-chart="funnel"' in page and 'id="funnel-table"' in page

