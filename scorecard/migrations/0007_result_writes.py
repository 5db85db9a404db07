"""Quicker writes of the stored results (a national recompute rewrites ~15,000 rows at once):
no database foreign keys or single-column indexes on these derived rows, and their measures
compressed with LZ4 on PostgreSQL (quicker than the default pglz; left as it is on a server
built without LZ4)."""

import django.db.models.deletion
from django.db import migrations, models


def lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """DO $$ BEGIN
          ALTER TABLE scorecard_scorecardresult ALTER COLUMN measures SET COMPRESSION lz4;
        EXCEPTION WHEN feature_not_supported THEN NULL;
        END $$"""
    )


def pglz(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE scorecard_scorecardresult ALTER COLUMN measures SET COMPRESSION pglz"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("raa", "0001_initial"),
        ("scorecard", "0006_board_reports"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scorecardresult",
            name="council",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="raa.council",
            ),
        ),
        migrations.AlterField(
            model_name="scorecardresult",
            name="region",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="raa.region",
            ),
        ),
        migrations.RunPython(lz4, pglz),
    ]
