"""board_report --year YYYY-YY --quarter N [--council CODE] --format pdf|xlsx|html --output FILE

Writes the board report of a quarter for the region (or one council). If that report has been
published, the file is the frozen one of its current version, the same bytes the board
downloads; otherwise it is rendered now from the live figures (suppressed, as it would be
published), with the draft's narrative if there is a draft.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from raa.models import Council, Region
from scorecard import periods as P
from scorecard.reports import rendering, services
from scorecard.reports.figures import build_figures
from scorecard.reports.models import BoardReport, FileFormat, ReportVersion, VersionStatus
from scorecard.reports.presentation import present


class Command(BaseCommand):
    help = "Render a quarterly board report as PDF, Excel or HTML."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="financial year, e.g. 2018-19")
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--council", help="DfE LA code of one partner council")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "html"])
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options):
        try:
            year = P.parse_year(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        quarter, file_format = options["quarter"], options["format"]
        council = None
        if options["council"]:
            council = (
                Council.objects.select_related("region").filter(la_code=options["council"]).first()
            )
            if council is None:
                raise CommandError(f"No partner council has the LA code {options['council']!r}.")
            region = council.region
        else:
            regions = list(Region.objects.all()[:2])
            if len(regions) != 1:
                raise CommandError(
                    "Give --council CODE: there is no single region to report on."
                    if regions
                    else "There is no region yet: add a council first (add_council)."
                )
            region = regions[0]
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")

        report = BoardReport.objects.filter(
            region=region, council=council, year=year, quarter=quarter
        ).first()
        published = (
            report.versions.filter(status=VersionStatus.PUBLISHED).first() if report else None
        )
        if published:
            content = bytes(published.files.get(format=file_format).content)
            meta = services.version_meta(published)
            if file_format == FileFormat.HTML:
                content = rendering.render_document(
                    content.decode("utf-8"), meta, embed_css=True
                ).encode("utf-8")
            what = f"published version {published.number} ({published.published_at:%d/%m/%Y})"
        else:
            draft = report.versions.filter(status=VersionStatus.DRAFT).first() if report else None
            content = self._render_live(region, council, year, quarter, file_format, draft)
            what = f"draft version {draft.number}, live figures" if draft else "live figures"
        output.write_bytes(content)
        scope = council.name if council else region.name
        self.stdout.write(
            f"Wrote {output} ({len(content) / 1024:.0f} KB): {scope} "
            f"{P.quarter(year, quarter).label}, {what}."
        )

    def _render_live(
        self, region, council, year, quarter, file_format, draft: ReportVersion | None
    ):
        if draft:
            figures = services.live_figures(draft)
            meta = services.version_meta(draft)
        else:
            figures = present(
                build_figures(region=region, council=council, year=year, quarter=quarter)
            )
            meta = rendering.meta_for(
                region=region.name,
                scope_name=council.name if council else region.name,
                period_label=P.quarter(year, quarter).label,
                version=None,
                status="Not published: figures as they stand",
                narrative={},
            )
        if file_format == FileFormat.XLSX:
            return rendering.render_xlsx(figures, meta)
        fragment = rendering.render_fragment(figures, meta)
        if file_format == FileFormat.PDF:
            return rendering.render_pdf(fragment, meta)
        return rendering.render_document(fragment, meta, embed_css=True).encode("utf-8")
