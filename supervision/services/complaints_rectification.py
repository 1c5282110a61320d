"""The bridge from an upheld complaint to a rectification order (整改单) against the organization.

Rectification orders are built beside complaints (inspections and their orders); this module is the one place
complaints reach them, so that the decision on a complaint and the order it opens commit together.
"""

from portal.models import User

from ..models import Complaint


def open_rectification_for_complaint(complaint: Complaint, *, acting_user: User, deadline_working_days: int) -> int:
    """Open a rectification order for an upheld complaint, inside the decision's transaction; the order's id.

    Wired at merge to supervision.services.open_rectification_order(...) (the organization, the complaint as the
    finding's source, the deadline in working days, the acting officer).
    """
    raise NotImplementedError("rectification orders are wired to supervision.services.open_rectification_order")
