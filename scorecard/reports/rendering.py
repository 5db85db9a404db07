"""Rendering a board report from its published figures and narrative: the web page (an HTML
fragment and a standalone document), the PDF (WeasyPrint, same HTML and SVG charts, print CSS)
and the Excel workbook (openpyxl: one sheet per section, figures as numbers).

Every function here is pure in the sense that matters: figures and meta in, bytes or text out,
nothing read from or written to the database.
"""

import io
import logging
from datetime import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from raa.safe_export import append_safe_row
from scorecard.charts import Series, line_chart
from scorecard.reports.suppression import SUPPRESSED

PRINT_CSS = "css/report-print.css"
# WeasyPrint logs every layout step at INFO; keep the logs for what goes wrong.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)
NARRATIVE = [
    ("summary", "Summary"),
    ("going_well", "What is going well"),
    ("risks", "Risks"),
    ("next_steps", "Next steps"),
]


def meta_for(
    *,
    region: str,
    scope_name: str,
    period_label: str,
    version: int | None,
    status: str,
    narrative: dict[str, str],
    published_at: datetime | None = None,
    correction_note: str = "",
) -> dict:
    """What the renderings say about the report besides its figures (JSON-ready)."""
    return {
        "region": region,
        "scope_name": scope_name,
        "period_label": period_label,
        "version": version,
        "status": status,
        "published_at": published_at.strftime("%d/%m/%Y %H:%M") if published_at else "",
        "correction_note": correction_note,
        "narrative": [
            {"key": key, "title": title, "text": narrative.get(key, "")} for key, title in NARRATIVE
        ],
    }


def display(value, kind: str) -> str:
    """A cell as people read it: "–" for none, "c" for suppressed, 1,234 or 54.2."""
    if value is None:
        return "–"
    if value == SUPPRESSED or isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def _computed_label(figures: dict) -> str:
    computed = figures.get("computed_at") or ""
    try:
        return datetime.fromisoformat(computed).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return computed


def draw_chart(chart: dict, slug: str) -> str:
    """A trend chart of the published figures, drawn by the dashboard's chart code (the same
    SVG on the page, in the PDF and in print). Suppressed points are gaps."""
    series = [
        Series(
            s["name"],
            [v if isinstance(v, int | float) else None for v in s["values"]],
            kind=s.get("kind", "data"),
        )
        for s in chart["series"]
    ]
    return line_chart(
        title=chart["title"],
        labels=chart["labels"],
        series=series,
        unit=chart.get("unit", ""),
        label_heading="Window",
        slug=f"report-{slug}",
        # Drawn small so that, two side by side on an A4 page, the text stays readable.
        width=360,
        height=250,
    ).svg


def notes_of(t: dict) -> list[str]:
    """A table's notes, one paragraph each: a note is text, or a list of them (the scorecard's
    England sources); versions frozen before lists came have text."""
    note = t.get("note") or []
    return [note] if isinstance(note, str) else [n for n in note if n]


def template_context(figures: dict, meta: dict) -> dict:
    sections = []
    for section in figures["sections"]:
        tables = []
        for t in section["tables"]:
            kinds = [c["kind"] for c in t["columns"]]
            rows = [
                [
                    {"text": display(cell, kind), "numeric": kind != "text"}
                    for cell, kind in zip(row, kinds, strict=True)
                ]
                for row in t["rows"]
            ]
            tables.append({**t, "display_rows": rows, "notes": notes_of(t)})
        charts = [
            {"title": chart["title"], "svg": draw_chart(chart, f"{section['key']}-{n}")}
            for n, chart in enumerate(section.get("charts", []))
        ]
        sections.append({**section, "tables": tables, "svg_charts": charts})
    return {
        "meta": meta,
        "figures": figures,
        "sections": sections,
        "computed_label": _computed_label(figures),
    }


def render_fragment(figures: dict, meta: dict) -> str:
    """The report as an HTML fragment (an <article>): what the web page shows and the PDF
    prints."""
    return render_to_string("reports/_report_body.html", template_context(figures, meta))


