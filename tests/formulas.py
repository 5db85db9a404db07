"""Formula injection: hostile values written straight to the database (as a bug, an import or
the admin could leave them), and checks that an exported file holds none of them as a formula."""

import csv
import io
import re
import zipfile

#: Child IDs (and other text) a spreadsheet would run: OWASP's examples.
HOSTILE = ['=HYPERLINK("//e.x")', "+1+cmd|'/C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C'!A"]
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_formula_in_workbook(content: bytes) -> str:
    """No sheet of the .xlsx holds a formula (``<f>`` in its XML). Returns every sheet's XML
    joined, for the caller to check the values are there as text."""
    sheets = []
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = book.read(name).decode()
                assert not re.search(r"<f[ >]", xml), f"a formula in {name}"
                sheets.append(xml)
    assert sheets, "the workbook has no sheets"
    return "\n".join(sheets)


def assert_no_formula_in_csv(text: str) -> list[list[str]]:
    """No line and no cell of the CSV starts with a formula character (a number such as -3
    is a number). Returns the rows."""
    for line in text.splitlines():
        assert not line.startswith(FORMULA_CHARACTERS) or _is_number(line.split(",")[0]), line
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_CHARACTERS) or _is_number(cell), (cell, row)
    return rows
