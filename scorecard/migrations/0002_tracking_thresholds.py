"""Seed the tracking thresholds of DOMAIN.md A.8 (administrators change them in the admin)."""

from django.db import migrations

#: The thresholds as shipped when this migration was written (a migration keeps its own copy:
#: the model, and the list, have since moved to the tracking app).
THRESHOLDS = [
    ("child_care_to_placed", "Entering care to placed for adoption (A1 threshold)", 426, "days"),
    ("child_order_to_match", "Placement order to match (A2 threshold)", 121, "days"),
    ("child_decision_to_match", "ADM decision to match (national referral due)", 3, "months"),
    ("household_stage1", "Stage 1 (registration to end of Stage 1)", 2, "months"),
    ("household_stage2", "Stage 2 (start of Stage 2 to approval)", 4, "months"),
    ("household_approval_to_match", "Approved and waiting to be matched", 3, "months"),
    ("due_soon", "Warn before a threshold (due within)", 30, "days"),
]


def seed(apps, schema_editor):
    TrackingThreshold = apps.get_model("scorecard", "TrackingThreshold")
    for code, label, amount, unit in THRESHOLDS:
        TrackingThreshold.objects.get_or_create(
            code=code, defaults={"label": label, "amount": amount, "unit": unit}
        )


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
