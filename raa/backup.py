"""Backing the database up and restoring it, with proof that nothing was lost.

A backup is two files: ``NAME.dump`` (pg_dump's custom format) and ``NAME.dump.manifest.json``
(for every table: its row count and a checksum of its rows). Both are taken from one snapshot of
the database, so they agree even while people keep working. Restoring loads the dump into a
fresh, empty database and then recomputes the counts and checksums there: the restore only
reports success if every table matches the manifest.

PostgreSQL only (pg_dump and pg_restore of the server's major version must be on the PATH).
"""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.db import connections, transaction
from psycopg import sql

MANIFEST_SUFFIX = ".manifest.json"
# A table's row count and the md5 of its rows' md5s in sorted order ({table}: a quoted name).
FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
    "FROM (SELECT md5(t::text) AS h FROM {table} AS t) AS hashed"
)


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass(frozen=True)
class Target:
    """Where a PostgreSQL database is: enough for psycopg and for pg_dump / pg_restore."""

    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Target":
        s = connections[alias].settings_dict
        if s["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(
                "backup_db and restore_db work with PostgreSQL (DATABASE_URL=postgres://...). "
                "For the SQLite demo database, copy db.sqlite3 while the site is stopped."
            )
        return cls(
            host=s.get("HOST") or "127.0.0.1",
            port=str(s.get("PORT") or 5432),
            user=s.get("USER") or "postgres",
            password=s.get("PASSWORD") or "",
            name=s["NAME"],
        )

    @classmethod
    def from_url(cls, url: str) -> "Target":
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql"} or not parts.path.strip("/"):
            raise BackupError(f"{url!r} is not a postgres://user@host:port/name address.")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=parts.username or "postgres",
            password=parts.password or "",
            name=parts.path.strip("/"),
        )

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=dbname or self.name,
            autocommit=True,
        )


def table_fingerprints(cursor) -> dict[str, dict]:
    """For every table of the public schema: its row count and an md5 of all its rows (each row's
    text form hashed, the hashes sorted, so the order rows are stored in does not matter)."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'  # a name read from pg_tables, quoted
        cursor.execute(FINGERPRINT_SQL.replace("{table}", quoted))
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "md5": checksum}
    return result


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    return path


def backup(output: Path, *, alias: str = "default") -> dict[str, dict]:
    """Write ``output`` (pg_dump custom format) and its manifest from one snapshot.

    Returns the manifest's tables. Costs one pass over every table for the checksums.
    """
    pg_dump = _need("pg_dump")
    target = Target.from_settings(alias)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # One snapshot for the checksums and for pg_dump, so the manifest describes the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = table_fingerprints(cursor)
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-acl"]
            + ["--file", str(partial), target.name],
            env=target.env(),
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    manifest = {"database": target.name, "format": "pg_dump custom", "tables": tables}
    Path(str(output) + MANIFEST_SUFFIX).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    partial.replace(output)  # the dump appears whole or not at all
    return tables


def restore(dump: Path, target: Target, *, create: bool = True) -> dict[str, dict]:
    """Load ``dump`` into the empty database ``target`` (made if missing and ``create``), then
    check every table against the dump's manifest. Returns the restored tables' fingerprints;
    raises BackupError naming each table that differs."""
    pg_restore = _need("pg_restore")
    manifest_path = Path(str(dump) + MANIFEST_SUFFIX)
    if not dump.is_file():
        raise BackupError(f"{dump} does not exist.")
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} (the backup's manifest) does not exist.")
    expected = json.loads(manifest_path.read_text())["tables"]

    with target.connect("postgres") as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [target.name]
        ).fetchone()
        if not exists:
            if not create:
                raise BackupError(f"Database {target.name} does not exist.")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    with target.connect() as conn:
        used = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if used:
        raise BackupError(
            f"Database {target.name} already has {used} tables: restore into a new, empty one."
        )
    done = subprocess.run(
        [pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
        + ["--dbname", target.name, str(dump)],
        env=target.env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    with target.connect() as conn, conn.cursor() as cursor:
        restored = table_fingerprints(cursor)
    differ = sorted(t for t in set(expected) | set(restored) if expected.get(t) != restored.get(t))
    if differ:
        raise BackupError(
            "The restored database differs from the backup in: "
            + ", ".join(
                f"{t} (backup {expected.get(t)}, restored {restored.get(t)})" for t in differ
            )
        )
    return restored


def prune(directory: Path, *, keep_days: int, keep: Path) -> list[Path]:
    """Delete the backups (``*.dump`` and their manifests) in ``directory`` older than
    ``keep_days`` days, never ``keep`` (the one just made). Returns the dumps deleted."""
    if keep_days < 1:
        raise BackupError(f"Keep backups for at least one day, not {keep_days}.")
    cutoff = time.time() - keep_days * 86_400
    gone = []
    for dump in sorted(directory.glob("*.dump")):
        if dump.resolve() == keep.resolve() or dump.stat().st_mtime >= cutoff:
            continue
        dump.unlink()
        Path(str(dump) + MANIFEST_SUFFIX).unlink(missing_ok=True)
        gone.append(dump)
    return gone
