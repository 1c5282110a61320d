"""The one way to write an audit event; every service calls record_event for each change it makes."""

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent, Province, User


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value, for the before/after record."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, to compare after a change."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"before": …, "after": …}} for the fields whose value changed."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    province: Province | None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction so the event and the change commit together."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        province=province,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        changes=_plain(changes or {}),
        ip_address=ip_address,
    )


PERSONAL_DATA_VIEWED = "personal_data_viewed"


def audit_personal_data_read(
    actor: User | None,
    obj: models.Model,
    *,
    what: str,
    province: Province | None,
    action: str = PERSONAL_DATA_VIEWED,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record that `actor` was shown personal data held by `obj` (a full ID number, a certificate, evidence, an
    export); `what` names the data shown. One event per read; `action` stays "personal_data_viewed" unless the read
    already had an audited name of its own (an export's download is "export_downloaded")."""
    return record_event(
        actor=actor, action=action, obj=obj, province=province, changes={"personal_data": what}, ip_address=ip_address
    )
