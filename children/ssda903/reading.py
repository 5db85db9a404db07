"""Reading a council's SSDA903 CSV set into typed rows, with every problem named.

:func:`read_set` never raises for bad data: a file that is missing or unreadable, or a required
column that is missing, becomes a *refusal* (nothing can be imported); a bad value becomes a
*hard error* for the child the row is about (that child is skipped whole). Both are
:class:`Problem` rows naming the file, row, column, value and rule.

Rows are numbered as a spreadsheet shows them: the column names are row 1.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from children.date_rules import birth_long_before_care
from children.models import CeasedReason, Ethnicity, LeftCareReason, LegalStatus
from children.validators import validate_child_id
from raa.dates import (
    EARLIEST_YEAR,
    financial_year_dates,
    financial_year_label,
    financial_year_of,
    implausible_date_message,
)

#: The four files of a set, by the name the importer looks for (any letter case).
FILES = ("header.csv", "episodes.csv", "placed_for_adoption.csv", "ad1.csv")

#: Columns each file must have (the DfE names); others are optional and may be absent or empty.
REQUIRED_COLUMNS = {
    "header.csv": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "episodes.csv": ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
    "placed_for_adoption.csv": (
        "CHILD",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),
    "ad1.csv": ("CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"),
}

SEX_CODES = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
RNE_CODES = frozenset({"S", "L", "P", "T", "B", "U"})
LS_CODES = frozenset(LegalStatus.values)
ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})
PLACE_CODES = frozenset(
    {
        *ADOPTION_PLACEMENTS,
        *(f"U{n}" for n in range(1, 7)),
        "H5",
        "K1",
        "K2",
        "K3",
        "P1",
        "P2",
        "P3",
        "R1",
        "R2",
        "R3",
        "R5",
        "S1",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
        "Z1",
        "Z11",
        "Z12",
        "Z13",
        "Z14",
    }
)
PROVIDER_CODES = frozenset({f"PR{n}" for n in range(6)})
REC_CODES = frozenset({"X1", *LeftCareReason.values})
PLACE_CHANGE_CODES = frozenset(
    {
        "CARPL",
        "CLOSE",
        "ALLEG",
        "STAND",
        "APPRR",
        "CREQB",
        "CREQO",
        "CHILD",
        "LAREQ",
        "PLACE",
        "CUSTOD",
        "OTHER",
    }
)
CEASED_CODES = frozenset(CeasedReason.values)
ETHNIC_CODES = frozenset(Ethnicity.values)

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+)?$")


@dataclass(frozen=True)
class Problem:
    """Something wrong in the files, said so a data officer can find and fix it."""

    file: str
    row: int | None
    column: str
    value: str
    rule: str
    message: str
    child: str = ""

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value[:60],
            "rule": self.rule,
            "message": self.message,
            "child": self.child,
        }


@dataclass
class HeaderRow:
    row: int
    child: str
    sex: str
    dob: date
    ethnicity: str
    upn: str


@dataclass
class Episode:
    row: int
    decom: date
    rne: str
    ls: str
    place: str
    provider: str
    dec: date | None
    rec: str
    reason_change: str
    ignored_rec: str = ""


@dataclass
class Ad1Row:
    row: int
    date_int: date | None
    date_match: date | None
    foster_care: bool | None
    #: NB_ADOPTR, SEX_ADOPTR or LS_ADOPTR given (rules 525 and 602 read them; nothing else does)
    adopters_given: bool = False

    @property
    def any_item(self) -> bool:
        """Any of the AD1 adoption items is given (DfE rules 525 and 602)."""
        return (
            self.date_int is not None
            or self.date_match is not None
            or self.foster_care is not None
            or self.adopters_given
        )


@dataclass
class PlacedRow:
    row: int
    date_placed: date
    date_ceased: date | None
    reason_ceased: str


@dataclass
class ChildRows:
    """Everything the files say about one child."""

    header: HeaderRow
    episodes: list[Episode] = field(default_factory=list)
    ad1: Ad1Row | None = None
    placed: list[PlacedRow] = field(default_factory=list)


@dataclass(frozen=True)
class CollectionYear:
    """A 903 collection year: 1 April to 31 March."""

    start: date
    end: date

    @classmethod
    def holding(cls, day: date) -> "CollectionYear":
        return cls(*financial_year_dates(financial_year_of(day)))

    def __str__(self) -> str:
        return financial_year_label(self.start.year)


@dataclass
class ReadResult:
    """What the files hold: children that can be imported, problems that skip a child, and
    problems that refuse the whole set (``refusals``)."""

    children: dict[str, ChildRows] = field(default_factory=dict)
    errors: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    refusals: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    #: The year the set is the return for: the one holding the latest DECOM in episodes.csv.
    collection_year: CollectionYear | None = None

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def files_from_directory(directory: str | Path) -> dict[str, bytes]:
    """The set's files in a directory, by their lower-case names (other files ignored)."""
    found: dict[str, bytes] = {}
    path = Path(directory)
    if not path.is_dir():
        return found
    for entry in sorted(path.iterdir()):
        name = entry.name.lower()
        if name in FILES and entry.is_file() and name not in found:
            found[name] = entry.read_bytes()
    return found


