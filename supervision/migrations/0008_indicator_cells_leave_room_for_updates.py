"""Indicator cells are rewritten by every sweep that touches them: pages filled to 70% leave room for the new version
of a row on its own page (a HOT update: no index entry written), which made the sweep's upsert the cheaper part of it.
PostgreSQL only; SQLite has no fill factor."""

from typing import Any

from django.db import migrations


def leave_room(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supervision_indicatorcell SET (fillfactor = 70)")


def fill_pages(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supervision_indicatorcell RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("supervision", "0007_exits_and_suspensions")]

    operations = [migrations.RunPython(leave_room, fill_pages)]
