"""Notifications: one call for services, delivered after the transaction commits (in-app and by email)."""

from collections.abc import Iterable

from django.db import transaction

from .models import Province, User


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
