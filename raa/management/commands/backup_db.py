"""backup_db FILE [--keep-days N]: back the database up (pg_dump) with a manifest of every
table's rows; with --keep-days, then delete the backups beside FILE older than N days (the
`backup` service of docker-compose.yml runs it on a schedule)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from raa.backup import MANIFEST_SUFFIX, BackupError, backup, prune


class Command(BaseCommand):
    help = (
        "Back the database up to FILE (pg_dump custom format) and FILE.manifest.json (each "
        "table's row count and checksum, from the same snapshot). Restore with restore_db."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--keep-days",
            type=int,
            metavar="N",
            help="after the backup, delete the backups (*.dump) in FILE's folder older than N days",
        )

    def handle(self, *args, file: Path, keep_days: int | None, **options):
        try:
            tables = backup(file)
            gone = prune(file.parent, keep_days=keep_days, keep=file) if keep_days else []
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            f"Backed up {len(tables)} tables ({rows} rows) to {file} and {file}{MANIFEST_SUFFIX}."
        )
        if gone:
            self.stdout.write(
                f"Deleted {len(gone)} backups older than {keep_days} days: "
                + ", ".join(p.name for p in gone)
            )
