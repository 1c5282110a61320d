"""Notifications: one call for services, delivered after the transaction commits (in-app and by email); marking read."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification, Province, User


def notify(
    recipients: Iterable[User],
    *,
    title: str,
    body: str = "",
    link: str = "",
    province: Province | None = None,
    email: bool = True,
) -> None:
    """Queue a notification to each recipient once the current transaction commits.

    Safe to call inside a service's atomic block: nothing is created or sent if the block rolls back.
    """
    from .tasks import deliver_notification

    recipient_ids = sorted({u.pk for u in recipients if u is not None})
    if not recipient_ids:
        return
    province_id = province.pk if province else None
    transaction.on_commit(
        lambda: deliver_notification.delay(
            recipient_ids, title=str(title), body=str(body), link=link, province_id=province_id, email=email
        )
    )


def mark_read(notification: Notification) -> None:
    """Mark one of a person's notifications read (the caller fetched it through access_notification); once only."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
