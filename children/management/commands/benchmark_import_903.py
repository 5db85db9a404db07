"""``benchmark_import_903 [--children 5000] [--council 998]``: generate a synthetic 903 set of
that size, import it into the council (made if missing), import it again (nothing changes), and
print the timings as one JSON line. Run it on a scratch database: it adds the children."""

import json
import time

from django.core.management.base import BaseCommand

from children.ssda903.benchmark import generate
from children.ssda903.importer import import_903, system_user
from raa.services import council_add_or_rename


class Command(BaseCommand):
    help = "Time an import of a large synthetic 903 set (and its idempotent re-import)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=5000)
        parser.add_argument("--council", default="998")

    def handle(self, *args, children, council, **options):
        found, _ = council_add_or_rename(la_code=council, name=f"Benchmark council {council}")
        user = system_user()
        files = generate(children)
        episodes = files["episodes.csv"].count(b"\n") - 1
        started = time.monotonic()
        first = import_903(files, council=found, acting_user=user)
        first_seconds = time.monotonic() - started
        started = time.monotonic()
        second = import_903(files, council=found, acting_user=user)
        second_seconds = time.monotonic() - started
        self.stderr.write(first["summary"])
        self.stderr.write(second["summary"])
        self.stdout.write(
            json.dumps(
                {
                    "children": children,
                    "episodes": episodes,
                    "added": first["created"],
                    "import_seconds": round(first_seconds, 2),
                    "reimport_seconds": round(second_seconds, 2),
                    "reimport_changed": second["created"] + second["updated"],
                }
            )
        )
