"""Celery tasks of certificate issuance: the named pipeline render → notify, started on commit by the services.

Each task takes the batch id and is safe to run twice (# idempotency notes below): rendering skips certificates whose
PDF is stored, notifying skips a batch already announced. The package certificates.tasks imports this module, so the
worker registers these tasks with the rest of the app's.
"""

import logging

from celery import chain, shared_task
from celery.canvas import Signature

logger = logging.getLogger(__name__)

RENDER_TASK = "certificates.render_certificate_pdfs"
NOTIFY_TASK = "certificates.notify_certificates_issued"


@shared_task(name=RENDER_TASK, acks_late=True)
def render_certificate_pdfs(batch_id: int) -> int:
    """Render the batch's PDFs one by one (each committed on its own, so the progress bar moves).

    # idempotency: certificates with a stored PDF are skipped; a second run renders only what is left.
    """
    from .. import services

    rendered = services.render_batch(batch_id)
    logger.info("Rendered %d certificate PDFs of batch %s", rendered, batch_id)
    return rendered


@shared_task(name=NOTIFY_TASK)
def notify_certificates_issued(batch_id: int) -> bool:
    """# idempotency: a batch is announced once (notified_at), and only when all its PDFs are rendered."""
    from .. import services

    return services.notify_batch(batch_id)


def issuance_pipeline(batch_id: int) -> Signature:
    """The issuance pipeline of one batch: render its PDFs, then tell the organization. Start it on commit."""
    return chain(render_certificate_pdfs.si(batch_id), notify_certificates_issued.si(batch_id))
