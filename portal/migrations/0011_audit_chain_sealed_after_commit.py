"""Audit events are sealed into their chain after commit: each gets `seq`, its place in the chain.

The events linked before this migration were linked in id order, so their seq is their rank by id in their chain.
"""

from typing import Any

from django.db import migrations, models


def number_linked_events(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("portal", "AuditEvent")
    places: dict[int | None, int] = {}
    batch = []
    linked = AuditEvent.objects.exclude(entry_hash="").order_by("id").values_list("id", "province_id")
    for pk, province_id in linked.iterator(chunk_size=2000):
        places[province_id] = places.get(province_id, 0) + 1
        batch.append(AuditEvent(pk=pk, seq=places[province_id]))
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["seq"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["seq"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_audit_hash_chain_existing_rows")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, verbose_name="链中序号"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["province", "seq"], name="audit_chain_seq"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["province", "id"], name="audit_unsealed"
            ),
        ),
        migrations.RunPython(number_linked_events, migrations.RunPython.noop),
    ]
