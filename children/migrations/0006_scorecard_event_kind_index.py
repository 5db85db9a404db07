"""An index-only path to the journey events of one kind for every child at once (PostgreSQL
only), which the full recompute's measure families read (the adoption orders, placements,
orders and matches of every council) instead of visiting every page of the events table once
per kind. SQLite, the embedded demo, computes the same figures without it."""

from django.db import migrations

NAME = "children_journeyevent_kind_scorecard"
DEFINITION = (
    "children_journeyevent (kind, date) INCLUDE (child_id, id, authority, "
    "foster_carer_adoption, living_with_carers_since) WHERE NOT entered_in_error"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {DEFINITION}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("children", "0005_scorecard_indexes")]

    operations = [migrations.RunPython(create, drop)]
