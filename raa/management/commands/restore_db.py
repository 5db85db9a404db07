"""restore_db FILE --into URL: restore a backup into a fresh database and prove it complete."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from raa.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_db into a new, empty PostgreSQL database (made if "
        "missing), then check every table's row count and checksum against the backup's "
        "manifest. Point DATABASE_URL at the restored database afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into",
            required=True,
            metavar="URL",
            help="the database to restore into, e.g. postgres://postgres@127.0.0.1:5432/raa_new",
        )

    def handle(self, *args, file: Path, into: str, **options):
        try:
            tables = restore(file, Target.from_url(into))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            f"Restored {len(tables)} tables ({rows} rows) into {Target.from_url(into).name}; "
            "every table's row count and checksum match the backup."
        )
