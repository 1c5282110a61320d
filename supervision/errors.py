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
    # renewals
    RENEWAL_NOT_OPEN = "renewal_not_open"
    RENEWAL_EXISTS = "renewal_exists"
    RENEWAL_NOT_OFFERED = "renewal_not_offered"
    RENEWAL_BLOCKED = "renewal_blocked"
