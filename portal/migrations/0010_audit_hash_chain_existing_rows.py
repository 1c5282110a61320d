"""Link the audit events recorded before the hash chain: each chain in id order, with its head row.

The serialization is a frozen copy of portal.audit_chain.canonical (documented in docs/audit.md); a migration must not
change when the code does.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import migrations

GENESIS = "0" * 64
HASHED_FIELDS = (
    "at", "actor_id", "province_id", "object_type", "object_id", "object_repr", "action", "from_state",
    "to_state", "reason", "changes", "ip_address", "prev_hash",
)


def _hash(row: dict[str, Any]) -> str:
    fields = {name: row[name] for name in HASHED_FIELDS}
    fields["at"] = fields["at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_existing_events(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("portal", "AuditEvent")
    AuditChainHead = apps.get_model("portal", "AuditChainHead")
    heads: dict[int | None, dict[str, Any]] = {}
    rows = AuditEvent.objects.order_by("id").values("id", *[f for f in HASHED_FIELDS if f != "prev_hash"])
    for row in rows.iterator(chunk_size=2000):
        head = heads.setdefault(row["province_id"], {"last_hash": GENESIS, "last_event_id": None, "length": 0})
        row["prev_hash"] = head["last_hash"]
        digest = _hash(row)
        AuditEvent.objects.filter(pk=row["id"]).update(prev_hash=row["prev_hash"], entry_hash=digest)
        head.update(last_hash=digest, last_event_id=row["id"], length=head["length"] + 1)
    for province_id, head in heads.items():
        key = "none" if province_id is None else f"province:{province_id}"
        AuditChainHead.objects.update_or_create(key=key, defaults=head)


class Migration(migrations.Migration):
    dependencies = [("portal", "0009_audit_hash_chain")]

    operations = [migrations.RunPython(link_existing_events, migrations.RunPython.noop)]
