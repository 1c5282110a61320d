"""The public face of supervision's reads: indicators with their definitions and intervals, feedback and
declarations, rankings with their funnel limits, the officers' dashboard. Import from here."""

from .dashboard import Figure, officer_dashboard
from .definitions import BY_KEY, DEFINITIONS, Definition
from .feedback import (
    employer_feedback_of,
    enrolment_history,
    price_history,
    trainee_feedback_for,
    trainee_feedback_of,
)
from .indicators import (
    IndicatorValue,
    cell_dict,
    cell_values,
    last_run,
    organization_cells,
    organization_periods,
)
from .rankings import RowView, ranking_notes, ranking_rows
from .renewals import (
    OccupationCount,
    RenewalCheck,
    RenewalWindow,
    counted_certificates,
    current_renewal,
    dormant_filings,
    renewal_check,
    renewal_pending,
    renewal_refused,
    renewal_state,
    renewal_window,
    renewals_of,
    validity_period_start,
)

__all__ = [
    "BY_KEY",
    "DEFINITIONS",
    "Definition",
    "Figure",
    "IndicatorValue",
    "OccupationCount",
    "RenewalCheck",
    "RenewalWindow",
    "RowView",
    "cell_dict",
    "cell_values",
    "counted_certificates",
    "current_renewal",
    "dormant_filings",
    "employer_feedback_of",
    "enrolment_history",
    "last_run",
    "officer_dashboard",
    "organization_cells",
    "organization_periods",
    "price_history",
    "ranking_notes",
    "ranking_rows",
    "renewal_check",
    "renewal_pending",
    "renewal_refused",
    "renewal_state",
    "renewal_window",
    "renewals_of",
    "trainee_feedback_for",
    "trainee_feedback_of",
    "validity_period_start",
]
