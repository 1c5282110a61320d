"""Models of filings: applications, cultivations and filings (this package's names are what other apps import).

- applications: calls for applications and applications with their occupations, evidence, corrections, submissions
- filings: filings with their numbers, letters and occupations, and occupations added to a filing
- cultivations: cultivation periods with their occupations, tasks, question-bank rounds and files

States are protected django-fsm fields: only their transitions change them, and only filings.services calls them
(each with a lock, an audit event and notifications after commit).
"""

from .applications import (
    FINAL_STATES,
    WITHDRAWABLE,
    Application,
    ApplicationOccupation,
    ApplicationQuerySet,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Evidence,
    Route,
    Submission,
    evidence_path,
)
from .cultivations import (
    Cultivation,
    CultivationOccupation,
    CultivationOccupationState,
    CultivationQuerySet,
    CultivationReminder,
    CultivationState,
    CultivationTask,
    QuestionBankFile,
    QuestionBankFileKind,
    QuestionBankRound,
    ReviewDecision,
    TaskKind,
    TaskState,
    commitment_path,
    question_bank_path,
)
from .filings import (
    AdditionOccupation,
    AdditionState,
    ExitKind,
    Filing,
    FilingLetter,
    FilingOccupation,
    FilingQuerySet,
    FilingStatus,
    LetterKind,
    NumberCounter,
    OccupationAddition,
    filing_document_path,
)

__all__ = [
    "FINAL_STATES",
    "WITHDRAWABLE",
    "AdditionOccupation",
    "AdditionState",
    "Application",
    "ApplicationOccupation",
    "ApplicationQuerySet",
    "ApplicationState",
    "Call",
    "Correction",
    "CorrectionItem",
    "Cultivation",
    "CultivationOccupation",
    "CultivationOccupationState",
    "CultivationQuerySet",
    "CultivationReminder",
    "CultivationState",
    "CultivationTask",
    "Evidence",
    "ExitKind",
    "Filing",
    "FilingLetter",
    "FilingOccupation",
    "FilingQuerySet",
    "FilingStatus",
    "LetterKind",
    "NumberCounter",
    "OccupationAddition",
    "QuestionBankFile",
    "QuestionBankFileKind",
    "QuestionBankRound",
    "ReviewDecision",
    "Route",
    "Submission",
    "TaskKind",
    "TaskState",
    "commitment_path",
    "evidence_path",
    "filing_document_path",
    "question_bank_path",
]
