"""The error codes of the exam-to-certificate pipeline (the API's contract) and its two DomainError subclasses."""

from enum import StrEnum

from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.punctuation import clauses

from .imports import RowError


class Codes(StrEnum):
    """Every code this app raises; a value never changes its meaning (clients branch on it)."""

    # exam plans
    NOT_ACTIVE = "filing_not_active"
    EXIT_REQUESTED = "filing_exit_requested"
    OUT_OF_SCOPE = "out_of_scope"
    LEAD_TIME = "lead_time"
    PLAN_INCOMPLETE = "plan_incomplete"
    UNDERSTAFFED = "understaffed"
    NOT_EDITABLE = "plan_not_editable"
    VENUE_INVALID = "venue_invalid"
    STAFF_INVALID = "staff_invalid"
    SESSION_INVALID = "session_invalid"
    SUPERVISOR_INVALID = "supervisor_invalid"
    REASON_REQUIRED = "reason_required"
    # rosters and results
    ROSTER_INVALID = "roster_invalid"
    ROSTER_CONFIRM = "roster_needs_confirmation"
    RESULTS_INVALID = "results_invalid"
    RESULTS_INCOMPLETE = "results_incomplete"
    FILE_UNREADABLE = "file_unreadable"
    EXAM_NOT_HELD = "exam_not_held"
    NO_PASSING = "no_passing_candidates"
    OPEN_OBJECTIONS = "open_objections"
    PHOTO_UNREADABLE = "photo_unreadable"
    PHOTO_TYPE = "photo_type"
    PHOTO_SIZE = "photo_size"
    # issuance and numbering
    NOTHING_TO_ISSUE = "nothing_to_issue"
    ALREADY_ISSUED = "already_issued"
    LEVEL_INVALID = "level_invalid"
    ORGANIZATION_SEQUENCE_INVALID = "organization_sequence_invalid"
    CERTIFICATE_SEQUENCE_EXHAUSTED = "certificate_sequence_exhausted"
    # the public lookup
    LINK_INVALID = "link_invalid"
    # verifiable credentials and status lists
    CREDENTIAL_NOT_FOUND = "credential_not_found"
    STATUS_LIST_NOT_FOUND = "status_list_not_found"
    # revocation and correction
    CERTIFICATE_NOT_VALID = "certificate_not_valid"
    CHANGE_PENDING = "change_pending"
    CHANGE_DECIDED = "change_decided"
    REASON_CODE_INVALID = "reason_code_invalid"
    CORRECTION_FIELD = "correction_field"
    CORRECTION_EMPTY = "correction_empty"
    CORRECTION_ID_TYPE = "correction_id_type"
    CORRECTION_NAME = "correction_name"
    CORRECTION_UNCHANGED = "correction_unchanged"
    # the holder's account and share links
    HOLDER_FACTS_MISMATCH = "holder_facts_mismatch"
    HOLDER_ACCOUNT_EXISTS = "holder_account_exists"
    HOLDER_ACCOUNT_REQUIRED = "holder_account_required"
    HOLDER_MOBILE_TAKEN = "holder_mobile_taken"
    HOLDER_PASSWORD_WEAK = "holder_password_weak"  # noqa: S105  (an error code, not a password)
    SHARE_NO_CERTIFICATES = "share_no_certificates"
    SHARE_EXPIRY_INVALID = "share_expiry_invalid"
    SHARE_LINK_INVALID = "share_link_invalid"


class PlanRefused(DomainError):
    """A plan cannot be filed: `problems` lists every reason (also in the API body), each saying what is short."""

    code = Codes.PLAN_INCOMPLETE

    def __init__(self, problems: list[str], *, code: str | None = None) -> None:
        super().__init__(_("考核计划不能报备：") + clauses(problems), code=code, problems=problems)
        self.problems = problems


class RowsRejected(DomainError):
    """A file with a bad row: nothing was stored; `errors` has every bad row with its line and reason (the API body
    carries them as "errors": [{"line", "message"}])."""

    def __init__(self, message: str, errors: list[RowError], *, code: str) -> None:
        super().__init__(message, code=code, errors=[{"line": e.line, "message": e.message} for e in errors])
        self.errors = errors
