import json
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forecast import backtest
from forecast.journeys import at, read
from raa.management.options import date_option
from raa.models import Region


class Command(BaseCommand):
    help = (
        "Fit the forecast model and the baseline (no covariates) on what was known at --cut "
        "(default two years before --end), score both on the journeys after it as known at "
        "--end (default today): Harrell's C-index, Brier score at 91/182/365 days and the "
        "calibration by fifth, side by side, per region."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cut", help="YYYY-MM-DD: the model knows only steps dated up to it")
        parser.add_argument("--end", help="YYYY-MM-DD: outcomes known up to it (default today)")
        parser.add_argument("--region", help="the region's name (default: every region)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        end = date_option(options["end"], "--end") if options["end"] else timezone.localdate()
        cut = date_option(options["cut"], "--cut") if options["cut"] else end - timedelta(days=730)
        if (end - cut).days < 365:
            raise CommandError(
                f"--cut {cut:%Y-%m-%d} is less than a year before --end {end:%Y-%m-%d}: the "
                "backtest scores a full year after the cut."
            )
        regions = Region.objects.filter(councils__isnull=False).distinct()
        if options["region"]:
            regions = regions.filter(name=options["region"])
            if not regions:
                raise CommandError(f"--region {options['region']}: no region has that name.")
        started = time.perf_counter()
        results = []
        for region in regions:
            ids = list(region.councils.values_list("pk", flat=True))
            records = read(as_at=end, council_ids=ids)  # one read: both dates cut from it
            out = backtest.run(at(records, cut), at(records, end))
            results.append({"region": region.name, **out})
        seconds = time.perf_counter() - started
        wins = sum(1 for r in results if r.get("model_beats_baseline"))
        summary = (
            f"Backtest cut {cut:%Y-%m-%d}, scored to {end:%Y-%m-%d}: the model beat the baseline "
            f"in {wins} of {len(results)} regions ({seconds:.1f} s)."
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(results))
            self.stderr.write(summary)
            return
        for r in results:
            self.stdout.write(f"\n{r['region']} (cut {r['cut']}, end {r['end']})")
            if "not_enough" in r:
                self.stdout.write(f"  not scored: {r['not_enough']}")
                continue
            self.stdout.write(
                f"  {'':9} {'n':>6} {'C-index':>8} {'Brier 91':>9} {'Brier 182':>10} "
                f"{'Brier 365':>10}"
            )
            for name in ("model", "baseline"):
                s = r[name]
                self.stdout.write(
                    f"  {name:9} {s['n']:>6} {s['c_index']:>8.4f} {s['brier_91']:>9.4f} "
                    f"{s['brier_182']:>10.4f} {s['brier_365']:>10.4f}"
                )
            self.stdout.write("  calibration (chance of a match within a year), by fifth:")
            self.stdout.write(f"  {'fifth':>7} {'model pred/obs':>16} {'baseline pred/obs':>19}")
            for m, b in zip(r["model"]["calibration"], r["baseline"]["calibration"], strict=False):
                self.stdout.write(
                    f"  {m['fifth']:>7} {m['predicted']:>8.3f}/{m['observed']:<7.3f} "
                    f"{b['predicted']:>10.3f}/{b['observed']:<7.3f}"
                )
            verdict = "beats" if r["model_beats_baseline"] else "does NOT beat"
            self.stdout.write(f"  the model {verdict} the baseline")
        self.stdout.write(summary)
