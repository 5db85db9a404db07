import json

from django.core.management.base import BaseCommand, CommandError

from scorecard import periods as P
from scorecard.management.commands._scope import scope_from_options
from scorecard.measures import MEASURES
from scorecard.selectors import quarterly


class Command(BaseCommand):
    help = "The quarterly activity table (DOMAIN.md A.4) of a financial year, from stored results."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the financial year, e.g. 2018-19")
        parser.add_argument("--council", help="the council's DfE LA code")
        parser.add_argument("--region", help="the region's name (default: the first region)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        try:
            first_year, years = P.parse_label(options["year"])
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        if years != 1:
            raise CommandError(f"--year {options['year']}: give one financial year, like 2018-19.")
        region, council, scope = scope_from_options(options)
        table = quarterly(
            first_year=first_year, region_id=region.pk, council_id=council.pk if council else None
        )
        data = {
            "scope": scope,
            "year": P.fy_label(first_year),
            "quarters": table["quarters"],
            "total": table["total"],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
            return
        codes = list(data["total"])
        self.stdout.write(f"{'':36}" + "".join(f"{q:>6}" for q in (*data["quarters"], "Total")))
        for code in codes:
            cells = [data["quarters"][q].get(code, "") for q in data["quarters"]]
            cells.append(data["total"].get(code, ""))
            self.stdout.write(
                f"{MEASURES[code].label[:35]:36}" + "".join(f"{c!s:>6}" for c in cells)
            )
        self.stdout.write(f"Quarterly activity {data['year']} for {scope}: from stored results.")
