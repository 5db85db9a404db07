"""The boy-or-girl wish "Either" was stored as "", which now means "not yet discussed" (0005):
existing "" rows, and their history rows, become "A" (Either) so they keep saying what they said.
Nothing else is changed: see 0005 for why existing offers keep their values."""

from django.db import migrations


def either_becomes_explicit(apps, schema_editor):
    for name in ("Household", "HistoricalHousehold"):
        apps.get_model("adopters", name).objects.filter(sex_preference="").update(
            sex_preference="A"
        )


def either_becomes_blank(apps, schema_editor):
    for name in ("Household", "HistoricalHousehold"):
        apps.get_model("adopters", name).objects.filter(sex_preference="A").update(
            sex_preference=""
        )


class Migration(migrations.Migration):
    dependencies = [("adopters", "0005_offer_not_yet_discussed_stage2_late_reason")]

    operations = [migrations.RunPython(either_becomes_explicit, either_becomes_blank)]
