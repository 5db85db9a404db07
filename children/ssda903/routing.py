"""Multi-council 903 extracts: each row goes to the partner council its LA column names.

An ``LA`` column holds a council's DfE code (``305``) or its name (``Bromley``, as the LIIA
and cs-demand-model extracts write it). A row is read only for the council its LA names;
rows of an LA that is not a partner council, or of one this import is not for, are counted
by LA and never read as another council's. A row without an LA (an AD1 file without the
column, say) goes with its child's other rows when they name one LA.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from children.ssda903.tables import SourceRow
from raa.models import Council

_NOISE = re.compile(
    r"\b(london borough of|royal borough of|metropolitan borough of|borough of|city of|county of"
    r"|the|council|borough|metropolitan|county|city|district)\b"
)

Tables = dict[str, list[SourceRow]]


def _plain(name: str) -> str:
    """A council name without the words councils vary in (``London Borough of Bromley``,
    ``Bromley Council`` and ``Bromley`` all give ``bromley``)."""
    text = _NOISE.sub(" ", name.lower().replace(",", " ").replace("&", " and "))
    return " ".join(text.split())


def council_for(la: str, councils: Iterable[Council]) -> Council | None:
    """The partner council an LA value names, by DfE code or by name; None if none does (or
    more than one council would)."""
    value = la.strip()
    if not value:
        return None
    councils = list(councils)
    by_code = [c for c in councils if c.la_code == value.zfill(3) and value.isdigit()]
    if by_code:
        return by_code[0]
    wanted = _plain(value)
    by_name = [c for c in councils if wanted and _plain(c.name) == wanted]
    return by_name[0] if len(by_name) == 1 else None


def split_by_la(tables: Mapping[str, list[SourceRow]]) -> dict[str, Tables]:
    """The rows of each table by LA value (as written, trimmed; ``""`` for none)."""
    child_las: dict[str, set[str]] = defaultdict(set)
    for rows in tables.values():
        for row in rows:
            if row.la:
                child_las[row.values.get("CHILD", "")].add(row.la)
    result: dict[str, Tables] = {}
    for name, rows in tables.items():
        for row in rows:
            la = row.la
            if not la:
                known = child_las.get(row.values.get("CHILD", ""), set())
                la = next(iter(known)) if len(known) == 1 else ""
            result.setdefault(la, {t: [] for t in tables}).setdefault(name, []).append(row)
    return result


def rows_for(by_la: Mapping[str, Tables], council: Council, councils: Iterable[Council]) -> Tables:
    """Every row whose LA names ``council`` (by code or name, both may occur)."""
    councils = list(councils)
    merged: Tables = {}
    for la, tables in by_la.items():
        found = council_for(la, councils)
        if found is not None and found.pk == council.pk:
            for name, rows in tables.items():
                merged.setdefault(name, []).extend(rows)
    return merged


def la_outcomes(
    by_la: Mapping[str, Tables], *, targets: Iterable[Council], councils: Iterable[Council]
) -> list[dict]:
    """For the report: each LA value, its rows, the council it names and what became of them
    (``imported`` is True for the councils this import is for)."""
    targets = {c.pk for c in targets}
    outcomes = []
    for la, tables in sorted(by_la.items()):
        rows = sum(len(r) for r in tables.values())
        council = council_for(la, councils)
        if council is not None and council.pk in targets:
            outcome = f"{rows} rows for {la}: read for {council.name} ({council.la_code})"
        elif council is not None:
            outcome = (
                f"{rows} rows for {la} ({council.name}, {council.la_code}): not imported here "
                "(this import is not for that council)"
            )
        elif not la:
            outcome = f"{rows} rows with no LA: not imported (no council to give them to)"
        else:
            outcome = f"{rows} rows for LA {la}, not a partner council: not imported"
        outcomes.append(
            {
                "la": la or "(none)",
                "rows": rows,
                "council": council.la_code if council else "",
                "council_name": council.name if council else "",
                "imported": council is not None and council.pk in targets,
                "outcome": outcome,
            }
        )
    return outcomes


def partner_councils() -> list[Council]:
    """Every council the system holds: the partner councils an LA value may name."""
    return list(Council.objects.order_by("la_code"))
