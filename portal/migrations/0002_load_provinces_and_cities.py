"""Load the three shipped provinces and all their prefecture-level cities (GB/T 2260). Re-runnable."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.reference_data import load_provinces

    load_provinces(apps.get_model("portal", "Province"), apps.get_model("portal", "City"), english=False)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
