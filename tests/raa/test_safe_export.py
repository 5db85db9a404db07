"""The one writer of spreadsheet cells (raa/safe_export.py): formulas become text, numbers and
dates stay what they are."""

import io
from datetime import date

from openpyxl import Workbook

from raa.safe_export import SafeCsvWriter, append_safe_row, safe_cell
from tests.formulas import HOSTILE, assert_no_formula_in_workbook


def test_text_a_spreadsheet_would_run_gets_an_apostrophe():
    for text in [*HOSTILE, "-", "+", "\tx", "\rx", "\uff1dSUM(1)"]:
        assert safe_cell(text) == "'" + text


def test_numbers_dates_and_plain_text_are_left_alone():
    for value in (-3, -2.5, 0, 7, date(2020, 1, 1), None, "", "Ada", "-3", "-2.5", "a=b"):
        assert safe_cell(value) == value


def test_the_csv_writer_and_the_workbook_rows_use_it():
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\n").writerows([["@SUM(1+1)", -4]])
    assert out.getvalue() == "'@SUM(1+1),-4\n"
    book = Workbook()
    append_safe_row(book.active, ["=1+1", -4, 2.5])
    assert [c.value for c in book.active[1]] == ["'=1+1", -4, 2.5]
    assert book.active["B1"].data_type == "n"
    content = io.BytesIO()
    book.save(content)
    assert_no_formula_in_workbook(content.getvalue())
