"""Models of supervision: feedback and declarations, stored indicators and their refresh runs (with the monthly
certificate counts of the dashboards), fraud flags, risk formulas and rankings."""

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
from .indicators import CertificateMonth, IndicatorCell, IndicatorRun
from .rankings import Band, Ranking, RankingRow, RankingState, RiskFormula

__all__ = [
    "EMPLOYED_STATUSES",
    "Band",
    "CertificateMonth",
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
    "RiskFormula",
    "Satisfaction",
    "TraineeFeedback",
    "WageBand",
]
