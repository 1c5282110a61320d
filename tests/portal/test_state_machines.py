"""Publicity notices, objections and export jobs change state only through their django-fsm transitions, each with
one audit event."""

import pytest
from django_fsm import TransitionNotAllowed

import portal.views.audit  # noqa: F401 - registers the audit log export
from portal.exports import run_export_job
from portal.models import AuditEvent, ExportJob, NoticeState, PublicityNotice
from tests.factories import ExportJobFactory, PublicityNoticeFactory, officer

pytestmark = pytest.mark.django_db


def test_a_state_cannot_be_set_directly_but_a_given_state_can_be_created_and_reloaded() -> None:
    notice = PublicityNoticeFactory(ended=True)
    with pytest.raises(AttributeError):
        notice.state = NoticeState.OPEN
    notice.refresh_from_db()
    assert PublicityNotice.objects.get(pk=notice.pk).state == NoticeState.ENDED
    with pytest.raises(TransitionNotAllowed):
        notice.end()


def test_an_export_job_records_one_event_per_transition() -> None:
    requester = officer("gd")
    job = ExportJobFactory(province="gd", requested_by=requester)

    run_export_job(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    events = list(AuditEvent.objects.filter(object_type="portal.exportjob", object_id=str(job.pk)).order_by("id"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("export_started", "pending", "running"), ("export_finished", "running", "done")
    ]
