"""The fixed world every test can use, built once per test database.
One region with three councils (A, B, C) and one person of every role in every scope
(each council and the whole region): ``world.users[(role, scope)]`` where scope is
``"A"``, ``"B"``, ``"C"`` or ``"region"``. Council A has a child linked with a household;
council B has a child; there is a household linked with no child.
"""

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from pytest_django.plugin import blocking_manager_key

from adopters.models import Household
from children.models import Child, EventKind, JourneyEvent
from children.services import refresh_journey_summaries
from raa.models import Council, Region, Role, User
from raa.services import council_add_or_rename, user_add_or_update
from tracking.models import TrackingThreshold
from tracking.reference import TRACKING_THRESHOLDS

# In a pytest-xdist worker, raa/settings.py has given this process its own Redis database. The
# processes the tests start (a Celery worker, manage.py, gunicorn) inherit that database as
# their REDIS_URL, and not the worker's name: a test that hands one its own Redis (a fault test's
# redis-server) must not see that URL moved too.
if os.environ.pop("PYTEST_XDIST_WORKER", None) and settings.REDIS_URL:
    os.environ["REDIS_URL"] = settings.REDIS_URL

#: Sample files published by other projects, in the shared folder beside the checkout (or beside
#: a folder holding it, as for a git worktree under ``wt/``).
PEER_DATA = next(
    (
        folder / "shared" / "peer-data"
        for folder in Path(__file__).resolve().parents[1:]
        if (folder / "shared" / "peer-data").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "peer-data",
)

PASSWORD = "a-long-test-password-42"
SCOPES = ("A", "B", "C", "region")


@dataclass
class World:
    region: Region
    councils: dict[str, Council]
    users: dict = field(default_factory=dict)
    child_a: Child | None = None
    child_b: Child | None = None
    household_a: Household | None = None
    household_free: Household | None = None
    report_a: object = None  # council A's board report (tests/scorecard/report_world.py)

    def user(self, role: str, scope: str):
        return self.users[(role, scope)]


def build_world() -> World:
    """Idempotent, so a reused test database keeps one copy of the world. Cheap when the world
    is already there: no password is hashed twice."""
    region = Region.objects.get_or_create(name="Test Regional Adoption Agency")[0]
    councils = {}
    for letter, code in zip("ABC", ("801", "802", "803"), strict=True):
        councils[letter] = council_add_or_rename(
            la_code=code, name=f"Council {letter}", region=region
        )[0]
    world = World(region=region, councils=councils)
    existing = {u.username: u for u in User.objects.filter(last_name__startswith="Scope")}
    hashed = None
    for role in Role.values:
        for scope in SCOPES:
            username = f"{role}-{scope}".lower()
            if username in existing:
                world.users[(role, scope)] = existing[username]
                continue
            user = user_add_or_update(
                username=username,
                role=role,
                councils=[councils[scope]] if scope != "region" else None,
                region=region if scope == "region" else None,
                first_name=role.replace("_", " ").title(),
                last_name=f"Scope{scope}",
            )[0]
            hashed = hashed or make_password(PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
            world.users[(role, scope)] = user
    worker_a = world.user(Role.SOCIAL_WORKER, "A")
    world.child_a, _ = Child.objects.get_or_create(
        council=councils["A"],
        child_id="A0001",
        defaults={
            "first_name": "Ada",
            "last_name": "Testworld",
            "date_of_birth": date(2021, 1, 5),
            "allocated_social_worker": worker_a,
        },
    )
    world.child_b, _ = Child.objects.get_or_create(
        council=councils["B"],
        child_id="B0001",
        defaults={"first_name": "Bea", "last_name": "Testworld", "date_of_birth": date(2020, 6, 9)},
    )
    world.household_a, _ = Household.objects.get_or_create(
        reference="W00001",
        defaults={
            "region": region,
            "first_applicant": "Hollis Linked",
            "enquiry_date": date(2022, 1, 3),
        },
    )
    world.household_free, _ = Household.objects.get_or_create(
        reference="W00002",
        defaults={
            "region": region,
            "first_applicant": "Ivo Unlinked",
            "enquiry_date": date(2022, 2, 3),
        },
    )
    if not world.child_a.periods_of_care.exists():
        world.child_a.periods_of_care.create(entered_care=date(2021, 3, 1))
        JourneyEvent.objects.create(
            child=world.child_a,
            kind=EventKind.ADM_DECISION,
            date=date(2021, 9, 1),
            recorded_by=worker_a,
        )
        JourneyEvent.objects.create(
            child=world.child_a,
            kind=EventKind.LINKED,
            date=date(2022, 3, 1),
            household=world.household_a,
            recorded_by=worker_a,
        )
        refresh_journey_summaries(Child.objects.filter(pk=world.child_a.pk))
        world.child_a.refresh_from_db()
    from tests.scorecard.report_world import ensure_report_a

    world.report_a = ensure_report_a(world)
    return world


def seed_reference_data() -> None:
    """Seed the reference tables as the migrations do. A reused test database has lost them
    if the last run ended with a browser test (the live server's flush empties every table)."""
    import importlib

    from django.apps import apps

    importlib.import_module("scorecard.migrations.0004_seed_scorecard_reference").seed(apps, None)
    for code, label, amount, unit in TRACKING_THRESHOLDS:
        TrackingThreshold.objects.get_or_create(
            code=code, defaults={"label": label, "amount": amount, "unit": unit}
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_reference_data()
        build_world()


#: The slowest files, handed to the two workers first, so the run does not end with one worker
#: alone on one of them (`make test`'s --dist loadfile keeps each file on one worker).
SLOWEST_FIRST = (
    "tests/raa/test_access_matrix.py",
    "tests/hardening/test_hostile_input.py",
    "tests/test_accessibility.py",
    "tests/hardening/test_faults.py",
    "tests/hardening/test_csp.py",
    "tests/hardening/test_backup_restore.py",
    "tests/home/test_migrate_forward.py",
    "tests/scorecard/test_reports.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    return transaction or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test on committed data (a live server, another process) ends with Django emptying every
    table: once its fixtures are torn down, the reference tables the migrations seeded are put
    back, so the tests after it (in whatever order a worker runs them) read the shipped
    thresholds, not the code's fallbacks."""
    result = yield
    if _flushes_the_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            seed_reference_data()
    return result


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client):
    """Sign the test client in as a person: ``client_for(user)``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
