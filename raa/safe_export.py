"""Writing CSV files and Excel workbooks that a spreadsheet cannot run (CSV / formula injection).

Every CSV and workbook the application produces (tracking exports, the Annex A workbook, the
ASGLB returns, the board report workbook) writes its cells through this module, so a child ID,
name or narrative typed as ``=HYPERLINK("//e.x")`` is never a live formula in somebody's
Excel, LibreOffice or Google Sheets.

The rule is the OWASP one (owasp.org/www-community/attacks/CSV_Injection): text that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms, which
some spreadsheets also read as formula characters) is written with a leading apostrophe, which
makes the cell text. Numbers and dates are left as they are: a negative number is a number, not
a formula; a text that is only a number (``"-3"``) is left as it is for the same reason.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

#: The characters that make a spreadsheet read a cell as a formula when they come first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a spreadsheet cell: text that would start a formula gets a
    leading apostrophe (``'=HYPERLINK(…)``); everything else (numbers, dates, ``None``, text
    that is only a number) is returned unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell` (same arguments)."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def append_safe_row(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet, every cell through :func:`safe_cell`. openpyxl
    stores any text starting with ``=`` as a formula; after :func:`safe_cell` none does, so the
    sheet holds no formula the data put there."""
    sheet.append(safe_row(values))


def csv_text(header: list[str], body: list[list]) -> str:
    """A whole CSV file: the header, then each line with dates as dd/mm/yyyy and empty cells
    for None, every cell through :func:`safe_cell`."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(header)
    for line in body:
        writer.writerow(
            [
                v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v)
                for v in line
            ]
        )
    return out.getvalue()
