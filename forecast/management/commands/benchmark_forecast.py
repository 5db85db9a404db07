import json
import os
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from forecast.journeys import Journeys, at, read
from forecast.models import Method
from forecast.projection import current_window, simulate, what_if
from forecast.services import fit_region, forecast_rows, store
from raa.models import Region


class Command(BaseCommand):
    help = (
        "Time, on the data present, what the issue's targets name, each on its own: fitting "
        "every region's model as the nightly job does (one read per region, the backtest that "
        "chooses the model, the fit); the forecasts for every waiting child from the fitted "
        "parameters (one read of the children who can be waiting, then numpy); one region's "
        "what-if; and, reported apart, the nightly job's other work: writing the forecasts "
        "(rolled back) and the projected scorecard (40 draws) of one or every region."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--projection",
            choices=["none", "one", "all"],
            default="one",
            help="time the projection for no region, the largest (default) or every region",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        regions = list(Region.objects.filter(councils__isnull=False).distinct().order_by("pk"))
        councils = {r.pk: list(r.councils.values_list("pk", flat=True)) for r in regions}
        load = os.getloadavg()

        # (a) fitting, as forecast.fit_models does it: per region, one read, backtest, fit
        started, cpu = time.perf_counter(), time.process_time()
        fitted = [fit_region(region, today) for region in regions]
        fit_seconds, fit_cpu = time.perf_counter() - started, time.process_time() - cpu

        # (b) forecasts for every waiting child: read the children who can be waiting (one
        # read for every council), apply each region's fitted parameters
        started, cpu = time.perf_counter(), time.process_time()
        records = read(as_at=today, council_ids=sum(councils.values(), []), waiting_only=True)
        read_seconds = time.perf_counter() - started
        everyone = at(records, today).frame
        forecasts = {}
        for result in fitted:
            if result.method == Method.NONE:
                continue
            mine = everyone[everyone.council_pk.isin(councils[result.region.pk])]
            forecasts[result.region.pk] = forecast_rows(result, Journeys(today, mine))
        forecast_seconds, forecast_cpu = time.perf_counter() - started, time.process_time() - cpu
        waiting = sum(len(rows) for rows in forecasts.values())

        # the nightly job then writes them (timed here, then rolled back)
        started = time.perf_counter()
        with transaction.atomic():
            for result in fitted:
                result.rows = forecasts.get(result.region.pk, [])
                store(result)
            transaction.set_rollback(True)
        store_seconds = time.perf_counter() - started

        # (c) a what-if for the region with the most waiting children: 50 of them matched today
        biggest = max(fitted, key=lambda r: len(forecasts.get(r.region.pk, [])), default=None)
        what_if_seconds = None
        if biggest is not None and forecasts.get(biggest.region.pk):
            picked = [(row["child_pk"], today, None, None) for row in forecasts[biggest.region.pk]]
            started = time.perf_counter()
            what_if(
                period=current_window(today),
                council_ids=councils[biggest.region.pk],
                children=picked[:50],
                placed_lag=biggest.placed_lag or 21,
                ao_lag=biggest.ao_lag or 200,
            )
            what_if_seconds = round(time.perf_counter() - started, 3)

        # the projected scorecard the nightly job stores with each fit
        projected = []
        if options["projection"] == "one" and biggest is not None:
            projected = [biggest]
        elif options["projection"] == "all":
            projected = [r for r in fitted if r.method != Method.NONE]
        started = time.perf_counter()
        for result in projected:
            simulate(
                result.params,
                result.journeys,
                period=current_window(today),
                council_ids=councils[result.region.pk],
            )
        projection_seconds = time.perf_counter() - started

        data = {
            "regions": len(regions),
            "journeys": sum(len(r.journeys.frame) for r in fitted if r.journeys is not None),
            "waiting_children": waiting,
            "fit_seconds": round(fit_seconds, 2),
            "fit_cpu_seconds": round(fit_cpu, 2),
            "forecast_seconds": round(forecast_seconds, 2),
            "forecast_cpu_seconds": round(forecast_cpu, 2),
            "forecast_read_seconds": round(read_seconds, 2),
            "store_seconds": round(store_seconds, 2),
            "what_if_seconds": what_if_seconds,
            "projection_regions": len(projected),
            "projection_seconds": round(projection_seconds, 2),
            "load_average": [round(x, 2) for x in load],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
            return
        for key, value in data.items():
            self.stdout.write(f"{key:>22}: {value}")
        self.stdout.write(
            f"Fitted {data['regions']} regions in {data['fit_seconds']} s, forecast "
            f"{waiting} waiting children in {data['forecast_seconds']} s, what-if "
            f"{what_if_seconds} s; projection of {len(projected)} region(s) "
            f"{data['projection_seconds']} s (load average {data['load_average'][0]})."
        )
