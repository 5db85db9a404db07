"""Seed the tracking thresholds of DOMAIN.md A.8 (administrators change them in the admin)."""

from django.db import migrations

from tracking.reference import TRACKING_THRESHOLDS as THRESHOLDS


def seed(apps, schema_editor):
    TrackingThreshold = apps.get_model("scorecard", "TrackingThreshold")
    for code, label, amount, unit in THRESHOLDS:
        TrackingThreshold.objects.get_or_create(
            code=code, defaults={"label": label, "amount": amount, "unit": unit}
        )


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
