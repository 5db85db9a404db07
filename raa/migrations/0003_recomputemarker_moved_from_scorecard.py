"""RecomputeMarker moves from scorecard to raa (raa/freshness.py), its table unchanged."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ['recomputemarker']:
        if not ContentType.objects.filter(app_label="raa", model=model).exists():
            ContentType.objects.filter(app_label="scorecard", model=model).update(app_label="raa")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('scorecard', '0007_result_writes'),
        ('raa', '0002_audit_searched_refused'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (and keep their names): only Django's record of
            # which app holds the model changes.
            state_operations=[
                migrations.CreateModel(
                    name='RecomputeMarker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField()),
                        ('council', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='recompute_marker', to='raa.council')),
                    ],
                    options={
                        'db_table': 'scorecard_recomputemarker',
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
