"""Load the shipped subset of the 2022 Occupational Classification (portal/fixtures/occupations_2022.csv)."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.reference_data import load_shipped_occupations

    load_shipped_occupations(apps.get_model("portal", "Occupation"), apps.get_model("portal", "WorkType"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_seed_calendar_2020_2026")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
