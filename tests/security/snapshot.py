"""What a refused write must leave alone: the row count of every table and the last audit event, in one query."""

from functools import cache

from django.apps import apps
from django.db import connection

from portal.models import AuditEvent

# Tables whose rows a refused request may legitimately touch, with why.
NOT_COUNTED: dict[str, str] = {
    "django_session": "signing out (POST accounts/logout/) ends the caller's own session, whatever else is refused",
}


@cache
def _tables() -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in NOT_COUNTED:
            seen.setdefault(meta.db_table, meta.label)
    return tuple(sorted(seen.items()))


def snapshot() -> dict[str, int]:
    """{model label: row count} for every table, plus the highest portal.AuditEvent id under "last audit event"."""
    quote = connection.ops.quote_name
    # table names come from the models' metadata, quoted by the backend: nothing here is input
    columns = [f"(SELECT COUNT(*) FROM {quote(table)})" for table, _ in _tables()]  # noqa: S608
    columns.append(f"(SELECT COALESCE(MAX(id), 0) FROM {quote(AuditEvent._meta.db_table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        row = cursor.fetchone()
    labels = [label for _, label in _tables()] + ["last audit event"]
    return dict(zip(labels, row, strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


def last_audit_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
