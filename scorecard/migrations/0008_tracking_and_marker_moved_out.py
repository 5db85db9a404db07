"""The tracking models moved to tracking, RecomputeMarker to raa: state only, tables kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0001_initial'),
        ('raa', '0003_recomputemarker_moved_from_scorecard'),
        ('scorecard', '0007_result_writes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (and keep their names): only Django's record of
            # which app holds the model changes.
            state_operations=[
                migrations.RemoveField(
                    model_name='digestsent',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='historicaltrackingthreshold',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='recomputemarker',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='trackingnotification',
                    name='child',
                ),
                migrations.RemoveField(
                    model_name='trackingnotification',
                    name='household',
                ),
                migrations.RemoveField(
                    model_name='trackingnotification',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='TrackingThreshold',
                ),
                migrations.DeleteModel(
                    name='DigestSent',
                ),
                migrations.DeleteModel(
                    name='HistoricalTrackingThreshold',
                ),
                migrations.DeleteModel(
                    name='RecomputeMarker',
                ),
                migrations.DeleteModel(
                    name='TrackingNotification',
                ),
            ],
        ),
    ]
