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
    # inspection campaigns, inspections and rectification orders
    CAMPAIGN_INVALID = "campaign_invalid"
    CAMPAIGN_STATE = "campaign_state"
    FRAME_EMPTY = "frame_empty"
    SOURCE_INVALID = "source_invalid"
    SOURCE_NOT_YET = "source_not_yet"
    INSPECTIONS_OPEN = "inspections_open"
    INSPECTION_STATE = "inspection_state"
    INSPECTOR_NOT_REPLACEABLE = "inspector_not_replaceable"
    CONFLICT_INVALID = "conflict_invalid"
    FINDING_INVALID = "finding_invalid"
    ORDER_STATE = "order_state"
    ORDER_INVALID = "order_invalid"
    # complaints
    COMPLAINT_INVALID = "complaint_invalid"
    COMPLAINT_SUBJECT_NOT_FOUND = "complaint_subject_not_found"
    TRACKING_CODE_NOT_FOUND = "tracking_code_not_found"
    COMPLAINT_STATE = "complaint_state"
    COMPLAINT_REOPEN_CLOSED = "complaint_reopen_closed"
    # renewals
    RENEWAL_NOT_OPEN = "renewal_not_open"
    RENEWAL_EXISTS = "renewal_exists"
    RENEWAL_NOT_OFFERED = "renewal_not_offered"
    RENEWAL_BLOCKED = "renewal_blocked"
    # exits and suspensions
    EXIT_OPEN = "exit_open"
    EXIT_TOO_EARLY = "exit_too_early"
    EVIDENCE_REQUIRED = "evidence_required"
    WRAP_UP_INCOMPLETE = "wrap_up_incomplete"
    SUSPENSION_PERIOD_INVALID = "suspension_period_invalid"
