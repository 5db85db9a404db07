"""Board reports: figures, PDF and workbook contents, the draft → publish → correct workflow,
the render job (progress, all or nothing), who sees what, and the board_report command."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from children.models import Child, EventKind, JourneyEvent, PeriodOfCare
from children.services import refresh_journey_summaries
from raa.celery import app
from raa.models import AuditEvent, Role
from scorecard.models import NationalFigure
from scorecard.reports import rendering, services
from scorecard.reports.models import (
    BoardReport,
    FileFormat,
    RenderState,
    ReportFile,
    ReportVersion,
    VersionStatus,
)
from scorecard.reports.tasks import render_board_report
from tests.formulas import HOSTILE, assert_no_formula_in_workbook
from tests.scorecard.report_world import publish_now

YEAR, QUARTER = 2023, 4  # 2023-24 Q4: January to March 2024; window 2021-24


def child_in(council, n: int, **dates) -> Child:
    from raa.models import User

    worker = User.objects.get(username="social_worker-c")
    """A child of council C with a dated journey (summary fields derived as in the app)."""
    child = Child.objects.create(
        council=council,
        child_id=f"RPT{n:04d}",
        first_name="Zebedee",
        last_name=f"Reportchild{n}",
        date_of_birth=date(2021, 6, 1),
    )
    PeriodOfCare.objects.create(child=child, entered_care=dates.pop("entered"))
    for kind, day in dates.items():
        authority = "placement_order" if kind == EventKind.PLACEMENT_ORDER else ""
        JourneyEvent.objects.create(
            child=child, kind=kind, date=day, recorded_by=worker, authority=authority
        )
    return child


@pytest.fixture
def journeys(world):
    """Council C: seven children adopted in Q4 2023-24 and three waiting.

    Each adopted child entered care on 1/1/2022 and was placed on 1/7/2023 + i days
    (546 + i days, i = 0..6: A1 = mean 549); the placement order on 2/1/2023 and the match on
    1/5/2023 (119 days: A2 = 119); placed 18 months after entering care, so none in less than
    14 months (A3 = 0.0%). Three children had an ADM decision in Q3 and wait at the quarter end.
    """
    council = world.councils["C"]
    for i in range(7):
        child_in(
            council,
            i,
            entered=date(2022, 1, 1),
            **{
                EventKind.ADM_DECISION: date(2022, 6, 1),
                EventKind.PLACEMENT_ORDER: date(2023, 1, 2),
                EventKind.MATCHED: date(2023, 5, 1),
                EventKind.PLACED: date(2023, 7, 1 + i),
                EventKind.ADOPTION_ORDER: date(2024, 2, 1),
            },
        )
    for i in range(7, 10):
        child_in(
            council,
            i,
            entered=date(2023, 1, 1),
            **{EventKind.ADM_DECISION: date(2023, 11, 1)},
        )
    refresh_journey_summaries(Child.objects.filter(council=council))
    return council


@pytest.fixture
def manager(world):
    return world.user(Role.MANAGER, "C")


def draft_for_c(world, manager, **narrative) -> ReportVersion:
    version = services.report_start(
        acting_user=manager,
        region=world.region,
        council=world.councils["C"],
        year=YEAR,
        quarter=QUARTER,
    )
    if narrative:
        services.version_save_narrative(version=version, acting_user=manager, fields=narrative)
        version.refresh_from_db()
    return version


def rows(figures: dict, key: str, table: int = 0) -> dict:
    section = next(s for s in figures["sections"] if s["key"] == key)
    return {row[0]: row[1:] for row in section["tables"][table]["rows"]}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_figures_are_the_known_answers_with_small_counts_suppressed(world, journeys, manager):
    figures = services.live_figures(draft_for_c(world, manager))
    scorecard = rows(figures, "scorecard")
    a1 = next(v for k, v in scorecard.items() if k.startswith("A1"))
    a2 = next(v for k, v in scorecard.items() if k.startswith("A2"))
    # England: nothing published for the 2021-24 window (the column says so, not "–").
    assert a1[:5] == [549, 7, 426, "none published", "No"]
    assert a2[:3] == [119, 7, 121]
    activity = rows(figures, "activity")
    assert activity["Adoption orders granted"] == [0, 0, 0, 7, 7]
    assert activity["Children placed for adoption"] == [0, 7, 0, 0, 7]
    assert activity["Children matched"] == [7, 0, 0, 0, 7]
    # Three ADM decisions in Q3 2023-24: "c", and the total of 3 with them.
    assert activity["ADM decisions (should be placed for adoption)"] == [0, 0, "c", 0, "c"]
    assert rows(figures, "waiting")["Children waiting (ADM decision made, not yet placed)"] == ["c"]


def test_the_pdf_carries_the_figures_and_narrative_and_no_child(world, journeys, manager):
    version = publish_now(
        draft_for_c(world, manager, summary="Adoptions rose this quarter."), manager
    )
    pdf = bytes(version.files.get(format=FileFormat.PDF).content)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "Council C: 2023-24 Q4",
        "Adoptions rose this quarter.",
        "Adoption Scorecard",
        "549",
        "119",
        "Partner councils compared",
        "Page 1 of",
    ):
        assert expected in text, expected
    children = Child.objects.filter(council__region=world.region)
    for first, last, child_id in children.values_list("first_name", "last_name", "child_id"):
        assert first not in text and last not in text and child_id not in text
    html = bytes(version.files.get(format=FileFormat.HTML).content).decode()
    assert "Zebedee" not in html and "RPT0001" not in html and "549" in html
    assert "<svg" in html  # the trend charts, drawn on the server


def test_the_pdf_is_tagged_for_screen_readers_and_sections_flow_on(world, journeys, manager):
    """A tagged PDF (PDF/UA-1): a structure tree, marked content, its language and title; and no
    page left more than half white because the next section was pushed onto a new page."""
    version = publish_now(draft_for_c(world, manager, summary="Steady."), manager)
    reader = PdfReader(io.BytesIO(bytes(version.files.get(format=FileFormat.PDF).content)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert "board report 2023-24 Q4" in reader.metadata.title
    # Each page but the last carries text most of the way down: a page where a section was
    # pushed on would hold only a few lines.
    lines = [len(page.extract_text().splitlines()) for page in reader.pages]
    assert all(n >= 20 for n in lines[:-1]), lines


def test_the_workbook_has_a_sheet_per_section_with_numbers_as_numbers(world, journeys, manager):
    version = publish_now(draft_for_c(world, manager, risks="Few adopters."), manager)
    workbook = load_workbook(io.BytesIO(bytes(version.files.get(format=FileFormat.XLSX).content)))
    assert workbook.sheetnames == [
        "About",
        "Adoption Scorecard",
        "Scorecard projection",
        "Quarterly activity",
        "Milestone timeline",
        "Children waiting",
        "Adopter recruitment",
        "Partner councils compared",
    ]
    about = [c for row in workbook["About"].iter_rows(values_only=True) for c in row if c]
    assert "Few adopters." in about
    sheet_rows = {
        row[0]: row[1:]
        for row in workbook["Adoption Scorecard"].iter_rows(values_only=True)
        if row[0]
    }
    a1 = next(v for k, v in sheet_rows.items() if str(k).startswith("A1:"))
    assert a1[:3] == (549, 7, 426)
    activity = {
        row[0]: row[1:] for row in workbook["Quarterly activity"].iter_rows(values_only=True)
    }
    assert activity["Adoption orders granted"] == (0, 0, 0, 7, 7)
    assert activity["ADM decisions (should be placed for adoption)"][2] == "c"
    cells = [c for row in workbook["Adoption Scorecard"].iter_rows() for c in row]
    assert any(c.value == 549 and c.data_type == "n" for c in cells)
    every_value = " ".join(
        str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert "Zebedee" not in every_value and "RPT000" not in every_value


def test_a_published_report_does_not_change_when_the_data_does(
    world, journeys, manager, client_for
):
    version = publish_now(draft_for_c(world, manager), manager)
    stored = {f.format: (f.sha256, bytes(f.content)) for f in version.files.all()}
    frozen = version.figures
    # An eighth child adopted in the window, placed 1000 days after entering care.
    late = child_in(
        journeys,
        99,
        entered=date(2020, 1, 1),
        **{
            EventKind.PLACED: date(2022, 9, 27),
            EventKind.ADOPTION_ORDER: date(2024, 1, 15),
        },
    )
    refresh_journey_summaries(Child.objects.filter(pk=late.pk))
    live = rows(services.live_figures(version), "scorecard")
    assert next(v for k, v in live.items() if k.startswith("A1"))[0] == 605  # (3843+1000)/8
    version.refresh_from_db()
    assert version.figures == frozen
    assert {f.format: (f.sha256, bytes(f.content)) for f in version.files.all()} == stored
    board = client_for(world.user(Role.BOARD_MEMBER, "C"))
    page = board.get(reverse("scorecard:report_detail", args=[version.report_id]))
    assert "549" in page.content.decode() and "605" not in page.content.decode()
    download = board.get(reverse("scorecard:report_download", args=[version.report_id, 1, "pdf"]))
    assert download.content == stored[FileFormat.PDF][1]

    # A correction is a new version; the old one is kept as it was, marked superseded.
    correction = services.version_start_correction(report=version.report, acting_user=manager)
    services.version_save_narrative(
        version=correction,
        acting_user=manager,
        fields={"correction_note": "A late-recorded adoption order added."},
    )
    publish_now(correction, manager)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED
    assert version.figures == frozen
    page = board.get(reverse("scorecard:report_detail", args=[version.report_id])).content
    assert b"605" in page and b"A late-recorded adoption order added." in page
    old = board.get(reverse("scorecard:report_version", args=[version.report_id, 1])).content
    assert b"549" in old and b"replaced by a correction" in old


def test_a_failed_render_leaves_nothing_half_made(world, journeys, manager, monkeypatch):
    version = draft_for_c(world, manager)
    seen = {}

    def broken_workbook(figures, meta):
        seen["state"] = ReportVersion.objects.values_list("render_state", "render_progress").get(
            pk=version.pk
        )
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "render_xlsx", broken_workbook)
    ReportVersion.objects.filter(pk=version.pk).update(render_state=RenderState.QUEUED)
    assert render_board_report.apply(args=(version.pk, manager.pk)).get() == "failed"
    assert seen["state"] == (RenderState.RUNNING, 80)  # progress was shown on the way
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert version.render_state == RenderState.FAILED
    assert version.figures is None and version.published_at is None
    assert not ReportFile.objects.filter(version=version).exists()
    assert "nothing was published" in version.render_step
    # Asked again once the fault is gone, it publishes; asked a third time, it does nothing.
    monkeypatch.undo()
    ReportVersion.objects.filter(pk=version.pk).update(render_state=RenderState.QUEUED)
    assert render_board_report.apply(args=(version.pk, manager.pk)).get() == "published"
    assert render_board_report.apply(args=(version.pk, manager.pk)).get() == "skipped"
    assert ReportFile.objects.filter(version=version).count() == 3


def test_workers_know_the_render_task():
    app.loader.import_default_modules()
    assert "scorecard.render_board_report" in app.tasks


def test_a_manager_drafts_previews_and_publishes_through_the_pages(
    world, journeys, manager, client_for, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    response = client.post(
        reverse("scorecard:report_new"),
        {"scope": f"council-{journeys.pk}", "year": "2023-24", "quarter": "4"},
    )
    report = BoardReport.objects.get(council=journeys, year=YEAR, quarter=QUARTER)
    assert response.status_code == 302 and response["Location"] == reverse(
        "scorecard:report_detail", args=[report.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Draft – preview" in page and "549" in page
    response = client.post(
        reverse("scorecard:report_edit", args=[report.pk]),
        {
            "summary": "Seven adoptions this quarter.",
            "risks": "",
            "going_well": "",
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    assert "Seven adoptions this quarter." in client.get(response["Location"]).content.decode()
    preview = client.get(reverse("scorecard:report_download", args=[report.pk, 1, "pdf"]))
    assert "Seven adoptions this quarter." in pdf_text(preview.content)
    # Board members do not see the draft at all.
    board = world.user(Role.BOARD_MEMBER, "C")
    assert (
        client_for(board).get(reverse("scorecard:report_detail", args=[report.pk])).status_code
        == 404
    )
    client = client_for(manager)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("scorecard:report_publish", args=[report.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    progress = client.get(reverse("scorecard:report_progress", args=[report.pk])).content.decode()
    assert "Publishing version 1" in progress and "<progress" in progress
    version = report.versions.get()
    assert render_board_report.apply(args=(version.pk, manager.pk)).get() == "published"
    polled = client.get(
        reverse("scorecard:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true"
    )
    assert polled["HX-Redirect"] == reverse("scorecard:report_detail", args=[report.pk])
    board_client = client_for(board)
    listing = board_client.get(reverse("scorecard:reports")).content.decode()
    listing = re.sub(r"</?abbr[^>]*>", "", listing)  # Q4 is explained on hover
    assert "2023-24 Q4" in listing and "Council C" in listing
    page = board_client.get(reverse("scorecard:report_detail", args=[report.pk])).content.decode()
    assert "Seven adoptions this quarter." in page and "Draft" not in page
    xlsx = board_client.get(reverse("scorecard:report_download", args=[report.pk, 1, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "About"
    assert AuditEvent.objects.filter(
        user=board, object_type="reportversion", action="exported"
    ).exists()


def test_publishing_refuses_what_it_must(world, journeys, manager, client_for):
    version = draft_for_c(world, manager)
    publish_now(version, manager)
    with pytest.raises(Exception, match="already published"):
        services.version_request_publication(version=version, acting_user=manager)
    with pytest.raises(Exception, match="does not change"):
        services.version_save_narrative(
            version=version, acting_user=manager, fields={"summary": "x"}
        )
    correction = services.version_start_correction(report=version.report, acting_user=manager)
    with pytest.raises(Exception, match="Say what this correction changes"):
        services.version_request_publication(version=correction, acting_user=manager)
    # Another council's manager may not touch it: 404, the report does not exist for them.
    other = client_for(world.user(Role.MANAGER, "A"))
    assert (
        other.get(reverse("scorecard:report_detail", args=[version.report_id])).status_code == 404
    )
    # A quarter that has not started yet.
    response = client_for(manager).post(
        reverse("scorecard:report_new"),
        {"scope": f"council-{journeys.pk}", "year": "2023-25", "quarter": "1"},
    )
    assert "is not a financial year" in response.content.decode()
    next_year = timezone.localdate().year + 1
    response = client_for(manager).post(
        reverse("scorecard:report_new"),
        {
            "scope": f"council-{journeys.pk}",
            "year": f"{next_year}-{(next_year + 1) % 100:02d}",
            "quarter": "1",
        },
    )
    assert "has not started yet" in response.content.decode()
    # A year far ahead (9999-00 once made a date in the year 10000) is not one to choose.
    for year in ("2098-99", "9999-00"):
        response = client_for(manager).post(
            reverse("scorecard:report_new"),
            {"scope": f"council-{journeys.pk}", "year": year, "quarter": "4"},
        )
        assert "Choose a financial year from 1990-91 to" in response.content.decode()


def test_the_board_report_command_writes_the_frozen_files_or_live_ones(
    world, journeys, manager, tmp_path
):
    out = io.StringIO()
    call_command(
        "board_report",
        "--year=2023-24",
        "--quarter=4",
        "--council=803",
        "--format=xlsx",
        f"--output={tmp_path / 'live.xlsx'}",
        stdout=out,
    )
    assert "live figures" in out.getvalue()
    sheet = load_workbook(tmp_path / "live.xlsx")["Quarterly activity"]
    assert any(
        row[0] == "Adoption orders granted" and row[4] == 7
        for row in sheet.iter_rows(values_only=True)
    )

    version = publish_now(draft_for_c(world, manager, summary="Frozen words."), manager)
    out = io.StringIO()
    for file_format in ("pdf", "html"):
        call_command(
            "board_report",
            "--year=2023-24",
            "--quarter=4",
            "--council=803",
            f"--format={file_format}",
            f"--output={tmp_path / ('frozen.' + file_format)}",
            stdout=out,
        )
    assert "published version 1" in out.getvalue()
    assert (tmp_path / "frozen.pdf").read_bytes() == bytes(
        version.files.get(format=FileFormat.PDF).content
    )
    html = (tmp_path / "frozen.html").read_text()
    assert html.startswith("<!doctype html>") and "Frozen words." in html and "<style>" in html


def test_the_board_report_command_names_what_is_wrong(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No partner council has the LA code '999'"):
        call_command(
            "board_report",
            "--year=2023-24",
            "--quarter=1",
            "--council=999",
            "--format=pdf",
            f"--output={tmp_path / 'x.pdf'}",
        )
    with pytest.raises(CommandError, match="after 2023 comes 24"):
        call_command(
            "board_report",
            "--year=2023-25",
            "--quarter=1",
            "--council=801",
            "--format=pdf",
            f"--output={tmp_path / 'x.pdf'}",
        )


def test_report_pages_cost_a_bounded_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    """The list and a published report read no more as reports pile up: the published page
    is the frozen file, not a recomputation."""
    board = client_for(world.user(Role.BOARD_MEMBER, "region"))
    report = world.report_a
    with django_assert_max_num_queries(10):
        assert board.get(reverse("scorecard:reports")).status_code == 200
    with django_assert_max_num_queries(11):
        page = board.get(reverse("scorecard:report_detail", args=[report.pk]))
    assert page.status_code == 200 and b"A steady first quarter." in page.content


def test_a_chosen_cohort_date_adds_the_comparison(world, journeys, manager):
    """Split at 4/7/2023: the seven children were placed 1/7..7/7/2023, so three before
    (546, 547, 548 days: mean 547) and four from it (549..552: mean 551); "c" for the three."""
    version = draft_for_c(world, manager, cohort_date=date(2023, 7, 4))
    cohort = rows(services.live_figures(version), "cohort")
    assert cohort["Children placed"] == ["c", "c"]  # 3 and 4 children: both small
    assert cohort["Mean days entering care to placed"] == ["c", "c"]
    unsuppressed = rows(services.live_figures(version, suppress=False), "cohort")
    assert unsuppressed["Children placed"] == [3, 4]
    assert unsuppressed["Mean days entering care to placed"] == [547, 551]


def test_a_render_the_broker_lost_is_sent_again_by_the_sweep(transactional_db):
    """The database says the draft is queued (its message never reached a worker): the sweep
    sends it again through Redis and a real worker publishes it."""
    from datetime import timedelta

    from celery.contrib.testing.worker import start_worker
    from django.utils import timezone

    from tests.conftest import build_world

    world = build_world()  # a transactional test starts from flushed tables
    manager = world.user(Role.MANAGER, "region")
    version = services.report_start(
        acting_user=manager, region=world.region, council=world.councils["B"], year=2022, quarter=3
    )
    long_ago = timezone.now() - timedelta(minutes=5)
    ReportVersion.objects.filter(pk=version.pk).update(
        render_state=RenderState.QUEUED, render_requested_at=long_ago, render_requested_by=manager
    )
    recent = draft_for_c(world, manager)  # queued a moment ago: not lost, left alone
    ReportVersion.objects.filter(pk=recent.pk).update(
        render_state=RenderState.QUEUED, render_requested_at=timezone.now()
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sent = services.requeue_lost_renders()
        assert len(sent) == 1
        assert app.AsyncResult(sent[0]).get(timeout=60) == "published"
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.published_by == manager
    assert ReportVersion.objects.get(pk=recent.pk).render_state == RenderState.QUEUED


def test_the_narrative_may_not_name_a_child(world, journeys, manager, client_for):
    version = draft_for_c(world, manager)
    client = client_for(manager)
    url = reverse("scorecard:report_edit", args=[version.report_id])
    blank = {"summary": "", "going_well": "", "risks": "", "next_steps": ""}
    for field, text in (
        ("summary", "Zebedee Reportchild3 waited longest."),
        ("risks", "Case RPT0004 may disrupt."),
    ):
        page = client.post(url, {**blank, field: text}).content.decode()
        assert "This names a child" in page
    version.refresh_from_db()
    assert version.summary == "" and version.risks == ""
    response = client.post(url, {**blank, "summary": "Seven children were adopted."})
    assert response.status_code == 302


def test_formulas_typed_into_the_report_are_text_in_the_workbook(world, journeys, manager):
    """Narrative and council names a spreadsheet would run are written as text: the sheet XML
    holds no formula, and the figures stay numbers."""
    from raa.models import Council

    Council.objects.filter(pk=journeys.pk).update(name=HOSTILE[1])
    version = publish_now(
        draft_for_c(world, manager, summary=HOSTILE[0], risks=HOSTILE[2]), manager
    )
    content = bytes(version.files.get(format=FileFormat.XLSX).content)
    assert_no_formula_in_workbook(content)
    workbook = load_workbook(io.BytesIO(content))
    values = {c for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c}
    assert {"'" + HOSTILE[0], "'" + HOSTILE[2]} <= values
    assert not any(isinstance(v, str) and v.startswith(HOSTILE[1]) for v in values)
    assert 549 in values  # A1's mean, still a number


def test_the_england_column_gives_the_same_window_and_its_source_or_says_none(
    world, journeys, manager
):
    """England for the report's own window (2021-24) with its official source, never an older
    window's figure in its place; where none is published, a sentence that says so and names
    the latest England figure published before it (reference data, DOMAIN.md Part B §2.5)."""
    # the shipped single-year figure (seeded by a migration; written again here, as a
    # transactional test elsewhere may have emptied the table)
    NationalFigure.objects.update_or_create(
        measure="A2",
        period="2016-17",
        defaults={"value": 190, "unit": "days", "note": "single year (ALB)", "source": "coram-i"},
    )
    NationalFigure.objects.update_or_create(
        measure="A1",
        period="2021-24",
        defaults={
            "value": 480,
            "unit": "days",
            "note": "scorecard",
            "source": "DfE adoption scorecards 2021-24",
        },
    )
    version = publish_now(draft_for_c(world, manager), manager)
    scorecard = rows(version.figures, "scorecard")
    a1 = next(v for k, v in scorecard.items() if k.startswith("A1"))
    a2 = next(v for k, v in scorecard.items() if k.startswith("A2"))
    assert a1[3] == 480 and a2[3] == "none published"
    section = next(s for s in version.figures["sections"] if s["key"] == "scorecard")
    note = " ".join(section["tables"][0]["note"])
    assert (
        "England A1 for 2021-24: 480 days (scorecard; source: DfE adoption scorecards 2021-24)."
    ) in note
    # the single-year 2016-17 figure (190 days) is the latest before the window
    assert (
        "No England figure for A2 has been published for 2021-24 (latest published: 190 in "
        "2016-17" in note
    )
    text = " ".join(pdf_text(bytes(version.files.get(format=FileFormat.PDF).content)).split())
    assert "DfE adoption scorecards 2021-24" in text
    assert "No England figure for A2 has been published for 2021-24" in text
    workbook = load_workbook(io.BytesIO(bytes(version.files.get(format=FileFormat.XLSX).content)))
    cells = [c for row in workbook["Adoption Scorecard"].iter_rows(values_only=True) for c in row]
    assert 480 in cells and "none published" in cells
    assert any(isinstance(c, str) and "source: DfE adoption scorecards" in c for c in cells)
