"""A board report in the fixed world: council A's 2022-23 Q1 report, published as version 1,
with a correction (version 2) in draft. Built through the real services and the real render
(once per test database)."""

from raa.models import Role
from scorecard.reports import services
from scorecard.reports.models import BoardReport, RenderState, ReportVersion

YEAR, QUARTER = 2022, 1


def publish_now(version: ReportVersion, acting_user) -> ReportVersion:
    """Queue and render a draft in this process (what the Celery task does)."""
    ReportVersion.objects.filter(pk=version.pk).update(render_state=RenderState.QUEUED)
    outcome = services.render_and_publish(version_id=version.pk, acting_user_id=acting_user.pk)
    assert outcome == "published", outcome
    version.refresh_from_db()
    return version


def ensure_report_a(world) -> BoardReport:
    return ensure_report(world, "A")


def ensure_report(world, scope: str) -> BoardReport:
    """The council's 2022-23 Q1 report, published as version 1 with a correction in draft."""
    council = world.councils[scope]
    report = BoardReport.objects.filter(council=council, year=YEAR, quarter=QUARTER).first()
    if report is not None:
        return report
    manager = world.user(Role.MANAGER, scope)
    version = services.report_start(
        acting_user=manager, region=world.region, council=council, year=YEAR, quarter=QUARTER
    )
    services.version_save_narrative(
        version=version,
        acting_user=manager,
        fields={"summary": "A steady first quarter.", "risks": "Fewer adopters applying."},
    )
    publish_now(version, manager)
    services.version_start_correction(report=version.report, acting_user=manager)
    return version.report
