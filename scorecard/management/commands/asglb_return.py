"""``asglb_return --year YYYY-YY --quarter N --council CODE --level child|adopter --output FILE``:
the ASGLB quarterly child-level or adopter-level return as CSV. Logged in the audit trail."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scorecard import periods as P
from scorecard.management.commands.annex_a import council_and_user
from scorecard.returns.services import export_asglb


class Command(BaseCommand):
    help = "Write the ASGLB child-level or adopter-level return (year to the quarter's end)."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="financial year, e.g. 2024-25")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
        parser.add_argument("--council", required=True)
        parser.add_argument("--level", choices=["child", "adopter"], default="child")
        parser.add_argument("--output", required=True, help="the .csv file to write ('-': stdout)")
        parser.add_argument("--user", help="the person the export is logged as")

    def handle(self, *args, year, quarter, council, level, output, user=None, **options):
        try:
            P.parse_financial_year(year, today=timezone.localdate())
        except ValueError as error:
            raise CommandError(str(error)) from error
        found, acting = council_and_user(council, user)
        export = export_asglb(
            council=found, year=year, quarter=quarter, level=level, acting_user=acting
        )
        if output == "-":
            sys.stdout.write(export.content.decode())
            return
        Path(output).write_bytes(export.content)
        self.stdout.write(f"{export.summary}; written to {output}.")
