"""The public face of supervision's writes: feedback, declarations and the indicator sweep. Import from here."""

from .declarations import declare_course_price, declare_enrolment, filed_occupations
from .feedback import (
    Employer,
    TraineeAnswers,
    certificate_from_ticket,
    find_certificate_for_employer,
    find_certificate_for_trainee,
    submit_employer_feedback,
    submit_trainee_feedback,
    trainee_ticket,
)
from .indicators import recompute_cell, refresh_indicators, request_indicator_refresh

__all__ = [
    "Employer",
    "TraineeAnswers",
    "certificate_from_ticket",
    "declare_course_price",
    "declare_enrolment",
    "filed_occupations",
    "find_certificate_for_employer",
    "find_certificate_for_trainee",
    "recompute_cell",
    "refresh_indicators",
    "request_indicator_refresh",
    "submit_employer_feedback",
    "submit_trainee_feedback",
    "trainee_ticket",
]
