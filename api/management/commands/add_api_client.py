from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_client_add
from raa.models import Council, Region


class Command(BaseCommand):
    help = (
        "Add an API client for a council's case system: add_api_client NAME (--council CODE "
        "... | --region). Prints its token once, alone on the last line: it is stored hashed "
        "and cannot be shown again. An administrator revokes it in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--council", action="append", metavar="CODE", help="DfE LA code")
        scope.add_argument("--region", action="store_true", help="every council of the region")

    def handle(self, *args, name, council, region, **options):
        councils = None
        whole_region = None
        if council:
            councils = list(Council.objects.filter(la_code__in=council))
            missing = sorted(set(council) - {c.la_code for c in councils})
            if missing:
                raise CommandError(f"--council {', '.join(missing)}: no council has that LA code.")
        else:
            whole_region = Region.objects.order_by("id").first()
            if whole_region is None:
                raise CommandError("--region: there is no region yet (add a council first).")
        try:
            client, token = api_client_add(name=name, councils=councils, region=whole_region)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        scope = (
            f"the whole region ({whole_region})"
            if whole_region
            else ", ".join(c.la_code for c in councils)
        )
        self.stdout.write(
            f"Added API client {client.name} for {scope}; service account "
            f"{client.service_user.username}. Its token (shown only now, keep it secret):"
        )
        self.stdout.write(token)
