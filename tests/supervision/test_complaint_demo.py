"""The demo's complaints: one in each state in Shandong, one escalated by the sweep, trackable by its demo code;
loading twice changes nothing."""

import datetime as dt

from django.core.management import call_command

from supervision import services
from supervision.demo_complaints import demo_code
from supervision.models import Complaint, ComplaintState, HandlingLevel
from tests.factories import at


def test_the_demo_has_complaints_in_every_state_and_loads_twice_alike(db):
    with at(dt.date(2026, 6, 3)):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)
    complaints = Complaint.objects.filter(province__slug="sd")
    assert complaints.count() == 7
    assert set(complaints.values_list("state", flat=True)) == {
        ComplaintState.OPEN, ComplaintState.AWAITING_ORGANIZATION, ComplaintState.AWAITING_COMPLAINANT,
        ComplaintState.ANSWERED, ComplaintState.CLOSED}
    assert complaints.filter(reopened_at__isnull=False, state=ComplaintState.OPEN).count() == 1
    escalated = complaints.get(escalated_at__isnull=False)
    assert escalated.level == HandlingLevel.PROVINCE and escalated.overdue_at is not None
    with at(dt.date(2026, 6, 3)):
        assert services.find_by_code(demo_code(3), ip="192.0.2.99").state == ComplaintState.ANSWERED
