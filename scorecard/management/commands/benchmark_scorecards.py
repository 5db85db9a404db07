import json
import resource
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from children.models import Child
from raa.freshness import RecomputeMarker
from raa.models import Council
from scorecard.models import ScorecardResult
from scorecard.services import recompute_all, recompute_council

#: Runs of each recompute; the figures reported are the medians (a shared machine is noisy).
FULL_RUNS = 3
COUNCIL_RUNS = 5


class Command(BaseCommand):
    help = (
        "Time a full recompute of every stored figure and one council's recompute (the council "
        "with the most children, every one of its periods moved) on the data present: the "
        f"median of {FULL_RUNS} and of {COUNCIL_RUNS} runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        talk = options["format"] != "json"
        children = Child.objects.count()
        councils = Council.objects.count()
        if talk:
            self.stdout.write(f"{children} children in {councils} councils. Full recompute…")
        full_runs = []
        for _ in range(FULL_RUNS):
            started = time.perf_counter()
            full = recompute_all()
            full_runs.append(time.perf_counter() - started)
        biggest = Council.objects.annotate(n=Count("children")).order_by("-n", "pk").first()
        council_runs = []
        if biggest:
            if talk:
                self.stdout.write(f"{full.line()} One council ({biggest.la_code})…")
            for _ in range(COUNCIL_RUNS):
                _shift_stored_figures(biggest)
                started = time.perf_counter()
                recompute_council(biggest.pk)
                council_runs.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = {
            "children": children,
            "councils": councils,
            "full_recompute_seconds": round(statistics.median(full_runs), 2),
            "council_recompute_seconds": (
                round(statistics.median(council_runs), 3) if council_runs else None
            ),
            "peak_rss_mb": round(peak),
        }
        if not talk:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"Full recompute {result['full_recompute_seconds']} s "
            f"(runs: {', '.join(f'{s:.2f}' for s in full_runs)}), one council "
            f"{result['council_recompute_seconds']} s "
            f"(runs: {', '.join(f'{s:.3f}' for s in council_runs)}), "
            f"peak memory {result['peak_rss_mb']} MB."
        )


def _shift_stored_figures(council: Council) -> None:
    """Make every stored period of ``council`` differ from what its data gives, as if a change
    had reached them all (the worst case of one council's recompute): one more adoption order
    in each of its results and, to keep the region the sum of its councils, in each of its
    region's. Leaves a pending marker, as a change would (written directly: no job is queued).
    The recompute then puts the true figures back."""
    with transaction.atomic():
        rows = list(
            ScorecardResult.objects.filter(
                Q(council=council) | Q(region_id=council.region_id, council=None)
            )
        )
        for row in rows:
            figure = row.measures.get("adoption_orders") or {}
            row.measures["adoption_orders"] = {**figure, "value": (figure.get("value") or 0) + 1}
        ScorecardResult.objects.bulk_update(rows, ["measures"], batch_size=500)
        RecomputeMarker.objects.update_or_create(
            council=council, defaults={"requested_at": timezone.now()}
        )
