"""In a real browser: a manager drafts a board report, writes the narrative, previews it and
publishes it (rendered by a real Celery worker through Redis, progress shown on the page); a
board member opens the published report and downloads its PDF and Excel workbook."""

import io

from celery.contrib.testing.worker import start_worker
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from raa.celery import app
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)

SUMMARY = "Four more children were placed than last quarter."
RISKS = "Fewer households are applying."


def test_a_manager_publishes_and_a_board_member_downloads(browser_page, tmp_path):  # noqa: F811
    page, world, base = browser_page
    sign_in(page, base, "manager-region")
    page.get_by_role("link", name="Board reports").first.click()
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Report for").select_option(label="Council B")
    page.get_by_label("Financial year").fill("2022-23")
    page.get_by_label("Quarter").select_option(label="Q2 (July to September)")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_test_id("draft-banner")).to_be_visible()
    expect(page.get_by_role("heading", name="Council B: 2022-23 Q2")).to_be_visible()

    page.get_by_role("link", name="Write the narrative").click()
    page.get_by_label("Summary").fill(SUMMARY)
    page.get_by_label("Risks").fill(RISKS)
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    page.screenshot(path=str(tmp_path / "draft.png"), full_page=True)

    page.get_by_role("link", name="Publish").click()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        page.get_by_role("button", name="Publish").click()
        # The page shows the render's progress, then reloads as the published version.
        expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("draft-banner")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "board_member-region")
    page.get_by_role("link", name="Board reports").first.click()
    page.get_by_role("link", name="2022-23 Q2").click()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_role("heading", name="Children waiting")).to_be_visible()
    page.screenshot(path=str(tmp_path / "published.png"), full_page=True)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(pdf_download.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert SUMMARY in text and "Council B: 2022-23 Q2" in text
    assert "Bea" not in text and "B0001" not in text  # council B's child, by name or ID
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel").click()
    with open(xlsx_download.value.path(), "rb") as f:  # a temporary file without a suffix
        workbook = load_workbook(io.BytesIO(f.read()))
    assert "Quarterly activity" in workbook.sheetnames
    assert pdf_download.value.suggested_filename == "board-report-council-b-2022-23-q2-v1.pdf"
