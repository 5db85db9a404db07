"""Reading a council's SSDA903 files (CSV set, XML return, zip) into typed rows, every
problem named.

:func:`read_set` never raises for bad data: a file that is missing or unreadable, or a required
column that is missing, becomes a *refusal* (nothing can be imported); a bad value becomes a
*hard error* for the child the row is about (that child is skipped whole). Both are
:class:`Problem` rows naming the file, row, column, value and rule.

Rows are numbered as a spreadsheet shows them: the column names are row 1.
"""

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from children.date_rules import birth_long_before_care
from children.models import CeasedReason, Ethnicity, EventKind, LeftCareReason, LegalStatus
from children.ssda903.routing import la_outcomes, partner_councils, rows_for, split_by_la
from children.ssda903.sources import files_in, recognise
from children.ssda903.tables import BY_NAME, LA_COLUMN, READ, YEAR_COLUMN, SourceRow
from children.validators import validate_child_id
from raa.dates import (
    EARLIEST_YEAR,
    financial_year_dates,
    financial_year_label,
    financial_year_of,
    implausible_date_message,
)
from raa.models import Council

#: The four tables of a set, by the DfE guide's file names (files are recognised by their
#: columns, whatever they are called: :mod:`children.ssda903.tables`).
FILES = tuple(table.label for table in READ)

#: Columns each table must have (the DfE names); others are optional and may be absent or empty.
REQUIRED_COLUMNS = {table.label: table.required for table in READ}

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
    file: str = field(default="header.csv", compare=False)


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
    #: the return year and file the row came from (stacked multi-year sets)
    year: int | None = field(default=None, compare=False)
    file: str = field(default="", compare=False)


@dataclass
class Ad1Row:
    row: int
    date_int: date | None
    date_match: date | None
    foster_care: bool | None
    #: NB_ADOPTR, SEX_ADOPTR or LS_ADOPTR given (rules 525 and 602 read them; nothing else does)
    adopters_given: bool = False
    year: int | None = field(default=None, compare=False)

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
    year: int | None = field(default=None, compare=False)


@dataclass
class ChildRows:
    """Everything the files say about one child."""

    header: HeaderRow
    episodes: list[Episode] = field(default_factory=list)
    ad1: Ad1Row | None = None
    placed: list[PlacedRow] = field(default_factory=list)
    #: journey steps these files cannot give because a table is absent (no ad1.csv: no match
    #: dates): an import leaves the steps of these kinds already held as they are
    kinds_not_given: frozenset[str] = frozenset()


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
    #: which file was read as which table, and the files left out with why
    files: list[dict] = field(default_factory=list)
    #: the tables the set has no file for that the import can do without (ad1, placed…)
    absent_tables: list[str] = field(default_factory=list)
    #: for a multi-council extract: each LA value with its rows and what became of them
    rows_by_la: list[dict] = field(default_factory=list)
    #: header rows of earlier return years that a later year's row replaced
    superseded_header_rows: int = 0
    #: episode and decision rows read once though repeated (in several return years)
    repeated_rows: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def shape_report(self) -> dict:
        """What the report says about the files' shape: which file was read as which table,
        the tables absent and what that means, the stacked years, and rows by LA."""
        return {
            "files": self.files,
            "absent_tables": [
                {"table": BY_NAME[name].label, "meaning": BY_NAME[name].without}
                for name in self.absent_tables
            ],
            "superseded_header_rows": self.superseded_header_rows,
            "repeated_rows": self.repeated_rows,
            "rows_by_la": self.rows_by_la,
            "rows_for_other_las": {
                entry["la"]: entry["rows"] for entry in self.rows_by_la if not entry["imported"]
            },
        }


def files_from_directory(directory: str | Path) -> dict[str, bytes]:
    """Every file in a directory, by name: the set is found in them by their columns
    (:mod:`children.ssda903.sources`), whatever they are called."""
    return files_in(directory)


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


