import json

from django.core.management.base import BaseCommand, CommandError

from raa.management.options import date_option
from scorecard import periods as P
from scorecard.management.commands._scope import scope_from_options
from scorecard.measures import MEASURES, SCORECARD_CODES
from scorecard.selectors import scorecard_json, scorecard_result


class Command(BaseCommand):
    help = (
        "The scorecard (A1, A10, A2, A3) for a window (--period 2014-17), a financial year "
        "(--period 2018-19) or a custom range (--from DATE --to DATE), for the region or one "
        "council. Stored periods are read from the stored results; a custom range is computed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="2014-17 (a window) or 2018-19 (a year)")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("--council", help="the council's DfE LA code")
        parser.add_argument("--region", help="the region's name (default: the first region)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        if options["period"] and (options["start"] or options["end"]):
            raise CommandError("Give either --period or --from and --to, not both.")
        if options["period"]:
            try:
                period = P.period_from_label(options["period"])
            except ValueError as error:
                raise CommandError(f"--period: {error}") from None
        elif options["start"] and options["end"]:
            try:
                period = P.custom(
                    date_option(options["start"], "--from"), date_option(options["end"], "--to")
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            raise CommandError("Give --period YYYY-YY, or --from DATE and --to DATE.")
        region, council, scope = scope_from_options(options)
        res = scorecard_result(
            period=period, region_id=region.pk, council_id=council.pk if council else None
        )
        data = scorecard_json(res, scope)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
            return
        name = council.name if council else region.name
        self.stdout.write(
            f"Adoption Scorecard: {name}, {period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}"
        )
        self.stdout.write(
            f"{'':4} {'value':>8} {'number':>7} {'cohort':>7} {'threshold':>9}  excluded"
        )
        for code in SCORECARD_CODES:
            m = data["measures"][code]
            value = "-" if m["value"] is None else m["value"]
            excluded = ", ".join(f"{r}: {n}" for r, n in m["excluded"].items()) or "none"
            self.stdout.write(
                f"{code:4} {value!s:>8} {m['numerator'] if m['numerator'] is not None else '':>7} "
                f"{m['denominator']:>7} {m['threshold'] if m['threshold'] is not None else '':>9}"
                f"  {excluded}"
            )
        source = "stored results" if res.stored else "computed now (not a stored period)"
        self.stdout.write(
            f"{MEASURES['A1'].label.split(':')[0]}..A3 for {scope}: {source}, computed at "
            f"{data['computed_at']}."
        )
