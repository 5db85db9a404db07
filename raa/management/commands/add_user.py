import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from raa.models import Council, Role
from raa.services import region_get_or_create, user_add_or_update


class Command(BaseCommand):
    help = (
        "Add or update a person and give them a role over one or more councils or the whole "
        "region. Idempotent; roles they already hold are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--council", action="append", metavar="CODE", help="DfE LA code")
        scope.add_argument("--region", action="store_true", help="the whole region")
        parser.add_argument(
            "--password-env", metavar="VAR", help="read the password from this environment variable"
        )
        parser.add_argument("--first-name")
        parser.add_argument("--last-name")
        parser.add_argument("--email")

    def handle(self, username, role, council, region, password_env, **options):
        councils = None
        if council:
            councils = []
            for code in council:
                found = Council.objects.filter(la_code=code).first()
                if found is None:
                    raise CommandError(
                        f"No council has LA code {code}. Add it first with add_council {code} NAME."
                    )
                councils.append(found)
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or not set.")
        try:
            user, outcome = user_add_or_update(
                username=username,
                role=role,
                councils=councils,
                region=region_get_or_create() if region else None,
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        scope = ", ".join(c.la_code for c in councils) if councils else "the whole region"
        note = "" if user.has_usable_password() else " (no password yet: use --password-env)"
        self.stdout.write(f"User {username}: {outcome}; {Role(role).label} over {scope}.{note}")
