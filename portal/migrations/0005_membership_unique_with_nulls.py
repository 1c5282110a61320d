"""Make membership_unique hold for roles without a city or institution (NULLs never collide in a unique index)."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_load_occupations_2022'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='membership',
            name='membership_unique',
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(models.F('user'), models.F('province'), models.F('role'), django.db.models.functions.comparison.Coalesce('city', models.Value(0)), django.db.models.functions.comparison.Coalesce('institution', models.Value(0)), name='membership_unique'),
        ),
    ]
