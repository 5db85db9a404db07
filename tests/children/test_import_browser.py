"""In a real browser: a data officer uploads a council's 903 files, reads the report, opens a
flagged child, and downloads Annex A and the ASGLB return."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from raa.celery import app
from tests.children.test_import_pages import a_set
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)


@pytest.fixture
def eager_tasks():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_data_officer_imports_reads_the_report_and_downloads_the_returns(
    browser_page,  # noqa: F811
    eager_tasks,
    tmp_path,
):
    page, world, base = browser_page
    for name, data in a_set().items():
        (tmp_path / name).write_bytes(data)
    sign_in(page, base, "data_officer-a")
    page.get_by_role("link", name="Import 903").click()
    expect(page.get_by_role("heading", name="Import a council's SSDA903 files")).to_be_visible()
    page.get_by_label("903 files").set_input_files(
        [str(tmp_path / name) for name in sorted(a_set())]
    )
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", name="903 import report")).to_be_visible()
    expect(page.get_by_test_id("summary")).to_contain_text(
        "2 children added, 0 updated, 0 unchanged, 1 skipped with errors"
    )
    expect(page.get_by_test_id("skipped")).to_contain_text(
        "PLACE 'Q9' is not a placement type code of the 903 guide."
    )
    # Findings grouped by rule, each group opened to its rows.
    group = page.get_by_test_id("finding-group").filter(has_text="903-331")
    expect(group).to_contain_text("Match after placement (DfE 331)")
    group.locator("summary").click()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    group.get_by_role("link", name="W1").first.click()
    expect(page.get_by_test_id("quality-flags")).to_contain_text(
        "The match (DATE_MATCH 20/11/2019) is after the date placed for adoption (15/11/2019)."
    )

    page.get_by_role("link", name="Returns").click()
    page.get_by_label("From").fill("2019-04-01")
    page.get_by_label("To").fill("2020-03-31")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Annex A").click()
    assert download.value.suggested_filename.startswith("annex-a-801-")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()))["List 10"]
    assert "W1" in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    page.get_by_label("Financial year").fill("2020-21")
    page.get_by_label("Quarter", exact=False).and_(page.locator("select")).select_option("4")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ASGLB return").click()
    assert download.value.suggested_filename == "asglb-child-801-2020-21-Q4.csv"
    text = download.value.path().read_text(encoding="utf-8")
    assert text.startswith("child_id,family_id") and "\nW3," in text
    page.screenshot(path=str(tmp_path / "returns.png"), full_page=True)
