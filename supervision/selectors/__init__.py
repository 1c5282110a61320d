"""The public face of supervision's reads: indicators with their definitions and intervals, feedback and
declarations, rankings with their funnel limits, the officers' dashboard, inspection outcomes and open orders. Import from here."""

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
from .inspections import (
    Outcome,
    campaign_outcomes,
    campaign_picks,
    my_inspections,
    open_orders,
    order_counts,
)
from .rankings import RowView, ranking_notes, ranking_rows

__all__ = [
    "BY_KEY",
    "DEFINITIONS",
    "Definition",
    "Figure",
    "IndicatorValue",
    "Outcome",
    "RowView",
    "campaign_outcomes",
    "campaign_picks",
    "cell_dict",
    "cell_values",
    "employer_feedback_of",
    "enrolment_history",
    "last_run",
    "my_inspections",
    "officer_dashboard",
    "open_orders",
    "order_counts",
    "organization_cells",
    "organization_periods",
    "price_history",
    "ranking_notes",
    "ranking_rows",
    "trainee_feedback_for",
    "trainee_feedback_of",
]
