"""Backup and restore: `backup_db` then `restore_db` into a fresh database gives back every
table with the same row count and the same checksum of its rows."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from raa.backup import Target, table_fingerprints
from tests.conftest import build_world

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def source(transactional_db):
    """The test database with the world and a child's journey committed (other processes, like
    pg_dump, see it)."""
    build_world()
    s = connection.settings_dict
    url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return url, s["NAME"]


@pytest.fixture
def fresh_database(source):
    url, name = source
    target = Target.from_url(f"{url}/{name}_restored")
    with target.connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target.name}"')
    yield target
    with target.connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


def fingerprints(target: Target) -> dict:
    with target.connect() as conn, conn.cursor() as cursor:
        return table_fingerprints(cursor)


def test_a_backup_restores_into_a_fresh_database_with_every_table_the_same(
    source, fresh_database, tmp_path
):
    url, name = source
    dump = tmp_path / "raa.dump"
    made = manage("backup_db", str(dump), database_url=f"{url}/{name}")
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    manifest = json.loads((tmp_path / "raa.dump.manifest.json").read_text())["tables"]
    assert manifest["children_child"]["rows"] >= 2  # the world's children are in it
    assert manifest["raa_user"]["rows"] >= 24

    restored = manage(
        "restore_db", str(dump), "--into", f"{url}/{fresh_database.name}", database_url=url
    )
    assert restored.returncode == 0, restored.stderr
    assert "every table's row count and checksum match" in restored.stdout

    # Checked again here, independently of the command: the source now and the restored copy.
    original = fingerprints(Target.from_url(f"{url}/{name}"))
    copy = fingerprints(fresh_database)
    assert set(copy) == set(original)
    assert copy == original
    assert len(copy) > 30  # every app's tables, history and audit included


def test_restore_refuses_a_database_that_is_in_use(source, fresh_database, tmp_path):
    url, name = source
    dump = tmp_path / "raa.dump"
    assert manage("backup_db", str(dump), database_url=f"{url}/{name}").returncode == 0
    into = manage("restore_db", str(dump), "--into", f"{url}/{name}", database_url=url)
    assert into.returncode != 0
    assert "restore into a new, empty one" in into.stderr


def test_restore_reports_a_table_that_does_not_match(source, fresh_database, tmp_path):
    """The comparison can fail: a manifest that disagrees with the dump is reported by table."""
    url, name = source
    dump = tmp_path / "raa.dump"
    assert manage("backup_db", str(dump), database_url=f"{url}/{name}").returncode == 0
    manifest_path = tmp_path / "raa.dump.manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["children_child"]["rows"] += 1
    manifest_path.write_text(json.dumps(manifest))
    result = manage(
        "restore_db", str(dump), "--into", f"{url}/{fresh_database.name}", database_url=url
    )
    assert result.returncode != 0
    assert "differs from the backup in: children_child" in result.stderr


def test_backup_of_the_sqlite_demo_says_what_to_do_instead(tmp_path):
    result = manage("backup_db", str(tmp_path / "x.dump"), database_url="sqlite:///demo.sqlite3")
    assert result.returncode != 0
    assert "copy db.sqlite3" in result.stderr
    assert not (tmp_path / "x.dump").exists()


def test_scheduled_backups_keep_the_last_days_only(source, tmp_path):
    """The `backup` service runs `backup_db --keep-days N`: backups older than N days go, with
    their manifests; newer ones and the one just made stay."""
    url, name = source
    now = time.time()
    for stem, days_old in (("raa-old", 9), ("raa-recent", 2)):
        for suffix in (".dump", ".dump.manifest.json"):
            path = tmp_path / f"{stem}{suffix}"
            path.write_text("an earlier backup")
            os.utime(path, (now - days_old * 86_400, now - days_old * 86_400))
    dump = tmp_path / "raa-today.dump"
    made = manage("backup_db", str(dump), "--keep-days", "7", database_url=f"{url}/{name}")
    assert made.returncode == 0, made.stderr
    assert "Deleted 1 backups older than 7 days: raa-old.dump" in made.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "raa-recent.dump",
        "raa-recent.dump.manifest.json",
        "raa-today.dump",
        "raa-today.dump.manifest.json",
    ]
