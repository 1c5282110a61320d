"""What the beat sweeps call per row: a plan whose lead time has passed lapses."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from portal.audit import record_event
from portal.errors import CalendarNotCovered
from portal.notifications import notify

from ..models import ExamPlan
from ._common import P, _members, plan_link
from .plan_filing import earliest_allowed_date


def lapse_plan(plan_id: int, *, today: dt.date) -> bool:
    """A draft (or a plan sent back) whose first session can no longer be filed in time lapses. Idempotent."""
    with transaction.atomic():
        plan = ExamPlan.objects.select_for_update(of=("self",)).select_related("province", "institution").filter(pk=plan_id).first()
        if plan is None or plan.state not in (P.DRAFT, P.CHANGES_REQUESTED) or plan.first_session_on is None:
            return False
        try:
            earliest = earliest_allowed_date(plan.province, today)
        except CalendarNotCovered:
            return False
        if plan.first_session_on >= earliest:
            return False
        from_state = plan.state
        plan.lapse()
        plan.save()
        reason = _("首场%(first)s已不足%(n)s个工作日，计划未报备即逾期") % {
            "first": plan.first_session_on.isoformat(),
            "n": filing_selectors.pack_for(plan.province).settings.exam_plan_lead_working_days}
        record_event(actor=None, action="exam_plan_lapsed", obj=plan, province=plan.province, from_state=from_state,
                     to_state=plan.state, reason=reason, changes={"state": {"before": from_state, "after": plan.state}})
    notify(_members(plan.institution), title=_("考核计划已逾期：%(plan)s") % {"plan": plan.title}, body=reason,
           link=plan_link(plan), province=plan.province)
    return True
