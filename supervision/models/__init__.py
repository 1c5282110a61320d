"""Models of supervision: feedback and declarations, stored indicators and their refresh runs."""

from .feedback import (
    EMPLOYED_STATUSES,
    CoursePriceDeclaration,
    EmployerFeedback,
    EmploymentStatus,
    EnrolmentDeclaration,
    PeriodKind,
    Satisfaction,
    TraineeFeedback,
    WageBand,
)
from .indicators import IndicatorCell, IndicatorRun

__all__ = [
    "EMPLOYED_STATUSES",
    "CoursePriceDeclaration",
    "EmployerFeedback",
    "EmploymentStatus",
    "EnrolmentDeclaration",
    "IndicatorCell",
    "IndicatorRun",
    "PeriodKind",
    "Satisfaction",
    "TraineeFeedback",
    "WageBand",
]
