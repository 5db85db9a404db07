from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from raa.services import council_add_or_rename, region_get_or_create


class Command(BaseCommand):
    help = "Add (or rename) a partner council. CODE is the DfE three-digit LA code."

    def add_arguments(self, parser):
        parser.add_argument("code", help="DfE LA code, three digits (e.g. 301)")
        parser.add_argument("name", help="the council's name")
        parser.add_argument("--region", help="the region's name (default: the only region)")

    def handle(self, code, name, region=None, **options):
        try:
            council, outcome = council_add_or_rename(
                la_code=code, name=name, region=region_get_or_create(region) if region else None
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Council {council.la_code} {council.name}: {outcome}.")
