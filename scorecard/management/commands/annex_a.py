"""``annex_a --council CODE --from DATE --to DATE --output FILE [--user USERNAME]``: Ofsted Annex A
lists 10 and 11 as an .xlsx workbook. Logged in the audit trail."""

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from children.ssda903.importer import system_user
from raa.models import Council, User
from scorecard.returns.services import export_annex_a


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"'{text}' is not a date; write it as YYYY-MM-DD.") from error


def council_and_user(code: str, username: str | None) -> tuple[Council, User]:
    council = Council.objects.filter(la_code=code).first()
    if council is None:
        raise CommandError(f"No council with LA code {code}.")
    if not username:
        return council, system_user()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active person with username {username}.")
    return council, user


class Command(BaseCommand):
    help = "Write Ofsted Annex A lists 10 and 11 (children and adopters) for a council."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True)
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--user", help="the person the export is logged as")

    def handle(self, *args, council, date_from, date_to, output, user=None, **options):
        start, end = parse_day(date_from), parse_day(date_to)
        if start > end:
            raise CommandError("--from is after --to.")
        found, acting = council_and_user(council, user)
        export = export_annex_a(council=found, start=start, end=end, acting_user=acting)
        target = sys.stdout.buffer if output == "-" else None
        if target:
            target.write(export.content)
            return
        Path(output).write_bytes(export.content)
        self.stdout.write(f"{export.summary}; written to {output}.")
