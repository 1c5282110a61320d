"""Seed the working-day calendar for 2020–2026 from the chinesecalendar package. Re-runnable.

Later years are entered by a provincial officer in the portal once the State Council's notice is out.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.reference_data import load_calendar

    load_calendar(apps.get_model("portal", "CalendarYear"), apps.get_model("portal", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_load_provinces_and_cities")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
