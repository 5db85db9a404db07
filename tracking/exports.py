"""The tracking list as CSV and Excel: the same rows as the page (every page of it).

Columns are the page's. Every cell is written through :mod:`raa.safe_export`, so a name typed
into a record can never run as a formula in somebody's Excel.
"""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from adopters.stages import StageCode
from raa.safe_export import append_safe_row
from tracking import checks
from tracking.selectors import Row

CHECK_CODES = {
    "children": [(rule.code, rule.heading) for rule in checks.CHILD_RULES],
    "households": [(rule.code, rule.heading) for rule in checks.HOUSEHOLD_RULES],
}


#: The forecast's columns (an estimate from the region's past journeys, not a judgement about
#: the child), read from the child's prefetched ``forecasts`` (forecast.models.ForecastResult,
#: by its relation name: tracking never imports the forecast).
FORECAST_COLUMNS = [
    "Likely match date (estimate)",
    "Match 80% range from",
    "Match 80% range to",
    "Chance of breaching A2",
    "Chance of breaching A1",
]


def _forecast_cells(child) -> list:
    found = list(child.forecasts.all())
    if not found:
        return [None] * len(FORECAST_COLUMNS)
    f = found[0]
    return [f.median_date, f.low_date, f.high_date, f.p_breach_a2, f.p_breach_a1]


def _early_link_words(child) -> str:
    """' (early link: household in Stage 2)' for a child linked early with a household still in
    assessment (the list's ``early_link_stage`` annotation), else empty."""
    code = getattr(child, "early_link_stage", None)
    return f" (early link: household in {StageCode(code).label})" if code else ""


def _check_cells(row: Row, codes) -> list:
    by_code = {c.code: c for c in row.checks}
    cells = []
    for code, _ in codes:
        check = by_code.get(code)
        if check is None:
            cells += ["", ""]
        else:
            cells += [check.days, check.status_label + (" (done)" if check.done else "")]
    return cells


def _actions_cell(actions) -> str:
    """The record's tracking meeting actions in one cell: what, who, by when (and when done)."""
    parts = []
    for a in actions or []:
        who = a.owner.get_full_name() or a.owner.username
        done = f", done {a.done_on:%d/%m/%Y}" if a.done_on else ""
        parts.append(f"{a.what} ({who}, by {a.due_date:%d/%m/%Y}{done})")
    return "; ".join(parts)


def child_table(rows: list[Row], actions: dict | None = None) -> tuple[list[str], list[list]]:
    """``actions``: the tracking meeting actions by child id (the last column)."""
    header = [
        "Child ID",
        "First name",
        "Last name",
        "Council",
        "Social worker",
        "Stage",
        "Entered care",
        "ADM decision",
        "Placement order",
        "Matched",
        "Placed",
        "Days in care",
        "Status",
        "Nearest threshold",
        "Next step",
    ]
    for _, label in CHECK_CODES["children"]:
        header += [f"{label}: days", f"{label}: status"]
    header += FORECAST_COLUMNS
    header.append("Tracking meeting actions")
    actions = actions or {}
    body = []
    for row in rows:
        child = row.record
        worker = child.allocated_social_worker
        body.append(
            [
                child.child_id,
                child.first_name,
                child.last_name,
                child.council.name,
                (worker.get_full_name() or worker.username) if worker else "",
                child.get_stage_display() + _early_link_words(child),
                child.entered_care_date,
                child.adm_decision_date,
                child.placement_order_date,
                child.matched_date if child.stage in ("matched", "placed") else None,
                child.placed_date if child.stage == "placed" else None,
                row.days_in_care,
                row.status_label,
                row.nearest,
                row.next_step,
                *_check_cells(row, CHECK_CODES["children"]),
                *_forecast_cells(child),
                _actions_cell(actions.get(child.pk)),
            ]
        )
    return header, body


def household_table(rows: list[Row], actions: dict | None = None) -> tuple[list[str], list[list]]:
    """``actions``: the tracking meeting actions by household id (the last column)."""
    header = [
        "Reference",
        "Applicants",
        "Council recruited in",
        "Stage",
        "Registered",
        "Stage 2 started",
        "Approved",
        "Status",
        "Nearest threshold",
        "Next step",
    ]
    for _, label in CHECK_CODES["households"]:
        header += [f"{label}: days", f"{label}: status"]
    header.append("Tracking meeting actions")
    actions = actions or {}
    body = []
    for row in rows:
        h = row.record
        body.append(
            [
                h.reference,
                h.applicants,
                h.recruiting_council.name if h.recruiting_council else "",
                h.stage
                + (
                    f" (early link with a child since {h.early_linked_since:%d/%m/%Y})"
                    if getattr(h, "early_linked_since", None)
                    else ""
                ),
                h.registration_date,
                h.stage2_start_date,
                h.approval_date,
                row.status_label,
                row.nearest,
                row.next_step,
                *_check_cells(row, CHECK_CODES["households"]),
                _actions_cell(actions.get(h.pk)),
            ]
        )
    return header, body


#: Status cells coloured by the start of their words ("Due within N days": any N).
STATUS_FILLS = {
    checks.STATUS_LABELS[checks.OVER]: "F8D7DA",
    checks.STATUS_LABELS[checks.DUE].partition("{")[0]: "FFF3CD",
}


def as_xlsx(
    sheets: list[tuple[str, list[str], list[list]]], *, about: list[tuple[str, str]]
) -> bytes:
    """A workbook with one sheet per table (header row bold and frozen, dates as dates, status
    cells coloured) and an "About" sheet saying what was exported, when and by what filters."""
    book = Workbook()
    book.remove(book.active)
    for title, header, body in sheets:
        sheet = book.create_sheet(title)
        append_safe_row(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for line in body:
            append_safe_row(sheet, line)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
            values = [line[index - 1] for line in body]
            if any(isinstance(v, date) for v in values):
                for cell in sheet[letter][1:]:
                    cell.number_format = "DD/MM/YYYY"
            if "status" in name.lower():
                for cell in sheet[letter][1:]:
                    text = str(cell.value or "")
                    for prefix, colour in STATUS_FILLS.items():
                        if text.startswith(prefix):
                            cell.fill = PatternFill("solid", fgColor=colour)
        sheet.auto_filter.ref = sheet.dimensions
    info = book.create_sheet("About")
    for key, value in about:
        append_safe_row(info, [key, value])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
