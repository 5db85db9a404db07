"""Prepare the test provider's database: the agency's app as a confidential client, and people.

Run in the provider's own process (``python -m tests.oidc_provider.setup_provider``) with its
settings; reads OIDC_PROVIDER_CLIENT (JSON: client_id, client_secret, redirect_uri) and
OIDC_PROVIDER_PEOPLE (JSON list of username, email, password).
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="Regional Adoption Agency",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    for person in json.loads(os.environ["OIDC_PROVIDER_PEOPLE"]):
        User.objects.create_user(person["username"], person["email"], person["password"])


if __name__ == "__main__":
    main()
