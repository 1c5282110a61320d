"""Celery tasks of the platform core. Each takes ids, not objects, and is safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification, User

logger = logging.getLogger(__name__)


@shared_task(name="portal.deliver_notification")
def deliver_notification(
    recipient_ids: list[int],
    *,
    title: str,
    body: str,
    link: str,
    province_id: int | None,
    email: bool,
) -> int:
    users = list(User.objects.filter(pk__in=recipient_ids, is_active=True))
    with transaction.atomic():
        Notification.objects.bulk_create(
            Notification(recipient=u, province_id=province_id, title=title, body=body, link=link)
            for u in users
        )
    if email:
        for user in users:
            if user.email:
                send_mail(title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
    logger.info("Delivered notification %r to %d users", title, len(users))
    return len(users)


@shared_task(name="portal.build_export")
def build_export(job_id: int) -> None:
    from .exports import run_export_job

    run_export_job(job_id)


@shared_task(name="portal.end_due_publicity")
def end_due_publicity() -> int:
    """Daily sweep: end the publicity notices whose period is over (idempotent; touches only due notices)."""
    from .publicity import end_due_notices

    ended = end_due_notices()
    logger.info("Ended %d publicity notices", ended)
    return ended


@shared_task(name="portal.relay_outbox")
def relay_outbox() -> int:
    """Every minute and when a worker starts: send the tasks kept while the broker was away (idempotent)."""
    from .outbox import relay

    return relay()


@shared_task(name="portal.seal_audit_chains")
def seal_audit_chains() -> int:
    """Every minute: seal the audit events a crash left unsealed between their commit and their seal (idempotent)."""
    from .audit_chain import seal_all

    return seal_all()
