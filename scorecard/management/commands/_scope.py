"""What the scorecard commands share: reading --council / --region into a scope."""

from django.core.management.base import CommandError

from raa.models import Council, Region
from scorecard.selectors import default_region


def scope_from_options(options) -> tuple[Region, Council | None, str]:
    """(region, council or None, scope label for the JSON) from --council CODE / --region NAME."""
    code = options.get("council")
    if code:
        council = Council.objects.select_related("region").filter(la_code=code).first()
        if council is None:
            raise CommandError(f"--council {code}: no council has that LA code.")
        return council.region, council, council.la_code
    name = options.get("region")
    region = Region.objects.filter(name=name).first() if name else default_region()
    if region is None:
        raise CommandError(
            f"--region {name}: no region has that name." if name else "There is no region yet."
        )
    return region, None, "region"
