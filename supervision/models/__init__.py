"""Models of supervision: feedback and declarations, stored indicators and their refresh runs, fraud flags,
risk formulas and rankings."""

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
from .flags import FlagKind, FlagRun, FlagState, FraudFlag
from .indicators import IndicatorCell, IndicatorRun
from .rankings import Band, Ranking, RankingRow, RankingState, RiskFormula
from .renewals import (
    PENDING_STATES,
    CityReviewReminder,
    Renewal,
    RenewalDocument,
    RenewalReminder,
    RenewalState,
)

__all__ = [
    "EMPLOYED_STATUSES",
    "PENDING_STATES",
    "Band",
    "CityReviewReminder",
    "CoursePriceDeclaration",
    "EmployerFeedback",
    "EmploymentStatus",
    "EnrolmentDeclaration",
    "FlagKind",
    "FlagRun",
    "FlagState",
    "FraudFlag",
    "IndicatorCell",
    "IndicatorRun",
    "PeriodKind",
    "Ranking",
    "RankingRow",
    "RankingState",
    "Renewal",
    "RenewalDocument",
    "RenewalReminder",
    "RenewalState",
    "RiskFormula",
    "Satisfaction",
    "TraineeFeedback",
    "WageBand",
]
