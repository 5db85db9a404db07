import json
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from forecast import model
from forecast.journeys import load
from forecast.projection import current_window, what_if
from forecast.services import forecast_region
from raa.models import Region


class Command(BaseCommand):
    help = (
        "Time, on the data present: fitting every region's model (with its backtest), the "
        "forecasts for every waiting child from the fitted models, and one region's what-if."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        today = timezone.localdate()
        regions = list(Region.objects.filter(councils__isnull=False).distinct())
        started = time.perf_counter()
        fitted = [forecast_region(region, today) for region in regions]
        fit_seconds = time.perf_counter() - started
        # forecasts for every waiting child: load + predict with the fitted parameters
        started = time.perf_counter()
        waiting = 0
        for result in fitted:
            if not result.params:
                continue
            ids = list(result.region.councils.values_list("pk", flat=True))
            frame = load(as_at=today, council_ids=ids).waiting
            model.predict(result.params, frame, frame.time.to_numpy())
            waiting += len(frame)
        forecast_seconds = time.perf_counter() - started
        biggest = max(fitted, key=lambda r: len(r.rows)) if fitted else None
        what_if_seconds = None
        if biggest is not None and biggest.rows:
            ids = list(biggest.region.councils.values_list("pk", flat=True))
            picked = [(row["child_pk"], today, None, None) for row in biggest.rows[:50]]
            started = time.perf_counter()
            what_if(
                period=current_window(today),
                council_ids=ids,
                children=picked,
                placed_lag=21,
                ao_lag=200,
            )
            what_if_seconds = round(time.perf_counter() - started, 3)
        data = {
            "regions": len(regions),
            "journeys": sum(len(r.journeys.frame) for r in fitted if r.journeys is not None),
            "waiting_children": waiting,
            "fit_seconds": round(fit_seconds, 2),
            "forecast_seconds": round(forecast_seconds, 2),
            "what_if_seconds": what_if_seconds,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
            return
        for key, value in data.items():
            self.stdout.write(f"{key:>18}: {value}")
        self.stdout.write(
            f"Fitted {data['regions']} regions in {data['fit_seconds']} s, forecast "
            f"{waiting} waiting children in {data['forecast_seconds']} s, what-if "
            f"{what_if_seconds} s."
        )
