import json
import resource
import time

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from children.models import Child
from raa.models import Council
from scorecard.models import RecomputeMarker
from scorecard.services import recompute_all, recompute_council


class Command(BaseCommand):
    help = (
        "Time a full recompute of every stored figure and one council's recompute (the council "
        "with the most children) on the data present."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        talk = options["format"] != "json"
        children = Child.objects.count()
        councils = Council.objects.count()
        if talk:
            self.stdout.write(f"{children} children in {councils} councils. Full recompute…")
        started = time.perf_counter()
        full = recompute_all()
        full_seconds = time.perf_counter() - started
        biggest = Council.objects.annotate(n=Count("children")).order_by("-n", "pk").first()
        council_seconds = None
        if biggest:
            if talk:
                self.stdout.write(f"{full.line()} One council ({biggest.la_code})…")
            # a pending marker as a change would leave (written directly: no job is queued)
            RecomputeMarker.objects.update_or_create(
                council=biggest, defaults={"requested_at": timezone.now()}
            )
            started = time.perf_counter()
            recompute_council(biggest.pk)
            council_seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = {
            "children": children,
            "councils": councils,
            "full_recompute_seconds": round(full_seconds, 2),
            "council_recompute_seconds": (
                round(council_seconds, 3) if council_seconds is not None else None
            ),
            "peak_rss_mb": round(peak),
        }
        if not talk:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"Full recompute {result['full_recompute_seconds']} s, one council "
            f"{result['council_recompute_seconds']} s, peak memory {result['peak_rss_mb']} MB."
        )
