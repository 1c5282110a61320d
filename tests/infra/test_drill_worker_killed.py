"""Fault drill: a Celery worker killed (SIGKILL) in the middle of a 200-certificate PDF batch.

The render task is acknowledged only when it ends (acks_late), so the killed worker's message stays in Redis'
unacked set and comes back to the queue after the visibility timeout (shortened to seconds here, an hour in
production); a second worker, booted meanwhile on a queue nothing is sent to and told to consume the batch's queue
once the first is dead, renders only what is not stored yet (a PDF already rendered is skipped under its
row lock), then the pipeline tells the organization once. Counted in storage and rows, not mocks: 200 files, one
per certificate, each named by its number (a second write would have left a suffixed file beside it), the
renders of the killed worker plus those of its successor are 200, one "rendered" and one "notified" audit event.
"""

import os
import re
import signal
from pathlib import Path

import pytest

from certificates.models import Certificate, IssuanceBatch
from portal.models import AuditEvent, Notification
from tests.factories import FilingFactory, approved_plan, the_member
from tests.infra.processes import Redis, add_consumer, celery_worker, manage, ready, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("reference_data")]
CERTIFICATES = 200
STANDBY = "drill-standby"  # the second worker's queue until the first one is killed


def _stored(storage: Path) -> list[Path]:
    return sorted(storage.rglob("*.pdf"))


def test_a_worker_killed_mid_batch_leaves_every_pdf_rendered_once(redis: Redis, tmp_path: Path) -> None:
    filing = FilingFactory(province="gd", organization_sequence="000555")
    plan = approved_plan(filing, candidates=CERTIFICATES, level=3)
    member = the_member(filing)
    storage = tmp_path / "storage"
    extra = {"DRILL_STORAGE_ROOT": str(storage), "DRILL_VISIBILITY_TIMEOUT": "4"}

    def rendered() -> int:
        return Certificate.objects.filter(batch__filing=filing).exclude(pdf="").count()

    second_log = tmp_path / "worker-b.log"
    # the batch is issued while the first worker starts (its tasks wait in the queue); the successor boots while the
    # first one renders, on a queue of its own that nothing is sent to, so it takes no task before the kill
    with celery_worker(redis, tmp_path / "worker-a.log", name="a", extra=extra, wait=False) as first:
        manage(redis, "from certificates import services; from filings.models import Filing; "
                      "from certificates.models import ExamPlan; from portal.models import User; "
                      f"b = services.issue_certificates(Filing.objects.get(pk={filing.pk}), "
                      f"acting_user=User.objects.get(pk={member.pk}), plan=ExamPlan.objects.get(pk={plan.pk})); "
                      "print(b.pk)")
        with celery_worker(redis, second_log, name="b", queues=STANDBY, extra=extra, wait=False) as second:
            wait_for(lambda: rendered() >= 30, "the first worker to render 30 PDFs", 90)
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
            at_kill = rendered()
            assert 30 <= at_kill < CERTIFICATES, at_kill
            batch = IssuanceBatch.objects.get(filing=filing)
            assert batch.rendered_at is None
            assert "] received" not in second_log.read_text(errors="replace")  # no task reached it yet

            # the successor takes over the queue: the killed worker's unacknowledged task comes back to it
            wait_for(lambda: ready(second_log), "the second worker", 60)
            add_consumer(redis, "b", "celery")
            wait_for(lambda: Notification.objects.filter(recipient=member, title__startswith="证书已生成").exists(),
                     "the second worker to finish the batch and the organization to be told", 150)
            assert second.poll() is None

    # the successor rendered exactly what the killed worker had not committed
    by_successor = [int(n) for n in re.findall(r"Rendered (\d+) certificate PDFs", second_log.read_text())]
    assert sum(by_successor) == CERTIFICATES - at_kill, second_log.read_text()[-3000:]
    certificates = list(Certificate.objects.filter(batch=batch).values_list("number", "pdf", "pdf_rendered_at"))
    assert len(certificates) == CERTIFICATES
    assert all(name == f"certificates/{filing.province_id}/{batch.issued_on:%Y}/{number}.pdf" and at is not None
               for number, name, at in certificates)
    files = _stored(storage)
    assert sorted(f.name for f in files) == sorted(f"{number}.pdf" for number, _, _ in certificates)
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    batch.refresh_from_db()
    assert (batch.rendered, batch.total) == (CERTIFICATES, CERTIFICATES)
    assert batch.rendered_at is not None and batch.notified_at is not None
    for action in ("certificate_pdfs_rendered", "certificates_notified"):
        assert AuditEvent.objects.filter(action=action, object_id=str(batch.pk)).count() == 1, action
    assert Notification.objects.filter(recipient=member, title__startswith="证书已生成").count() == 1