def print_css() -> str:
    path = finders.find(PRINT_CSS)
    with open(path, encoding="utf-8") as f:
        return f.read()


def render_document(fragment: str, meta: dict, *, embed_css: bool) -> str:
    """A standalone HTML document around the fragment. ``embed_css`` puts the print styles in
    the file itself (for a file opened from disk, never a page served under our CSP)."""
    document = render_to_string(
        "reports/report_document.html",
        {"fragment": mark_safe(fragment), "meta": meta},  # noqa: S308 (rendered by our templates)
    )
    if embed_css:
        document = document.replace("</head>", f"<style>{print_css()}</style></head>", 1)
    return document


def render_pdf(fragment: str, meta: dict) -> bytes:
    """The PDF: the same HTML and SVG charts, laid out by WeasyPrint with the print styles.
    A tagged PDF (PDF/UA-1): a screen reader reads its headings, tables and their captions in
    order, and its language and title are set."""
    from weasyprint import CSS, HTML

    document = render_document(fragment, meta, embed_css=False)
    return HTML(string=document).write_pdf(
        stylesheets=[CSS(string=print_css())], pdf_variant="pdf/ua-1"
    )


def render_xlsx(figures: dict, meta: dict) -> bytes:
    """The workbook: an "About" sheet (scope, period, version, narrative), then one sheet per
    section with each of its tables; numbers are numeric cells, suppressed ones the text "c".
    Every row goes through :mod:`raa.safe_export`: narrative text is never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    append_safe_row(about, [f"{meta['scope_name']}: quarterly board report {meta['period_label']}"])
    about["A1"].font = Font(bold=True, size=14)
    append_safe_row(about, ["Region", meta["region"]])
    append_safe_row(about, ["Version", meta["version"], meta["status"]])
    if meta["published_at"]:
        append_safe_row(about, ["Published", meta["published_at"]])
    append_safe_row(about, ["Figures computed", _computed_label(figures)])
    if meta["correction_note"]:
        append_safe_row(about, ["Correction", meta["correction_note"]])
    append_safe_row(
        about,
        [
            "Suppression",
            'Counts from 1 to 5 are shown as "c", and so is any other figure that would give '
            "one away.",
        ],
    )
    append_safe_row(about, [])
    for part in meta["narrative"]:
        append_safe_row(about, [part["title"]])
        about.cell(row=about.max_row, column=1).font = bold
        append_safe_row(about, [part["text"] or "–"])
        about.cell(row=about.max_row, column=1).alignment = Alignment(wrap_text=True)
    about.column_dimensions["A"].width = 100
    formats = {"percent": "0.0", "days": "#,##0", "count": "#,##0"}
    for section in figures["sections"]:
        sheet = workbook.create_sheet(section["title"][:31])
        append_safe_row(sheet, [section["title"]])
        sheet["A1"].font = Font(bold=True, size=13)
        append_safe_row(sheet, [section["intro"]])
        for t in section["tables"]:
            append_safe_row(sheet, [])
            append_safe_row(sheet, [t["title"]])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            append_safe_row(sheet, [c["label"] for c in t["columns"]])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in t["rows"]:
                append_safe_row(sheet, row)
                for cell, column in zip(sheet[sheet.max_row], t["columns"], strict=False):
                    if isinstance(cell.value, float) and not cell.value.is_integer():
                        # a percentage in a column of days (A3 in the scorecard's table): one
                        # decimal place, as on the page, not rounded to whole days
                        cell.number_format = formats["percent"]
                    elif isinstance(cell.value, int | float):
                        cell.number_format = formats.get(column["kind"], "General")
                    elif cell.value == SUPPRESSED:
                        cell.alignment = Alignment(horizontal="right")
            for note in notes_of(t):
                append_safe_row(sheet, [note])
        sheet.column_dimensions["A"].width = 70
        for i in range(2, 10):
            sheet.column_dimensions[get_column_letter(i)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
