"""RecomputeMarker moves from scorecard to raa (raa/freshness.py), its table unchanged."""

import django.db.models.deletion
from django.db import migrations, models


def relabel_content_types(apps, model_names, old_label, new_label):
    """Give the content types of ``model_names`` the app label ``new_label``: the permissions, who
    holds them and the admin history follow, as they refer to the content type by its id.

    A content type already under ``new_label`` was made by the post_migrate of a ``migrate``
    that stopped between the two apps' migrations (a rollback is run app by app, and in
    between both apps hold the model): if none of its permissions is held and no admin history
    names it, it is deleted, with its permissions, and the one in use takes its place; if it is
    in use, both are left as they are. tracking/migrations/0001_initial.py uses this too.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    try:
        LogEntry = apps.get_model("admin", "LogEntry")
    except LookupError:  # the admin's tables are not there yet
        LogEntry = None
    for model in model_names:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is not None:
            permissions = Permission.objects.filter(content_type=new)
            held = permissions.filter(models.Q(user__isnull=False) | models.Q(group__isnull=False))
            if held.exists() or (LogEntry and LogEntry.objects.filter(content_type=new).exists()):
                continue
            permissions.delete()
            new.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    relabel_content_types(apps, ['recomputemarker'], "scorecard", "raa")


def move_content_types_back(apps, schema_editor):
    """Unapplied (a rollback to the code before the move), they go back to scorecard, where
    that code looks for them."""
    relabel_content_types(apps, ['recomputemarker'], "raa", "scorecard")


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
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
