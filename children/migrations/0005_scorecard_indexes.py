"""Indexes the scorecard's measure queries read (PostgreSQL only: covering indexes with INCLUDE,
so one council's recompute reads its children's journeys from the index alone; SQLite, the
embedded demo, computes the same figures without them)."""

from django.db import migrations

INDEXES = [
    # a child's journey by kind and date (every measure family, one council at a time)
    (
        "children_journeyevent_child_scorecard",
        "children_journeyevent (child_id, kind, date) INCLUDE (id, authority, "
        "foster_carer_adoption, living_with_carers_since) WHERE NOT entered_in_error",
    ),
    # the earliest event (the first period the stored figures cover)
    ("children_journeyevent_scorecard_date", "children_journeyevent (date)"),
    # a household's matches (A.6: first match, A11)
    (
        "children_journeyevent_household_match",
        "children_journeyevent (household_id, date) "
        "WHERE kind = 'matched' AND NOT entered_in_error",
    ),
    # a child's council and the facts the waiting breakdown needs
    (
        "children_child_scorecard",
        "children_child (id) INCLUDE (council_id, date_of_birth, ethnicity, disabled, "
        "sibling_group_id)",
    ),
    # a child's periods of care
    (
        "children_periodofcare_scorecard",
        "children_periodofcare (child_id) INCLUDE (entered_care, left_care)",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("children", "0004_ssda903_import_runs")]

    operations = [migrations.RunPython(create, drop)]
