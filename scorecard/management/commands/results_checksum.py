"""A SHA-256 over every stored figure, to show that a change left them exactly as they were.

Each ``ScorecardResult`` row becomes one canonical line: its region's name, its council's LA
code (empty for the region's own row), kind, label, start, end and the ``measures`` JSON with
sorted keys. Neither ``computed_at`` nor any id is part of it, so two databases built the same
way (or one database before and after a migration or a recompute that changed nothing) give the
same checksum. The lines are sorted in Python, not by the database's collation.

Uses only ``scorecard.models.ScorecardResult`` and its region and council, so the same file runs
on older checkouts of the project.
"""

import hashlib
import json

from django.core.management.base import BaseCommand, CommandError

from raa.models import Region
from scorecard.models import ScorecardResult


def canonical_lines(region: str | None = None) -> list[str]:
    """One canonical line per stored figure (of ``region``, a region's name, if given), sorted."""
    rows = ScorecardResult.objects.all()
    if region is not None:
        rows = rows.filter(region__name=region)
    values = rows.values_list(
        "region__name", "council__la_code", "kind", "label", "start", "end", "measures"
    ).order_by()
    keyed = []
    for region_name, la_code, kind, label, start, end, measures in values.iterator(chunk_size=5000):
        key = (region_name, la_code or "", kind, label, start.isoformat(), end.isoformat())
        keyed.append((key, json.dumps(measures, sort_keys=True, separators=(",", ":"))))
    keyed.sort()
    return [
        json.dumps(list(key), separators=(",", ":")) + "\t" + measures for key, measures in keyed
    ]


def results_checksum(region: str | None = None) -> tuple[str, int]:
    """(SHA-256 hex digest, row count) over the canonical lines of the stored figures."""
    return checksum_of(canonical_lines(region))


def checksum_of(lines: list[str]) -> tuple[str, int]:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest(), len(lines)


class Command(BaseCommand):
    help = (
        "Print a SHA-256 over every stored scorecard figure (region, council, kind, label, "
        "period and measures; not the time computed) and the row count, to compare two "
        "databases or one database before and after a change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="only this region's figures (the region's name)")
        parser.add_argument(
            "--lines",
            action="store_true",
            help="also print every canonical line (sorted), to compare two databases row by row",
        )

    def handle(self, *args, **options):
        region = options.get("region")
        if region is not None and not Region.objects.filter(name=region).exists():
            raise CommandError(f"--region {region}: no region has that name.")
        lines = canonical_lines(region)
        if options["lines"]:
            for line in lines:
                self.stdout.write(line)
        checksum, count = checksum_of(lines)
        scope = f"region {region!r}" if region is not None else "all regions"
        self.stdout.write(f"sha256 {checksum}  rows {count}  ({scope})")
