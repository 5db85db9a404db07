"""Producing a statutory return: read the rows, lay them out, log the export (who, which
return, which council and period, how many rows; never names) in the same transaction."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from raa.models import AuditAction, Council, User
from raa.services import audit_record
from scorecard import periods as P
from scorecard.returns import annex_a, asglb
from scorecard.returns.selectors import children_in_period, households_in_period


@dataclass
class Export:
    filename: str
    content_type: str
    content: bytes
    rows: int
    summary: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@transaction.atomic
def export_annex_a(*, council: Council, start: date, end: date, acting_user: User) -> Export:
    """Annex A lists 10 and 11 for the council, children and adopters active from ``start`` to
    ``end``."""
    children = children_in_period(council, start, end)
    households = households_in_period(council, start, end)
    content = annex_a.workbook(children, households, end)
    adopters = sum(2 if h.household.second_applicant else 1 for h in households)
    summary = (
        f"Annex A {start:%d/%m/%Y} to {end:%d/%m/%Y}: List 10 {len(children)} children, "
        f"List 11 {adopters} adopters"
    )
    audit_record(
        user=acting_user,
        action=AuditAction.EXPORTED,
        object_type="annex_a",
        council=council,
        detail=summary,
    )
    return Export(
        f"annex-a-{council.la_code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        XLSX,
        content,
        len(children) + adopters,
        summary,
    )


@transaction.atomic
def export_asglb(
    *, council: Council, year: str, quarter: int, level: str, acting_user: User
) -> Export:
    """The ASGLB child-level (``level="child"``) or adopter-level (``"adopter"``) return for the
    financial year ``year`` ("2024-25") to the end of ``quarter``."""
    start, end = asglb.quarter_period(year, quarter)
    if level == "child":
        rows = children_in_period(council, start, end)
        text = asglb.child_level(rows)
    elif level == "adopter":
        rows = households_in_period(council, start, end)
        text = asglb.adopter_level(rows)
    else:
        raise ValueError(f"Unknown ASGLB level {level!r}: child or adopter.")
    summary = f"ASGLB {level}-level {year} {P.quarter_name(quarter)}: {len(rows)} rows"
    audit_record(
        user=acting_user,
        action=AuditAction.EXPORTED,
        object_type=f"asglb_{level}",
        council=council,
        detail=summary,
    )
    return Export(
        f"asglb-{level}-{council.la_code}-{year}-{P.quarter_name(quarter)}.csv",
        "text/csv; charset=utf-8",
        text.encode("utf-8"),
        len(rows),
        summary,
    )
