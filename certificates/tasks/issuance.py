"""Celery tasks of certificate issuance: the pipeline render (in parts) → notify, started on commit by the services.

Each task takes the batch id and is safe to run twice (# idempotency notes below): rendering skips certificates whose
PDF is stored, notifying skips a batch already announced. The package certificates.tasks imports this module, so the
worker registers these tasks with the rest of the app's.
"""

import logging

from celery import shared_task
from celery.canvas import Signature

logger = logging.getLogger(__name__)

RENDER_TASK = "certificates.render_certificate_pdfs"
NOTIFY_TASK = "certificates.notify_certificates_issued"


# A batch is rendered in parts of this many certificates, each a task of its own: every worker process takes parts,
# so a batch of 1,000 renders at the speed of all the processes, and a lost part is redelivered alone.
PART_SIZE = 10


@shared_task(name=RENDER_TASK, acks_late=True)
def render_certificate_pdfs(batch_id: int, certificate_ids: list[int] | None = None) -> int:
    """Render PDFs of the batch, each committed on its own (the progress bar moves as they finish). Without ids, the
    batch's pending certificates are sent out in parts; with ids, those are rendered. Whichever call completes the
    batch tells the organization.

    # idempotency: certificates with a stored PDF are skipped, the batch is marked rendered once and announced once;
    a second run (or a redelivered part) renders only what is left.
    """
    from .. import services

    if certificate_ids is None:
        pending = services.pending_certificates(batch_id)
        if len(pending) > PART_SIZE:
            for start in range(0, len(pending), PART_SIZE):
                render_certificate_pdfs.si(batch_id, pending[start:start + PART_SIZE]).apply_async()
            return 0
        certificate_ids = pending
    rendered = services.render_batch(batch_id, certificate_ids)
    logger.info("Rendered %d certificate PDFs of batch %s", rendered, batch_id)
    if services.finish_batch(batch_id):
        notify_certificates_issued.si(batch_id).apply_async()
    return rendered


@shared_task(name=NOTIFY_TASK)
def notify_certificates_issued(batch_id: int) -> bool:
    """# idempotency: a batch is announced once (notified_at), and only when all its PDFs are rendered."""
    from .. import services

    return services.notify_batch(batch_id)


def issuance_pipeline(batch_id: int) -> Signature:
    """The issuance pipeline of one batch: render its PDFs (in parts, on every worker), the part that completes the
    batch then tells the organization. Start it on commit."""
    return render_certificate_pdfs.si(batch_id)
