"""backup_db FILE: back the database up (pg_dump) with a manifest of every table's rows."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from raa.backup import MANIFEST_SUFFIX, BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the database up to FILE (pg_dump custom format) and FILE.manifest.json (each "
        "table's row count and checksum, from the same snapshot). Restore with restore_db."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            tables = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            f"Backed up {len(tables)} tables ({rows} rows) to {file} and {file}{MANIFEST_SUFFIX}."
        )
