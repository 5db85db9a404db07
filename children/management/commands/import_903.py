"""``import_903 DIR --council CODE [--dry-run] [--strict]`` (INTERFACES.md).

DIR is a folder or a zip of 903 files under any names (CSV tables found by their columns, or
the XML return). ``--council`` may be left out when the files have an LA column (a
multi-council extract): each partner council's rows are imported into it, and rows of an LA
that is not a partner council are counted, never imported.

Exit 0: all imported. Exit 1: some children skipped whole (each listed). Exit 2: nothing
imported (a file missing or unreadable, a required column missing; or any error with --strict).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from children.ssda903.importer import EXIT_REFUSED, import_903, system_user
from children.ssda903.multi_council import import_903_each_council
from children.ssda903.reading import files_from_directory
from raa.models import Council, User
from raa.progress import TerminalProgress


class Command(BaseCommand):
    help = (
        "Import SSDA903 files (a folder or zip: CSV tables under any names, or the XML return) "
        "for a council, or for each partner council an LA column names."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a folder of 903 files, or a zip of them")
        parser.add_argument(
            "--council",
            help="the council's DfE LA code (not needed when the files have an LA column)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument("--strict", action="store_true", help="refuse everything on any error")
        parser.add_argument("--user", help="the person the import is recorded as (username)")

    def handle(self, *args, directory, council, dry_run, strict, user=None, **options):
        found = None
        if council:
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
        path = Path(directory)
        files = {path.name: path.read_bytes()} if path.is_file() else files_from_directory(path)
        if not files:
            self.stderr.write(f"{directory}: no files there (give a folder or a zip).")
            sys.exit(EXIT_REFUSED)
        options = {"acting_user": acting, "dry_run": dry_run, "strict": strict}
        with TerminalProgress(self.stdout, total=100, unit="%", description="Reading") as bar:
            if found is not None:
                report = import_903(files, council=found, progress=bar.set, **options)
            else:
                report = import_903_each_council(files, progress=bar.set, **options)
        if found is not None:
            write_report(self.stdout, self.stderr, report)
        else:
            for code, part in report["councils"].items():
                self.stdout.write(f"== {code} {part['council_name']}")
                write_report(self.stdout, self.stderr, part, show_las=False)
            for entry in report["rows_by_la"]:
                if not entry["imported"]:
                    self.stderr.write(entry["outcome"] + ".")
            if not report["councils"]:
                self.stderr.write(
                    "No council given: these files have no LA column naming a partner council. "
                    "Say which council they are for with --council CODE."
                )
            self.stdout.write(report["summary"])
        code = report["exit_code"]
        if code:
            sys.exit(code)


def write_report(out, err, report: dict, *, show_las: bool = True) -> None:
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
    for entry in report.get("files", []):
        if entry["read_as"]:
            out.write(f"{entry['file']}: read as {entry['read_as']} ({entry['rows']} rows)")
        elif entry["note"]:
            out.write(f"{entry['file']}: {entry['note']}")
    for entry in report.get("absent_tables", []):
        out.write(f"No {entry['table']} table in these files: {entry['meaning']}.")
    for entry in report.get("rows_by_la", []) if show_las else []:
        (out if entry["imported"] else err).write(entry["outcome"] + ".")
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
