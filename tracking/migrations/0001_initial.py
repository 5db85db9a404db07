"""The tracking models move here from scorecard, their tables unchanged."""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ['trackingthreshold', 'historicaltrackingthreshold', 'trackingnotification', 'digestsent']


def relabel_content_types(apps, model_names, old_label, new_label):
    # The one way the moves relabel content types (and deal with a duplicate): raa's migration.
    raa_0003 = importlib.import_module("raa.migrations.0003_recomputemarker_moved_from_scorecard")
    raa_0003.relabel_content_types(apps, model_names, old_label, new_label)


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    relabel_content_types(apps, MOVED, "scorecard", "tracking")


def move_content_types_back(apps, schema_editor):
    """Unapplied (a rollback to the code before the move), they go back to scorecard, where
    that code looks for them."""
    relabel_content_types(apps, MOVED, "tracking", "scorecard")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('scorecard', '0007_result_writes'),
        ('adopters', '0004_child_needs_for_family_finding'),
        ('children', '0006_scorecard_event_kind_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (and keep their names): only Django's record of
            # which app holds the model changes.
            state_operations=[
                migrations.CreateModel(
                    name='TrackingThreshold',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True)),
                        ('label', models.CharField(max_length=200)),
                        ('amount', models.PositiveIntegerField()),
                        ('unit', models.CharField(choices=[('days', 'days'), ('months', 'months')], max_length=6)),
                    ],
                    options={
                        'db_table': 'scorecard_trackingthreshold',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalTrackingThreshold',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40)),
                        ('label', models.CharField(max_length=200)),
                        ('amount', models.PositiveIntegerField()),
                        ('unit', models.CharField(choices=[('days', 'days'), ('months', 'months')], max_length=6)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical tracking threshold',
                        'verbose_name_plural': 'historical tracking thresholds',
                        'db_table': 'scorecard_historicaltrackingthreshold',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='DigestSent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week_of', models.DateField(help_text='The Monday of the week the digest is for.')),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'scorecard_digestsent',
                        'constraints': [models.UniqueConstraint(fields=('user', 'week_of'), name='digest_once_a_week')],
                    },
                ),
                migrations.CreateModel(
                    name='TrackingNotification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('check_code', models.SlugField(max_length=40)),
                        ('over_from', models.DateField(verbose_name='over from')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('child', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='children.child')),
                        ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='adopters.household')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tracking_notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'scorecard_trackingnotification',
                        'ordering': ['-over_from', '-id'],
                        'indexes': [models.Index(fields=['user', 'read_at'], name='scorecard_t_user_id_d868d6_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('child__isnull', False), ('household__isnull', True)), models.Q(('child__isnull', True), ('household__isnull', False)), _connector='OR'), name='tracking_notification_one_record'), models.UniqueConstraint(condition=models.Q(('child__isnull', False)), fields=('user', 'child', 'check_code', 'over_from'), name='tracking_notification_once_per_child'), models.UniqueConstraint(condition=models.Q(('household__isnull', False)), fields=('user', 'household', 'check_code', 'over_from'), name='tracking_notification_once_per_household')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