def parse_date(text: str) -> date | None:
    """A 903 date (dd/mm/yyyy, or ISO yyyy-mm-dd); None if it is not a real date."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(x) for x in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            return None
        year, month, day = (int(x) for x in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None
        return text
    return None


def _rows(name: str, data: bytes | None, result: ReadResult) -> list[tuple[int, dict]] | None:
    """The file's rows as (row number, {COLUMN: value}); None (with a refusal) if unusable."""
    if data is None:
        result.refusals.append(
            Problem(
                name,
                None,
                "",
                "",
                "file-missing",
                f"The file {name} is missing. A 903 set needs {', '.join(FILES)}.",
            )
        )
        return None
    text = _decode(data)
    if text is None:
        result.refusals.append(
            Problem(
                name,
                None,
                "",
                "",
                "file-unreadable",
                f"{name} is not a readable CSV text file (save it as CSV, UTF-8).",
            )
        )
        return None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        columns = [c.strip().upper() for c in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS[name] if c not in columns]
        if missing:
            result.refusals.append(
                Problem(
                    name,
                    1,
                    ", ".join(missing),
                    "",
                    "column-missing",
                    f"{name} has no column {', '.join(missing)} (row 1 must hold the DfE column "
                    f"names: {', '.join(REQUIRED_COLUMNS[name])}).",
                )
            )
            return None
        rows = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            values = {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(columns)
                if column
            }
            rows.append((reader.line_num, values))
    except csv.Error as error:
        result.refusals.append(
            Problem(name, None, "", "", "file-unreadable", f"{name} is not valid CSV: {error}.")
        )
        return None
    result.rows_read[name] = len(rows)
    return rows


class _RowCheck:
    """Collects the problems of one row, attributed to its child."""

    def __init__(self, name: str, number: int, values: dict, result: ReadResult):
        self.name, self.number, self.values, self.result = name, number, values, result
        self.child = values.get("CHILD", "")[:40]
        self.ok = True

    def problem(self, column: str, rule: str, message: str) -> None:
        self.ok = False
        self.result.errors[self.child].append(
            Problem(
                self.name,
                self.number,
                column,
                self.values.get(column, ""),
                rule,
                message,
                self.child,
            )
        )

    def date(self, column: str, *, required: bool) -> date | None:
        text = self.values.get(column, "")
        if not text:
            if required:
                self.problem(column, "value-missing", f"{column} is empty; it is required.")
            return None
        value = parse_date(text)
        if value is None:
            self.problem(
                column,
                "date-unreadable",
                f"{column} '{text}' is not a date (write dd/mm/yyyy, e.g. 05/11/2019).",
            )
        elif message := implausible_date_message(column, value, today=timezone.localdate()):
            self.problem(
                column,
                "date-before-1990" if value.year < EARLIEST_YEAR else "date-too-far-ahead",
                message,
            )
            return None
        return value

    def code(self, column: str, allowed, *, required: bool, what: str) -> str:
        text = self.values.get(column, "").upper()
        if not text:
            if required:
                self.problem(column, "value-missing", f"{column} is empty; it is required.")
            return ""
        if text not in allowed:
            self.problem(
                column,
                "code-unknown",
                f"{column} '{self.values.get(column, '')}' is not a {what} code of the 903 guide.",
            )
            return ""
        return text


