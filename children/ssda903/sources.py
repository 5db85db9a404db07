"""Finding the 903 tables in whatever a council sends: CSV files under any name, the DfE XML
return, a zip of either, in a folder or an upload.

:func:`recognise` takes the files as ``{name: bytes}`` and says which file was read as which
table (by its columns), which were left out and why, and what refuses the set (a required
table missing, two files that could each be the same table, XML that is not well formed). It
never raises for bad files.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from children.ssda903 import tables as T
from children.ssda903.tables import SourceRow
from children.ssda903.xml_return import XmlReturnError, is_xml, read_xml_return

#: A zip holds at most this much once unpacked (a zip bomb is refused, not unpacked).
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
#: a YEAR column's value: ``2020``, or ``2019-20`` / ``2019/20`` read as its first year's digits
_LEADING_YEAR = re.compile(r"\d{4}")
MAX_ZIPS = 20
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


@dataclass
class Found:
    """What :func:`recognise` found."""

    #: table name (``header``…) -> its rows, from every file read as that table
    rows: dict[str, list[SourceRow]] = field(default_factory=dict)
    #: one entry per file: ``{"file", "read_as", "rows", "note"}`` (``read_as`` empty if left out)
    files: list[dict] = field(default_factory=list)
    #: (file, rule, message) of whatever refuses the set
    refusals: list[tuple[str, int | None, str, str, str]] = field(default_factory=list)
    #: tables the set has no file for that the import can do without (their ``without`` note)
    absent: list[str] = field(default_factory=list)
    has_la_column: bool = False
    xml_files: list[str] = field(default_factory=list)

    def refuse(self, file: str, rule: str, message: str, *, row=None, column="") -> None:
        self.refusals.append((file, row, column, rule, message))

    def note(self, file: str, note: str, *, read_as: str = "", rows: int = 0) -> None:
        self.files.append({"file": file, "read_as": read_as, "rows": rows, "note": note})


def files_in(directory: str | Path) -> dict[str, bytes]:
    """Every file directly in a directory, by name (hidden files left out)."""
    path = Path(directory)
    if not path.is_dir():
        return {}
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(path.iterdir())
        if entry.is_file() and not entry.name.startswith(".")
    }


def _unzipped(name: str, data: bytes, found: Found) -> Iterator[tuple[str, bytes]]:
    """The files inside a zip as ``zipname/member``; a zip that cannot be opened refuses."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            found.refuse(name, "zip-too-large", f"{name} unpacks to more than 500 MB.")
            return
        for member in members:
            base = member.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or member.filename.startswith("__MACOSX/"):
                continue
            yield f"{name}/{member.filename}", archive.read(member)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        found.refuse(
            name, "file-unreadable", f"{name} is not a zip file that can be opened: {error}."
        )


def _is_workbook(data: bytes) -> str | None:
    """For an Excel workbook, a note naming what it is (an Ofsted Annex A workbook, say)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        root = etree.fromstring(archive.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError):
        return None
    sheets = [s.get("name", "") for s in root.iter("{*}sheet")]
    if {"List 10", "List 11"} & set(sheets):
        return (
            "an Ofsted Annex A workbook (sheets " + ", ".join(sheets[:3]) + "…), not a 903 "
            "file: left out"
        )
    return (
        "an Excel workbook (sheets " + ", ".join(sheets[:3]) + "), not a 903 file: left out "
        "(save the 903 tables as CSV, or send the XML return)"
    )


def decode(data: bytes) -> str | None:
    """The text of a CSV file (UTF-8, with or without BOM, or Windows-1252); None if binary."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None
        return text
    return None


def _year_in_name(name: str) -> int | None:
    years = _YEAR_IN_NAME.findall(name.rsplit("/", 1)[-1])
    return int(years[-1]) if years else None


