"""Models of the platform core, one module per concern."""

from .accounts import Membership, Role, User
from .audit import AuditChainHead, AuditEvent
from .calendar import CalendarDay, CalendarYear, DayKind
from .exports import ExportJob
from .holders import HolderAccount
from .institutions import Institution, InstitutionLevel, RegistrationNature
from .notifications import Notification
from .outbox import PendingTask
from .publicity import NoticeState, Objection, ObjectionState, PublicityItem, PublicityNotice
from .reference import Occupation, SkillLevel, WorkType
from .tenancy import City, Province

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "City",
    "DayKind",
    "ExportJob",
    "HolderAccount",
    "Institution",
    "InstitutionLevel",
    "Membership",
    "NoticeState",
    "Notification",
    "Objection",
    "ObjectionState",
    "Occupation",
    "PendingTask",
    "Province",
    "PublicityItem",
    "PublicityNotice",
    "RegistrationNature",
    "Role",
    "SkillLevel",
    "User",
    "WorkType",
]