def read_set(files: Mapping[str, bytes]) -> ReadResult:
    """Read the four files (keys: lower-case file names) and check every value."""
    result = ReadResult()
    tables = {name: _rows(name, files.get(name), result) for name in FILES}
    if result.refused:
        return result

    seen: dict[str, int] = {}
    duplicated: set[str] = set()
    for number, values in tables["header.csv"]:
        check = _RowCheck("header.csv", number, values, result)
        if not check.child:
            check.problem("CHILD", "value-missing", "CHILD is empty; every row needs the ID.")
            continue
        if check.child in seen:
            duplicated.add(check.child)
            check.problem(
                "CHILD",
                "child-duplicated",
                f"CHILD {check.child} is in header.csv twice (rows {seen[check.child]} and "
                f"{number}); each child has one header row.",
            )
            continue
        seen[check.child] = number
        try:
            validate_child_id(check.child)
        except ValidationError as error:
            check.problem("CHILD", "child-id-format", f"CHILD: {error.messages[0]}")
        dob = check.date("DOB", required=True)
        sex_text = values.get("SEX", "").upper()
        sex = SEX_CODES.get(sex_text, "") if sex_text else ""
        if sex_text and not sex:
            check.problem("SEX", "code-unknown", f"SEX '{sex_text}' is not 1, 2, M, F or U.")
        # Empty SEX / ETHNIC / UPN mean "not given": an update keeps what is stored.
        ethnicity = check.code("ETHNIC", ETHNIC_CODES, required=False, what="ethnicity")
        if check.ok:
            result.children[check.child] = ChildRows(
                HeaderRow(number, check.child, sex, dob, ethnicity, values.get("UPN", "")[:13])
            )
    for child in duplicated:
        result.children.pop(child, None)

    def owner(check: _RowCheck) -> ChildRows | None:
        if not check.child:
            check.problem("CHILD", "value-missing", "CHILD is empty; every row needs the ID.")
            return None
        if check.child not in seen:
            check.problem(
                "CHILD",
                "child-not-in-header",
                f"CHILD {check.child} has a row in {check.name} but none in header.csv.",
            )
            return None
        return result.children.get(check.child)

    for number, values in tables["episodes.csv"]:
        check = _RowCheck("episodes.csv", number, values, result)
        rows = owner(check)
        decom = check.date("DECOM", required=True)
        dec = check.date("DEC", required=False)
        rne = check.code("RNE", RNE_CODES, required=True, what="reason for new episode")
        ls = check.code("LS", LS_CODES, required=True, what="legal status")
        place = check.code("PLACE", PLACE_CODES, required=True, what="placement type")
        provider = check.code(
            "PLACE_PROVIDER", PROVIDER_CODES, required=False, what="placement provider"
        )
        rec = check.code("REC", REC_CODES, required=dec is not None, what="reason episode ceased")
        reason_change = check.code(
            "REASON_PLACE_CHANGE", PLACE_CHANGE_CODES, required=False, what="reason for change"
        )
        # An open episode (no DEC) with a REC is common in exports; the REC is ignored and
        # reported as a data-quality finding.
        ignored_rec = rec if rec and dec is None else ""
        if ignored_rec:
            rec = ""
        if decom and dec and dec < decom:
            check.problem(
                "DEC",
                "episode-ends-before-start",
                f"The episode ends ({dec:%d/%m/%Y}) before it starts ({decom:%d/%m/%Y}).",
            )
        if decom and (result.collection_year is None or decom > result.collection_year.end):
            result.collection_year = CollectionYear.holding(decom)
        if check.ok and rows is not None:
            episode = Episode(
                number, decom, rne, ls, place, provider, dec, rec, reason_change, ignored_rec
            )
            same_day = [e for e in rows.episodes if e.decom == decom]
            if same_day and _same_episode(same_day[0], episode):
                continue  # the same row twice (e.g. from two years' returns)
            if same_day:
                check.problem(
                    "DECOM",
                    "episodes-same-start",
                    f"Two different episodes start on {decom:%d/%m/%Y} (rows "
                    f"{same_day[0].row} and {number}).",
                )
                continue
            rows.episodes.append(episode)

    for number, values in tables["ad1.csv"]:
        check = _RowCheck("ad1.csv", number, values, result)
        rows = owner(check)
        date_int = check.date("DATE_INT", required=False)
        date_match = check.date("DATE_MATCH", required=False)
        foster = check.code("FOSTER_CARE", {"0", "1"}, required=False, what="FOSTER_CARE (0/1)")
        if check.ok and rows is not None:
            if rows.ad1 is not None:
                check.problem(
                    "CHILD",
                    "ad1-duplicated",
                    f"CHILD {check.child} has two AD1 rows (rows {rows.ad1.row} and {number}).",
                )
                continue
            rows.ad1 = Ad1Row(
                number,
                date_int,
                date_match,
                {"1": True, "0": False}.get(foster),
                adopters_given=any(
                    values.get(column) for column in ("NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
                ),
            )

    for number, values in tables["placed_for_adoption.csv"]:
        check = _RowCheck("placed_for_adoption.csv", number, values, result)
        rows = owner(check)
        placed = check.date("DATE_PLACED", required=True)
        ceased = check.date("DATE_PLACED_CEASED", required=False)
        reason = check.code(
            "REASON_PLACED_CEASED", CEASED_CODES, required=False, what="reason (RD1 to RD4)"
        )
        if ceased and not reason and check.ok:
            check.problem(
                "REASON_PLACED_CEASED",
                "563-ceased-reason",
                "DATE_PLACED_CEASED is given without the reason (RD1 to RD4).",
            )
        if reason and not values.get("DATE_PLACED_CEASED"):
            check.problem(
                "DATE_PLACED_CEASED",
                "563-ceased-reason",
                f"REASON_PLACED_CEASED is {reason} but DATE_PLACED_CEASED is empty.",
            )
        if check.ok and rows is not None:
            rows.placed.append(PlacedRow(number, placed, ceased, reason))

    for rows in result.children.values():
        _check_birth_before_care(rows, result)
    for child in list(result.errors):
        result.children.pop(child, None)
    for rows in result.children.values():
        rows.episodes.sort(key=lambda e: e.decom)
        rows.placed.sort(key=lambda p: p.date_placed)
    return result


def _check_birth_before_care(rows: ChildRows, result: ReadResult) -> None:
    """A hard error on the header's DOB if the child was born more than 25 years before the
    first episode starts (the same rule as the child's record)."""
    if not rows.episodes:
        return
    message = birth_long_before_care(rows.header.dob, min(e.decom for e in rows.episodes))
    if message:
        header = rows.header
        check = _RowCheck("header.csv", header.row, {"CHILD": header.child}, result)
        check.values["DOB"] = f"{header.dob:%d/%m/%Y}"
        check.problem("DOB", "birth-long-before-care", message)


def _same_episode(a: Episode, b: Episode) -> bool:
    return (a.decom, a.rne, a.ls, a.place, a.provider, a.dec, a.rec) == (
        b.decom,
        b.rne,
        b.ls,
        b.place,
        b.provider,
        b.dec,
        b.rec,
    )