class _RowCheck:
    """Collects the problems of one row, attributed to its child."""

    def __init__(
        self,
        name: str,
        number: int | None,
        values: dict,
        result: ReadResult,
        lines: dict[str, int] | None = None,
    ):
        self.name, self.number, self.values, self.result = name, number, values, result
        self.lines = lines or {}
        self.child = values.get("CHILD", "")[:40]
        self.ok = True

    def problem(self, column: str, rule: str, message: str) -> None:
        self.ok = False
        self.result.errors[self.child].append(
            Problem(
                self.name,
                self.lines.get(column, self.number),
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


def read_set(files: Mapping[str, bytes], *, council: Council | None = None) -> ReadResult:
    """Read a council's 903 files (any names: CSV tables, the XML return, zips; see
    :mod:`children.ssda903.sources`) and check every value.

    With an LA column (a multi-council extract) and ``council`` given, only that council's rows
    are read; the others are counted by LA in ``rows_by_la`` and never read as this council's.
    """
    found = recognise(files)
    result = ReadResult(files=found.files, absent_tables=list(found.absent))
    for file, row, column, rule, message in found.refusals:
        result.refusals.append(Problem(file, row, column, "", rule, message))
    if result.refused:
        return result
    rows = found.rows
    if found.has_la_column and council is not None:
        by_la = split_by_la(rows)
        councils = partner_councils()
        result.rows_by_la = la_outcomes(by_la, targets=[council], councils=councils)
        rows = rows_for(by_la, council, councils)
        if not any(rows.values()):
            result.refusals.append(
                Problem(
                    "",
                    None,
                    "LA",
                    council.la_code,
                    "la-none-for-council",
                    f"No row of these files is for {council.name} ({council.la_code}): the LA "
                    "column names only " + ", ".join(sorted(by_la)) + ". Nothing was imported.",
                )
            )
            return result
    return check_rows(rows, result)


def _latest(group: list[SourceRow]) -> tuple[list[SourceRow], int]:
    """The rows of the latest return year among a child's rows (rows without a year count as
    earliest), and how many earlier rows they supersede."""
    latest = max((-1 if r.year is None else r.year) for r in group)
    chosen = [r for r in group if (-1 if r.year is None else r.year) == latest]
    return chosen, len(group) - len(chosen)


def _significant(values: dict) -> dict:
    return {k: v for k, v in values.items() if k not in (LA_COLUMN, YEAR_COLUMN)}


def check_rows(tables: Mapping[str, list[SourceRow]], result: ReadResult) -> ReadResult:
    """Check the rows of the four tables (header and episodes at least) child by child.

    Stacked return years: a child's header is the latest year's; an episode (or a decision to
    place for adoption) repeated in a later year is read once, the later year's version when
    it only adds to the earlier one (the episode has ended since, say); one that says something
    different is a problem for the child naming the years and columns, never a guess.
    """
    for table in READ:
        if table.name in tables:
            result.rows_read[table.label] = len(tables[table.name])

    seen: dict[str, int] = {}
    by_child: dict[str, list[SourceRow]] = defaultdict(list)
    for row in tables.get("header", []):
        by_child[row.values.get("CHILD", "")[:40]].append(row)
    for child_id, group in by_child.items():
        if not child_id:
            for row in group:
                check = _RowCheck(row.file, row.number, row.values, result)
                check.problem("CHILD", "value-missing", "CHILD is empty; every row needs the ID.")
            continue
        chosen, superseded = _latest(group)
        result.superseded_header_rows += superseded
        distinct = {tuple(sorted(_significant(r.values).items())): r for r in chosen}
        result.repeated_rows += len(chosen) - len(distinct)  # the same row twice in a year
        if len(distinct) > 1:
            first, second = list(distinct.values())[:2]
            check = _RowCheck(second.file, second.number, second.values, result)
            year = f" for {second.year}" if second.year else ""
            check.problem(
                "CHILD",
                "child-duplicated",
                f"CHILD {child_id} is in {first.file} more than once{year} (rows "
                f"{first.number} and {second.number}) with different values; each child has "
                "one header row.",
            )
            seen[child_id] = first.number
            continue
        row = chosen[0]
        values = row.values
        check = _RowCheck(row.file, row.number, values, result, row.lines)
        seen[child_id] = row.number
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
                HeaderRow(
                    row.number,
                    check.child,
                    sex,
                    dob,
                    ethnicity,
                    values.get("UPN", "")[:13],
                    file=row.file,
                )
            )

    def owner(check: _RowCheck) -> ChildRows | None:
        if not check.child:
            check.problem("CHILD", "value-missing", "CHILD is empty; every row needs the ID.")
            return None
        if check.child not in seen:
            check.problem(
                "CHILD",
                "child-not-in-header",
                f"CHILD {check.child} has a row in {check.name} but none in the header table.",
            )
            return None
        return result.children.get(check.child)

    def in_year_order(name: str) -> list[SourceRow]:
        return sorted(tables.get(name, []), key=lambda r: -1 if r.year is None else r.year)

    for source in in_year_order("episodes"):
        number, values = source.number, source.values
        check = _RowCheck(source.file, number, values, result, source.lines)
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
                number,
                decom,
                rne,
                ls,
                place,
                provider,
                dec,
                rec,
                reason_change,
                ignored_rec,
                year=source.year,
                file=source.file,
            )
            same_day = [e for e in rows.episodes if e.decom == decom]
            if not same_day:
                rows.episodes.append(episode)
                continue
            earlier = same_day[0]
            if _same_episode(earlier, episode):
                result.repeated_rows += 1
                continue  # the same row twice (e.g. from two years' returns)
            if earlier.year is not None and source.year is not None and earlier.year < source.year:
                differ = _conflicting(earlier, episode, EPISODE_COLUMNS)
                if not differ:  # the later return only adds (the episode ended since, say)
                    rows.episodes[rows.episodes.index(earlier)] = episode
                    result.repeated_rows += 1
                    continue
                check.problem(
                    "DECOM",
                    "episodes-conflict",
                    f"CHILD {check.child}: the episode starting {decom:%d/%m/%Y} says different "
                    f"things in the {earlier.year} return ({earlier.file} row {earlier.row}) and "
                    f"the {source.year} return (row {number}): "
                    + "; ".join(f"{c} {a or '(empty)'} then {b or '(empty)'}" for c, a, b in differ)
                    + ". Correct the return that is wrong and import again; the system does not "
                    "guess which is right.",
                )
                continue
            check.problem(
                "DECOM",
                "episodes-same-start",
                f"Two different episodes start on {decom:%d/%m/%Y} (rows "
                f"{earlier.row} and {number}).",
            )

    for source in in_year_order("ad1"):
        number, values = source.number, source.values
        check = _RowCheck(source.file, number, values, result, source.lines)
        rows = owner(check)
        date_int = check.date("DATE_INT", required=False)
        date_match = check.date("DATE_MATCH", required=False)
        foster = check.code("FOSTER_CARE", {"0", "1"}, required=False, what="FOSTER_CARE (0/1)")
        if check.ok and rows is not None:
            if rows.ad1 is not None and (
                rows.ad1.year is None or source.year is None or rows.ad1.year >= source.year
            ):
                check.problem(
                    "CHILD",
                    "ad1-duplicated",
                    f"CHILD {check.child} has two AD1 rows (rows {rows.ad1.row} and {number}).",
                )
                continue
            # A later return's AD1 row replaces an earlier one's, as the header does.
            rows.ad1 = Ad1Row(
                number,
                date_int,
                date_match,
                {"1": True, "0": False}.get(foster),
                adopters_given=any(
                    values.get(column) for column in ("NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
                ),
                year=source.year,
            )

    for source in in_year_order("placed_for_adoption"):
        number, values = source.number, source.values
        check = _RowCheck(source.file, number, values, result, source.lines)
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
            decision = PlacedRow(number, placed, ceased, reason, year=source.year)
            earlier = next(
                (
                    p
                    for p in rows.placed
                    if p.date_placed == placed
                    and p.year is not None
                    and source.year is not None
                    and p.year < source.year
                ),
                None,
            )
            if earlier is None:
                rows.placed.append(decision)
                continue
            differ = _conflicting(earlier, decision, PLACED_COLUMNS)
            if differ:
                check.problem(
                    "DATE_PLACED_CEASED",
                    "placed-conflict",
                    f"CHILD {check.child}: the decision of {placed:%d/%m/%Y} says different "
                    f"things in the {earlier.year} and {source.year} returns: "
                    + "; ".join(f"{c} {a or '(empty)'} then {b or '(empty)'}" for c, a, b in differ)
                    + ". Correct the return that is wrong and import again.",
                )
                continue
            rows.placed[rows.placed.index(earlier)] = decision
            result.repeated_rows += 1

    for rows in result.children.values():
        _check_birth_before_care(rows, result)
    for child in list(result.errors):
        result.children.pop(child, None)
    not_given = frozenset(
        kind for table in result.absent_tables for kind in KINDS_FROM_TABLE.get(table, ())
    )
    for rows in result.children.values():
        rows.kinds_not_given = not_given
        rows.episodes.sort(key=lambda e: e.decom)
        rows.placed.sort(key=lambda p: p.date_placed)
    return result


#: The journey steps each optional table gives.
KINDS_FROM_TABLE = {
    "placed_for_adoption": (EventKind.ADM_DECISION, EventKind.PLAN_CEASED),
    "ad1": (EventKind.MATCHED,),
}

#: The columns compared when a later return repeats an episode or decision: (column, field).
EPISODE_COLUMNS = (
    ("RNE", "rne"),
    ("LS", "ls"),
    ("PLACE", "place"),
    ("PLACE_PROVIDER", "provider"),
    ("DEC", "dec"),
    ("REC", "rec"),
    ("REASON_PLACE_CHANGE", "reason_change"),
)
PLACED_COLUMNS = (
    ("DATE_PLACED_CEASED", "date_ceased"),
    ("REASON_PLACED_CEASED", "reason_ceased"),
)


def _shown(value) -> str:
    if value is None:
        return ""
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else str(value)


def _conflicting(earlier, later, columns) -> list[tuple[str, str, str]]:
    """The columns where a later return does not merely add to an earlier one: (column, the
    earlier value, the later value) where the earlier had a value and the later differs."""
    return [
        (column, _shown(getattr(earlier, name)), _shown(getattr(later, name)))
        for column, name in columns
        if getattr(earlier, name) not in ("", None)
        and getattr(earlier, name) != getattr(later, name)
    ]


def _check_birth_before_care(rows: ChildRows, result: ReadResult) -> None:
    """A hard error on the header's DOB if the child was born more than 25 years before the
    first episode starts (the same rule as the child's record)."""
    if not rows.episodes:
        return
    message = birth_long_before_care(rows.header.dob, min(e.decom for e in rows.episodes))
    if message:
        header = rows.header
        check = _RowCheck(header.file, header.row, {"CHILD": header.child}, result)
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