def _csv_rows(name: str, text: str, found: Found) -> tuple[list[str], list[SourceRow]] | None:
    """The columns and rows of a CSV text; None (with a refusal) if it is not valid CSV."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        columns = [c.strip().upper() for c in next(reader, [])]
        year = _year_in_name(name)
        rows = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            values = {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(columns)
                if column
            }
            row_year = _LEADING_YEAR.match(values.get(T.YEAR_COLUMN, ""))
            rows.append(
                SourceRow(
                    name,
                    reader.line_num,
                    values,
                    int(row_year.group()) if row_year else year,
                )
            )
    except csv.Error as error:
        found.refuse(name, "file-unreadable", f"{name} is not valid CSV: {error}.")
        return None
    return columns, rows


def recognise(files: Mapping[str, bytes]) -> Found:
    """Read every file and sort it into the 903 tables by its columns. See the module doc."""
    found = Found()
    candidates: dict[str, list[tuple[str, list[SourceRow]]]] = {t.name: [] for t in T.READ}
    xml_files = found.xml_files
    queue = list(files.items())
    zips = 0
    while queue:
        name, data = queue.pop(0)
        lower = name.lower()
        if lower.endswith(".zip") or (data[:4] == b"PK\x03\x04" and not _is_workbook(data)):
            zips += 1
            if zips > MAX_ZIPS:
                found.refuse(name, "zip-too-many", f"More than {MAX_ZIPS} zips (zips in zips).")
                break
            found.note(name, "a zip: the files inside were read")
            queue[0:0] = list(_unzipped(name, data, found))
            continue
        if data[:4] == b"PK\x03\x04":
            found.note(name, _is_workbook(data) or "not a 903 file: left out")
            continue
        if is_xml(data) or lower.endswith(".xml"):
            try:
                tables = read_xml_return(data, name)
            except XmlReturnError as error:
                found.refuse(name, error.rule, str(error))
                continue
            if tables is None:
                found.note(name, "an XML file that is not the 903 return (EXPSSDA903): left out")
                continue
            xml_files.append(name)
            year = _year_in_name(name)
            for table_name, rows in tables.items():
                for row in rows:
                    row.year = year
                candidates[table_name].append((name, rows))
            counts = ", ".join(f"{len(rows)} {t}" for t, rows in tables.items())
            found.note(name, f"the 903 XML return ({counts} rows)", read_as="XML return")
            continue
        text = decode(data)
        hinted = T.named_like(name) if lower.endswith((".csv", ".txt")) else None
        if text is None:
            if hinted is not None:
                found.refuse(
                    name,
                    "file-unreadable",
                    f"{name} is not a readable CSV text file (save it as CSV, UTF-8).",
                )
            else:
                found.note(name, "not a text file: left out")
            continue
        parsed = _csv_rows(name, text, found)
        if parsed is None:
            continue
        columns, rows = parsed
        matches = T.recognise(set(columns))
        read_matches = [t for t in matches if t in T.READ]
        if len(read_matches) > 1:
            found.refuse(
                name,
                "table-ambiguous",
                f"{name} has the columns of more than one 903 table ("
                + ", ".join(t.label for t in read_matches)
                + "); send each table as its own file.",
            )
        elif read_matches:
            candidates[read_matches[0].name].append((name, rows))
            found.has_la_column |= T.LA_COLUMN in columns
        elif matches:
            found.note(
                name,
                f"the 903 {matches[0].name} table, which this system does not need: left out",
            )
        elif hinted is not None:
            missing = [c for c in hinted.required if c not in columns]
            found.refuse(
                name,
                "column-missing",
                f"{name} looks like the 903 {hinted.label} table but has no column "
                f"{', '.join(missing)} (row 1 must hold the DfE column names: "
                f"{', '.join(hinted.required)}).",
                row=1,
                column=", ".join(missing),
            )
        else:
            shown = ", ".join(c for c in columns[:6] if c) or "none"
            found.note(name, f"not a 903 table (its columns: {shown}…): left out")
    csv_files = sorted(
        {file for table in candidates.values() for file, _ in table} - set(xml_files)
    )
    if xml_files and csv_files:
        found.refuse(
            "",
            "formats-mixed",
            "These files hold both the 903 XML return ("
            + ", ".join(xml_files)
            + ") and CSV tables ("
            + ", ".join(csv_files[:4])
            + "); they may be two forms of one return, or two returns. Send one form only.",
        )
        return found
    if not found.refusals and not any(candidates.values()):
        left_out = "; ".join(f"{entry['file']}: {entry['note']}" for entry in found.files[:5])
        found.refuse(
            "",
            "not-903",
            "No 903 file this system reads here: none has the columns of the header, episodes, "
            "placed_for_adoption or ad1 table, or is the XML return"
            + (f" ({left_out})" if left_out else " (no files)")
            + ".",
        )
        return found
    already_refused = bool(found.refusals)
    for table in T.READ:
        _choose(table, candidates[table.name], found, say_missing=not already_refused)
    return found


def _choose(
    table: T.Table, files: list[tuple[str, list[SourceRow]]], found: Found, *, say_missing: bool
) -> None:
    """Settle which files are read as ``table``: one file; or several, one per return year
    (a stacked multi-year set); a file with the table's own name over others with its columns."""
    if not files:
        if table.needed and say_missing:
            found.refuse(
                "",
                "file-missing",
                f"No file has the columns of the 903 {table.label} table "
                f"({', '.join(table.required)}); a set needs header.csv and episodes.csv.",
            )
        else:
            found.absent.append(table.name)
        return
    if len(files) > 1:
        own = [f for f in files if f[0].rsplit("/", 1)[-1].lower() == table.label]
        # Several files are one table when each holds its own return years, or its own LAs
        # (one file per council of a multi-council extract).
        keys = [{(row.la, row.year) for row in rows} for _, rows in files]
        distinct_years = all(("", None) not in k for k in keys) and all(
            not (a & b) for i, a in enumerate(keys) for b in keys[i + 1 :]
        )
        if len(own) == 1 and not distinct_years:
            for name, _ in files:
                if name != own[0][0]:
                    found.note(
                        name,
                        f"also has the columns of {table.label}; {own[0][0]} (the table's own "
                        "name) was read and this file left out",
                    )
            files = own
        elif not distinct_years:
            found.refuse(
                "",
                "table-ambiguous",
                f"More than one file has the columns of the 903 {table.label} table ("
                + ", ".join(name for name, _ in files)
                + "). Keep one, or give each its return year (a YEAR column, or the year in "
                "the file name, as in SSDA903_2020_header.csv) or its council (an LA column).",
            )
            return
    rows = found.rows.setdefault(table.name, [])
    for name, table_rows in files:
        rows.extend(table_rows)
        if name not in found.xml_files:
            found.note(name, "", read_as=table.label, rows=len(table_rows))
