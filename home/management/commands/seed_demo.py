import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from children.models import Child
from home import demo_data
from raa.progress import TerminalProgress


class Command(BaseCommand):
    help = (
        "Load the synthetic demo region (five councils, ten financial years of journeys, "
        "adopter households, the demo logins) or, with --size national, the benchmark set of "
        "150 councils and about 300,000 children. Deterministic for a --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--size", choices=["region", "national"], default="region")
        parser.add_argument(
            "--force", action="store_true", help="run even in production (DJANGO_DEBUG=false)"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="pretend today is this date (YYYY-MM-DD); journeys stop there",
        )

    def handle(self, seed, size, force, today, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(
                "seed_demo refuses to run in production (DJANGO_DEBUG=false): it would add "
                "invented children to a live system. Use --force if this really is a test system."
            )
        today = today or date.today()
        region = demo_data.Region.objects.filter(name=demo_data.DEMO_REGION_NAME).first()
        existing = Child.objects.filter(council__region=region).count() if region else 0
        if existing:
            councils = list(
                region.councils.filter(
                    la_code__in=[code for code, _ in demo_data.DEMO_COUNCILS]
                ).order_by("la_code")
            )
            demo_data.ensure_demo_logins(region, councils)
            self.stdout.write(
                f"Demo data already loaded ({existing} children); nothing added, demo logins "
                "checked."
            )
            return
        started = time.monotonic()
        with TerminalProgress(
            self.stdout, total=demo_data.progress_steps(size), unit="step", description="Seeding"
        ) as bar:
            totals = demo_data.build(seed=seed, size=size, today=today, progress=bar.step)
        self.stdout.write(
            f"Seeded {size}: {totals['councils']} councils, {totals['children']} children, "
            f"{totals['events']} journey events, {totals['households']} households "
            f"in {time.monotonic() - started:.1f}s (seed {seed}, today {today:%d/%m/%Y})."
        )
