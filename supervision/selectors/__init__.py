"""The public face of supervision's reads: indicators with their definitions and intervals, feedback and
declarations. Import from here."""

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

__all__ = [
    "BY_KEY",
    "DEFINITIONS",
    "Definition",
    "IndicatorValue",
    "cell_dict",
    "cell_values",
    "employer_feedback_of",
    "enrolment_history",
    "last_run",
    "organization_cells",
    "organization_periods",
    "price_history",
    "trainee_feedback_for",
    "trainee_feedback_of",
]
