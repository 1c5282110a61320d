"""Domain errors: every service raises these, with a stable code and a message a person understands.

Views turn them into a message beside the form; the API turns them into {"code", "detail", **extra} in one place
(portal.api.errors). Each app lists its codes in its own `errors.Codes`; the core's are below.
"""

from enum import StrEnum
from typing import Any


class Codes(StrEnum):
    """The core's error codes (the API's contract: a code never changes its meaning)."""

    DOMAIN_ERROR = "domain_error"
    INVALID_TRANSITION = "invalid_transition"
    CONFLICT = "conflict"
    CALENDAR_YEAR_MISSING = "calendar_year_missing"
    NOT_PERMITTED = "not_permitted"
    RATE_LIMITED = "rate_limited"
    SERVICE_UNAVAILABLE = "service_unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable"
    UPLOAD_REJECTED = "upload_rejected"
    UPLOAD_EMPTY = "upload_empty"
    UPLOAD_TOO_LARGE = "upload_too_large"
    UPLOAD_TYPE = "upload_type"
    UPLOAD_ARCHIVE_TOO_LARGE = "upload_archive_too_large"
    UPLOAD_ACTIVE_CONTENT = "upload_active_content"
    UPLOAD_INFECTED = "upload_infected"
    UPLOAD_SCAN_UNAVAILABLE = "upload_scan_unavailable"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    TWO_FACTOR_INVALID = "two_factor_invalid"
    TWO_FACTOR_ENROLMENT_REQUIRED = "two_factor_enrolment_required"


class DomainError(Exception):
    """A refused action.

    `code` is stable (the API's contract); `message` is shown to the person; `status` is the HTTP status the API
    answers with; `extra` holds JSON-serializable details the API returns beside the code (e.g. `problems=[...]`).
    """

    code: str = Codes.DOMAIN_ERROR
    status = 400

    def __init__(self, message: Any, *, code: str | None = None, status: int | None = None, **extra: Any) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = str(code)
        if status is not None:
            self.status = status
        self.extra: dict[str, Any] = extra

    @property
    def params(self) -> dict[str, Any]:
        """The extra details under their older name."""
        return self.extra

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(DomainError):
    code = Codes.INVALID_TRANSITION
    status = 409


class ConflictError(DomainError):
    """Someone else acted first (two officers, two tabs): nothing was done twice."""

    code = Codes.CONFLICT
    status = 409


class CalendarNotCovered(DomainError):
    """A date falls in a year the working-day calendar does not cover; it is never guessed."""

    code = Codes.CALENDAR_YEAR_MISSING
    status = 400


class NotPermitted(DomainError):
    code = Codes.NOT_PERMITTED
    status = 403


class RateLimited(DomainError):
    """Too many requests from one source in a window: try again later."""

    code = Codes.RATE_LIMITED
    status = 429
