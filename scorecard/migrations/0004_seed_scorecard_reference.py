"""Seed the scorecard thresholds (DOMAIN.md A.3) and national figures (Part B §2.5)."""

from decimal import Decimal

from django.db import migrations

from scorecard.reference import NATIONAL_FIGURES, SCORECARD_THRESHOLDS


def seed(apps, schema_editor):
    ScorecardThreshold = apps.get_model("scorecard", "ScorecardThreshold")
    NationalFigure = apps.get_model("scorecard", "NationalFigure")
    for first_year, a1, a2, a3 in SCORECARD_THRESHOLDS:
        ScorecardThreshold.objects.get_or_create(
            first_year=first_year, defaults={"a1_days": a1, "a2_days": a2, "a3_months": a3}
        )
    for measure, period, value, unit, note, source in NATIONAL_FIGURES:
        NationalFigure.objects.get_or_create(
            measure=measure,
            period=period,
            defaults={"value": Decimal(value), "unit": unit, "note": note, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0003_scorecard_results_thresholds_national_figures")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
