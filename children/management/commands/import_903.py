"""``import_903 DIR --council CODE [--dry-run] [--strict]`` (INTERFACES.md).

Exit 0: all imported. Exit 1: some children skipped whole (each listed). Exit 2: nothing
imported (a file missing or unreadable, a required column missing; or any error with --strict).
"""

import sys

from django.core.management.base import BaseCommand

from children.ssda903.importer import EXIT_REFUSED, import_903, system_user
from children.ssda903.reading import files_from_directory
from raa.models import Council, User
from raa.progress import TerminalProgress


class Command(BaseCommand):
    help = "Import a council's SSDA903 CSV set (header, episodes, placed_for_adoption, ad1)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--council", required=True, help="the council's DfE LA code")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument("--strict", action="store_true", help="refuse everything on any error")
        parser.add_argument("--user", help="the person the import is recorded as (username)")

    def handle(self, *args, directory, council, dry_run, strict, user=None, **options):
        found = Council.objects.filter(la_code=council).first()
        if found is None:
            self.stderr.write(f"No council with LA code {council}. Add it with add_council.")
            sys.exit(EXIT_REFUSED)
        acting = system_user()
        if user:
            acting = User.objects.filter(username=user, is_active=True).first()
            if acting is None:
                self.stderr.write(f"No active person with username {user}.")
                sys.exit(EXIT_REFUSED)
        with TerminalProgress(self.stdout, total=100, unit="%", description="Reading") as bar:
            report = import_903(
                files_from_directory(directory),
                council=found,
                acting_user=acting,
                dry_run=dry_run,
                strict=strict,
                progress=bar.set,
            )
        write_report(self.stdout, self.stderr, report)
        code = report["exit_code"]
        if code:
            sys.exit(code)


def write_report(out, err, report: dict) -> None:
    """The report as text: refusals, then each child skipped, then findings by rule, then the
    one-line summary."""
    for problem in report["refusals"]:
        err.write(_where(problem) + problem["message"])
    for skipped in report["skipped_children"]:
        for problem in skipped["problems"]:
            err.write(
                f"Skipped CHILD {skipped['child'] or '(no ID)'}: {_where(problem)}"
                f"{problem['message']} [rule {problem['rule']}]"
            )
    for child_id in report.get("closed_not_changed", []):
        out.write(f"CHILD {child_id}: the record is closed; the import changed nothing on it.")
    if report["finding_counts"]:
        out.write("Data-quality findings by rule:")
        for rule, count in report["finding_counts"].items():
            out.write(f"  {rule}: {count}")
    out.write(report["summary"] + f" ({report['seconds']} s)")


def _where(problem: dict) -> str:
    parts = [problem["file"]]
    if problem["row"]:
        parts.append(f"row {problem['row']}")
    if problem["column"]:
        parts.append(f"column {problem['column']}")
    if problem["value"]:
        parts.append(f"value '{problem['value']}'")
    return ", ".join(p for p in parts if p) + ": " if any(parts) else ""
