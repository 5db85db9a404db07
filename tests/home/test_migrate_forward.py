"""The migrations that moved models between apps (issue 17) keep every row, and the permissions.

``RecomputeMarker`` moved from scorecard to raa (raa 0003) and the tracking models
(``TrackingThreshold`` with its history, ``TrackingNotification``, ``DigestSent``) from
scorecard to tracking (tracking 0001); scorecard 0008 removes them from scorecard. Their tables
keep their names: only Django's record of which app holds each model changes, and the content
types (so the permissions and admin history) are relabelled.

The tests take the test database back to the nodes before the move, write rows the way the
code of that time did (through the historical models of that state), migrate forward to the
latest and read everything back through today's models.

They run inside the test's transaction (the ``db`` fixture), not as ``transactional_db``
tests: the round trip changes no table (the operations are state-only, plus the content types'
``RunPython``) and PostgreSQL runs migrations in a transaction anyway, so nothing is lost by it,
while the rollback at the end leaves the database exactly as it was, the session's world and
reference data included (a ``transactional_db`` test flushes every table afterwards). Each test
migrates forward to the latest itself and checks that nothing is left to apply; the deferred
foreign-key checks that a commit would run are forced with ``SET CONSTRAINTS ALL IMMEDIATE``.

The first test runs on the demo region (``home.demo_data``, a few seconds, rolled back with the
rest): about 1,500 children and the region's stored figures, whose checksum must not move.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from adopters.models import Household
from children.models import Child
from home import demo_data
from raa.freshness import RecomputeMarker
from raa.models import Council, Role, User
from scorecard.management.commands.results_checksum import results_checksum
from tracking.models import DigestSent, TrackingNotification, TrackingThreshold

TODAY = date(2026, 11, 22)

#: The nodes just before the move: what a database of the code before issue 17 has applied.
BEFORE_THE_MOVE = [
    ("raa", "0002_audit_searched_refused"),
    ("scorecard", "0007_result_writes"),
    ("tracking", None),
]

#: Model name -> the app that holds it now (all were in scorecard before).
MOVED = {
    "trackingthreshold": "tracking",
    "historicaltrackingthreshold": "tracking",
    "trackingnotification": "tracking",
    "digestsent": "tracking",
    "recomputemarker": "raa",
}

#: (label before the move, today's model) for each moved model.
TODAYS_MODELS = {
    "TrackingThreshold": TrackingThreshold,
    "HistoricalTrackingThreshold": TrackingThreshold.history.model,
    "TrackingNotification": TrackingNotification,
    "DigestSent": DigestSent,
    "RecomputeMarker": RecomputeMarker,
}


@pytest.fixture
def fresh_content_type_cache():
    """Content types change label during the test: no cached one may outlive it."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def content_types() -> dict[str, tuple[int, str]]:
    """model -> (content type id, app label) for every content type of a moved model."""
    found = {}
    for pk, app_label, model in ContentType.objects.filter(model__in=MOVED).values_list(
        "pk", "app_label", "model"
    ):
        assert model not in found, f"two content types for {model}"
        found[model] = (pk, app_label)
    return found


def permissions() -> dict[tuple[int, str], int]:
    """(content type id, codename) -> permission id, for the moved models."""
    return {
        (content_type, codename): pk
        for pk, content_type, codename in Permission.objects.filter(
            content_type__model__in=MOVED
        ).values_list("pk", "content_type", "codename")
    }


