import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forecast.services import forecast_json, forecast_region
from raa.management.options import date_option
from raa.models import Council, Region


class Command(BaseCommand):
    help = (
        "For every child waiting for a match at the date (--as-at, default today): the chance "
        "of a match within 91, 182 and 365 days (a change of plan counts as no match) and of "
        "breaching the A2 and A1 thresholds, from a model fitted only on the journey steps "
        "dated on or before that date. For the region(s) or one council (--council CODE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--council", help="the council's DfE LA code")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (default today)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        today = timezone.localdate()
        as_at = date_option(options["as_at"], "--as-at") if options["as_at"] else today
        if as_at > today:
            raise CommandError(f"--as-at {as_at:%Y-%m-%d} is in the future.")
        if options["council"]:
            council = Council.objects.filter(la_code=options["council"]).first()
            if council is None:
                raise CommandError(f"--council {options['council']}: no council has that code.")
            regions, scope = [council.region], council.la_code
        else:
            regions, scope = (
                list(Region.objects.filter(councils__isnull=False).distinct()),
                "region",
            )
        forecasts = [forecast_region(region, as_at) for region in regions]
        data = forecast_json(forecasts, as_at=as_at, scope=scope)
        summary = (
            f"Forecast as at {as_at:%Y-%m-%d} for {scope}: {len(data['children'])} waiting "
            f"children, model {data['model']['name']}, fitted on {data['model']['fitted_on']} "
            f"journeys, backtest C-index {data['model']['c_index_backtest']}."
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
            self.stderr.write(summary)
            return
        for f in forecasts:
            if f.message:  # too little history, or the baseline used
                self.stdout.write(f"{f.region}: {f.message}")
        self.stdout.write(
            f"{'child':<20} {'council':<7} {'waited':>6} {'p_91':>5} {'p_182':>5} {'p_365':>5} "
            f"{'median date':<11} {'A2 breach':>9} {'A1 breach':>9}"
        )

        def pct(value) -> str:
            return "-" if value is None else f"{value:.0%}"

        for c in data["children"]:
            m = c["match"]
            self.stdout.write(
                f"{c['child']:<20} {c['council']:<7} {c['waiting_days']:>6} {pct(m['p_91']):>5} "
                f"{pct(m['p_182']):>5} {pct(m['p_365']):>5} {m['median_date'] or '-':<11} "
                f"{pct(c['p_breach_a2']):>9} {pct(c['p_breach_a1']):>9}"
            )
        self.stdout.write(summary)
