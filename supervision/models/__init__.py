"""Models of supervision: feedback and declarations, stored indicators and their refresh runs, fraud flags,
risk formulas and rankings, exits and suspensions."""

from .exits import (
    ExitState,
    FilingExit,
    Suspension,
    SuspensionEnd,
    SuspensionState,
    WrapUpKind,
    WrapUpTask,
)
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

__all__ = [
    "EMPLOYED_STATUSES",
    "Band",
    "CoursePriceDeclaration",
    "EmployerFeedback",
    "EmploymentStatus",
    "EnrolmentDeclaration",
    "ExitState",
    "FilingExit",
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
    "RiskFormula",
    "Satisfaction",
    "Suspension",
    "SuspensionEnd",
    "SuspensionState",
    "TraineeFeedback",
    "WageBand",
    "WrapUpKind",
    "WrapUpTask",
]
