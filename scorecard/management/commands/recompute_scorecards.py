from django.core.management.base import BaseCommand, CommandError

from raa.models import Council
from raa.progress import TerminalProgress
from scorecard.services import RECOMPUTE_STEPS, recompute_all, recompute_council


class Command(BaseCommand):
    help = (
        "Recompute the stored scorecard results now, synchronously: every council and region, "
        "or one council (and its region). The same code the background job runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--council", help="the council's DfE LA code, e.g. 901")

    def handle(self, *args, **options):
        code = options.get("council")
        if code:
            council = Council.objects.filter(la_code=code).first()
            if council is None:
                raise CommandError(f"--council {code}: no council has that LA code.")
            self.stdout.write(f"Recomputing {council.name} and its region…")
            summary = recompute_council(council.pk)
        else:
            self.stdout.write("Recomputing every council and region…")
            with TerminalProgress(
                self.stdout, total=RECOMPUTE_STEPS, unit="step", description="Recomputing"
            ) as bar:
                summary = recompute_all(progress=bar.step)
        self.stdout.write(summary.line())
