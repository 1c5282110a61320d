"""Error codes of supervision: every code its services raise (the API's contract: a code never changes meaning)."""

from enum import StrEnum


class Codes(StrEnum):
    """Stable error codes of the supervision app."""

    # feedback
    CERTIFICATE_NOT_MATCHED = "certificate_not_matched"
    CERTIFICATE_NOT_VALID = "certificate_not_valid"
    FEEDBACK_CLOSED = "feedback_closed"
    FEEDBACK_INVALID = "feedback_invalid"
    EMPLOYER_INVALID = "employer_invalid"
    # declarations
    DECLARATION_INVALID = "declaration_invalid"
    OCCUPATION_NOT_FILED = "occupation_not_filed"
    # indicators
    PERIOD_INVALID = "period_invalid"
    # rankings and risk formulas
    FORMULA_INVALID = "formula_invalid"
    RANKING_EMPTY = "ranking_empty"
    RANKING_PUBLISHED = "ranking_published"
    # fraud flags
    FLAG_CLOSED = "flag_closed"
    REASON_REQUIRED = "reason_required"
    # exits and suspensions
    EXIT_OPEN = "exit_open"
    EXIT_TOO_EARLY = "exit_too_early"
    EVIDENCE_REQUIRED = "evidence_required"
    WRAP_UP_INCOMPLETE = "wrap_up_incomplete"
    SUSPENSION_PERIOD_INVALID = "suspension_period_invalid"
