"""Domain errors: every service raises these, with a stable code and a message a person understands.

Views turn them into a message beside the form; the API turns them into {"code", "detail"} (portal.api.errors).
"""

from typing import Any


class DomainError(Exception):
    """A refused action. `code` is stable (the API's contract); `message` is shown to the person."""

    code = "domain_error"
    status = 400

    def __init__(self, message: Any, *, code: str | None = None, **params: Any) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409


class ConflictError(DomainError):
    """Someone else acted first (two officers, two tabs): nothing was done twice."""

    code = "conflict"
    status = 409


class CalendarNotCovered(DomainError):
    """A date falls in a year the working-day calendar does not cover; it is never guessed."""

    code = "calendar_year_missing"
    status = 400


class NotPermitted(DomainError):
    code = "not_permitted"
    status = 403
