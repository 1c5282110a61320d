"""The bridge from an upheld complaint to a rectification order (整改单) against the organization.

The one place complaints reach rectification orders, so that the decision on a complaint and the order it opens
commit together.
"""

from portal.models import User

from ..models import Complaint, SourceKind
from .rectification import open_rectification_order


def open_rectification_for_complaint(complaint: Complaint, *, acting_user: User, deadline_working_days: int) -> int:
    """Open a rectification order for an upheld (or partly upheld) complaint, inside the decision's transaction, on
    the organization complained about, with the complaint as its source and the officer's reason as what to
    rectify; the order's id."""
    order = open_rectification_order(
        complaint.institution, acting_user=acting_user, source_kind=SourceKind.COMPLAINT, source_object=complaint,
        findings_text=f"{complaint.category_label}：{complaint.decision_reason}",
        deadline_working_days=deadline_working_days,
    )
    return order.pk