def migrate_to(targets):
    """Migrate the test database with Django's executor; returns the apps (historical models)
    of the migrations then applied. (Not the state ``migrate()`` returns: after a backward
    plan over several apps it can still hold a migration it has just unapplied.) The deferred
    foreign-key checks of rows written earlier in the test's transaction (the demo's
    forecasts) run first, as a commit would run them: PostgreSQL alters no table with checks
    pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def latest_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def assert_fully_migrated():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    with connection.cursor() as cursor:  # what a commit would check
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def rows(model) -> list[dict]:
    return list(model._default_manager.order_by("pk").values())


def test_the_move_keeps_every_row_history_and_permission_on_the_demo_region(
    world, fresh_content_type_cache
):
    demo_data.build(seed=7, size="region", today=TODAY)
    region_name = demo_data.DEMO_REGION_NAME
    figures_before = results_checksum()
    demo_figures_before = results_checksum(region_name)
    assert demo_figures_before[1] > 100
    content_types_now = content_types()
    assert {model: label for model, (_, label) in content_types_now.items()} == MOVED
    permissions_now = permissions()

    # Back to the code before the move: the content types go back to scorecard, same ids.
    old_apps = migrate_to(BEFORE_THE_MOVE)
    assert content_types() == {
        model: (pk, "scorecard") for model, (pk, _) in content_types_now.items()
    }
    assert permissions() == permissions_now
    with pytest.raises(LookupError):
        old_apps.get_model("tracking", "TrackingThreshold")
    with pytest.raises(LookupError):
        old_apps.get_model("raa", "RecomputeMarker")

    # Rows written as the code before the move wrote them (its models, by its app labels).
    old = {name: old_apps.get_model("scorecard", name) for name in TODAYS_MODELS}
    council = Council.objects.get(la_code=demo_data.DEMO_COUNCILS[1][0])
    manager = User.objects.get(username="manager")  # the demo's team manager
    administrator = User.objects.get(username="admin")
    child = Child.objects.filter(council=council).order_by("pk").first()
    household = Household.objects.filter(region__name=region_name).order_by("pk").first()
    changed_at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

    threshold = old["TrackingThreshold"].objects.order_by("pk").first()
    threshold.amount += 7
    threshold.label = f"{threshold.label} (changed)"
    threshold.save()
    history = old["HistoricalTrackingThreshold"].objects.create(
        id=threshold.pk,
        code=threshold.code,
        label=threshold.label,
        amount=threshold.amount,
        unit=threshold.unit,
        history_date=changed_at,
        history_change_reason="Board decision",
        history_type="~",
        history_user_id=administrator.pk,
    )
    on_child = old["TrackingNotification"].objects.create(
        user_id=manager.pk, child_id=child.pk, check_code=threshold.code, over_from=TODAY
    )
    on_household = old["TrackingNotification"].objects.create(
        user_id=manager.pk,
        household_id=household.pk,
        check_code="adopter-approval",
        over_from=TODAY - timedelta(days=3),
        read_at=changed_at,
    )
    digest = old["DigestSent"].objects.create(user_id=manager.pk, week_of=date(2026, 11, 16))
    old["RecomputeMarker"].objects.filter(council_id=council.pk).delete()
    marker = old["RecomputeMarker"].objects.create(council_id=council.pk, requested_at=changed_at)

    # Permissions held and admin history, through the content types of the time.
    scorecard_type = {m: ContentType.objects.get(app_label="scorecard", model=m) for m in MOVED}
    worker = world.user(Role.SOCIAL_WORKER, "A")  # not an administrator: no permission by role
    worker.user_permissions.add(
        Permission.objects.get(
            content_type=scorecard_type["trackingthreshold"], codename="change_trackingthreshold"
        )
    )
    readers = Group.objects.create(name="Marker readers")
    readers.permissions.add(
        Permission.objects.get(
            content_type=scorecard_type["recomputemarker"], codename="view_recomputemarker"
        )
    )
    worker.groups.add(readers)
    log_entry = LogEntry.objects.create(
        user=administrator,
        content_type=scorecard_type["trackingthreshold"],
        object_id=str(threshold.pk),
        object_repr=str(threshold.label),
        action_flag=CHANGE,
        change_message="Changed amount.",
    )

    before = {name: rows(model) for name, model in old.items()}
    assert all(before.values())  # every table holds rows to carry over

    # Forward to the latest, as a deployment does.
    migrate_to(latest_nodes())
    assert_fully_migrated()

    # Every row, every value, read through today's models.
    for name, model in TODAYS_MODELS.items():
        assert rows(model) == before[name], name
    moved_threshold = TrackingThreshold.objects.get(pk=threshold.pk)
    assert (moved_threshold.amount, moved_threshold.label) == (threshold.amount, threshold.label)
    latest = moved_threshold.history.order_by("-history_id").first()
    assert latest.history_id == history.history_id
    assert (latest.history_type, latest.history_change_reason) == ("~", "Board decision")
    assert (latest.history_user, latest.history_date) == (administrator, changed_at)
    assert latest.instance == moved_threshold
    notice = TrackingNotification.objects.get(pk=on_child.pk)
    assert (notice.user, notice.child, notice.household) == (manager, child, None)
    assert (notice.check_code, notice.over_from, notice.read_at) == (threshold.code, TODAY, None)
    assert notice.created_at == on_child.created_at
    notice = TrackingNotification.objects.get(pk=on_household.pk)
    assert (notice.child, notice.household, notice.read_at) == (None, household, changed_at)
    # (the demo seed gives the manager notifications of its own: these two are among them)
    assert list(
        manager.tracking_notifications.filter(pk__in=[on_child.pk, on_household.pk]).order_by("pk")
    ) == [TrackingNotification.objects.get(pk=on_child.pk), notice]
    sent = DigestSent.objects.get(pk=digest.pk)
    assert (sent.user, sent.week_of, sent.sent_at) == (manager, digest.week_of, digest.sent_at)
    council.refresh_from_db()
    assert council.recompute_marker.pk == marker.pk
    assert council.recompute_marker.requested_at == changed_at

    # The content types are the same rows, relabelled; the permissions and history follow.
    ContentType.objects.clear_cache()
    assert content_types() == content_types_now
    assert permissions() == permissions_now
    for model in (TrackingThreshold, TrackingNotification, DigestSent, RecomputeMarker):
        content_type = ContentType.objects.get_for_model(model)
        assert content_types_now[content_type.model][0] == content_type.pk
    worker = User.objects.get(pk=worker.pk)  # no cached permissions
    assert worker.has_perm("tracking.change_trackingthreshold")
    assert worker.has_perm("raa.view_recomputemarker")
    assert not worker.has_perm("scorecard.change_trackingthreshold")
    log_entry.refresh_from_db()
    assert log_entry.content_type.app_label == "tracking"
    assert log_entry.get_edited_object() == moved_threshold

    # The stored figures did not move.
    assert results_checksum(region_name) == demo_figures_before
    assert results_checksum() == figures_before


def test_a_rollback_app_by_app_then_forward_again_leaves_one_content_type_per_model(
    world, fresh_content_type_cache
):
    """The rollback an operator runs: ``migrate`` once per app, each ending with post_migrate,
    which in between (both apps hold the models) makes a second, empty set of content types.
    The migrations put the used ones back under scorecard (where the older code finds the
    permissions) and, forward again, under tracking and raa, without duplicates."""
    content_types_now = content_types()
    permissions_now = permissions()
    worker = world.user(Role.SOCIAL_WORKER, "B")
    worker.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="tracking", codename="change_trackingthreshold"
        ),
        Permission.objects.get(content_type__app_label="raa", codename="view_recomputemarker"),
    )
    figures_before = results_checksum()

    for app_label, target in [
        ("scorecard", "0007_result_writes"),
        ("raa", "0002_audit_searched_refused"),
        ("tracking", "zero"),
    ]:
        call_command("migrate", app_label, target, interactive=False, verbosity=0)
    assert content_types() == {
        model: (pk, "scorecard") for model, (pk, _) in content_types_now.items()
    }
    assert permissions() == permissions_now
    worker = User.objects.get(pk=worker.pk)
    assert worker.has_perm("scorecard.change_trackingthreshold")
    assert worker.has_perm("scorecard.view_recomputemarker")

    call_command("migrate", interactive=False, verbosity=0)
    assert_fully_migrated()
    ContentType.objects.clear_cache()
    assert content_types() == content_types_now
    assert permissions() == permissions_now
    worker = User.objects.get(pk=worker.pk)
    assert worker.has_perm("tracking.change_trackingthreshold")
    assert worker.has_perm("raa.view_recomputemarker")
    assert results_checksum() == figures_before
