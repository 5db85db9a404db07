"""The SSDA903 tables and the columns that tell them apart.

A council's files are recognised by their columns, never by their names: councils and the
LIIA tools save the same table as ``header.csv``, ``Header.CSV`` or ``SSDA903_2020_header.csv``.
The four tables the import reads are :data:`READ`; the other 903 tables (reviews, UASC, OC2…)
are recognised so the report can say "a 903 table this system does not need" rather than
"not a 903 file".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """One 903 table: its name in this system, the file name the DfE guide gives it, the columns
    it must have, and whether an import needs it."""

    name: str
    label: str
    required: tuple[str, ...]
    needed: bool = False
    #: what the import loses when the table is absent (shown in the report)
    without: str = ""

    def recognised_by(self, columns: set[str]) -> bool:
        return set(self.required) <= columns


HEADER = Table("header", "header.csv", ("CHILD", "SEX", "DOB", "ETHNIC"), needed=True)
EPISODES = Table(
    "episodes",
    "episodes.csv",
    ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
    needed=True,
)
PLACED_FOR_ADOPTION = Table(
    "placed_for_adoption",
    "placed_for_adoption.csv",
    ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    without=(
        "no decisions that a child should be placed for adoption (ADM decisions) or plans "
        "ceased come from these files; those already held are kept as they are"
    ),
)
AD1 = Table(
    "ad1",
    "ad1.csv",
    ("CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"),
    without=(
        "no match dates (DATE_MATCH) come from these files; those already held are kept as they are"
    ),
)

#: The tables the import reads, in the order it reads them.
READ = (HEADER, EPISODES, PLACED_FOR_ADOPTION, AD1)
BY_NAME = {table.name: table for table in READ}

#: The other tables of the 903 return (as the DfE validator knows them): recognised, not read.
OTHER = (
    Table("reviews", "reviews.csv", ("CHILD", "REVIEW", "REVIEW_CODE")),
    Table("uasc", "uasc.csv", ("CHILD", "DUC")),
    Table("oc2", "oc2.csv", ("CHILD", "SDQ_SCORE", "CONVICTED")),
    Table("oc3", "oc3.csv", ("CHILD", "IN_TOUCH", "ACTIV", "ACCOM")),
    Table("previous_permanence", "previous_permanence.csv", ("CHILD", "PREV_PERM")),
    Table("missing", "missing.csv", ("CHILD", "MISSING", "MIS_START")),
    Table("sw_episodes", "sw_episodes.csv", ("CHILD", "SW_ID", "SW_DECOM")),
    Table("dolo", "dolo.csv", ("CHILD", "DOLO_START")),
)

#: The column of a multi-council extract that names each row's council, and the one that
#: names the return year of each row of a stacked multi-year extract.
LA_COLUMN = "LA"
YEAR_COLUMN = "YEAR"

#: The XML return's element names that differ from the CSV columns (as the DfE validator maps
#: them: ``csc-validator-be-903``'s ``read_xml_from_text``).
XML_RENAMED = {"CHILDID": "CHILD", "PL": "PLACE"}
XML_ROOT = "EXPSSDA903"


def recognise(columns: set[str]) -> list[Table]:
    """The tables whose required columns are all among ``columns`` (read tables first)."""
    return [table for table in (*READ, *OTHER) if table.recognised_by(columns)]


def named_like(filename: str) -> Table | None:
    """The read table a file's name suggests (``SSDA903_2020_Header.csv`` → header), used only
    to say which columns a file that matches no table by its columns is missing."""
    stem = filename.rsplit("/", 1)[-1].lower()
    for table in sorted(READ, key=lambda t: -len(t.name)):
        if table.name in stem:
            return table
    return None


@dataclass
class SourceRow:
    """One row of a table: the file it came from, its row (or XML line) number, its values by
    upper-case column name, and the return year it belongs to (None if the files do not say)."""

    file: str
    number: int
    values: dict[str, str]
    year: int | None = None
    #: for the XML return: the line of each value's element (a problem names that line)
    lines: dict[str, int] | None = None

    @property
    def la(self) -> str:
        return self.values.get(LA_COLUMN, "").strip()
