"""Charts drawn on the server as SVG: one function from figures to an SVG string.

The same SVG serves the dashboard (inline in the page) and the board report PDF (WeasyPrint
draws SVG), so charts need no JavaScript and no network. Colours are SVG presentation
attributes, never ``style`` (the pages' content security policy forbids inline styles).

Every chart is an image with a title and a one-sentence description for screen readers
(``role="img"``, ``<title>``, ``<desc>``); pages put the same figures in a table beside it
(:meth:`Chart.table`).

    chart = line_chart(
        title="A1 over the windows",
        labels=["2019-22", "2020-23"],
        series=[Series("Council", [512, 480]), Series("Threshold", [426, 426], kind="threshold")],
        unit="days",
    )
    chart.svg    # '<svg ...>...</svg>'
    chart.table  # (["Window", "Council", "Threshold"], [["2019-22", "512", "426"], ...])
"""

import math
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d4e6b", "#d9822b", "#3a8d5c", "#7b4f9d", "#b03060", "#5a6b7b", "#2a9d8f"]
THRESHOLD_COLOUR = "#b02a37"
NATIONAL_COLOUR = "#6c757d"
GRID_COLOUR = "#e3e7eb"
TEXT_COLOUR = "#3b4650"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class Series:
    """One line (or one set of bars). ``kind``: "data", "threshold" (red dashes) or
    "national" (grey dashes). ``None`` is a gap."""

    name: str
    values: list
    kind: str = "data"
    colour: str | None = None
    #: What the table beside the chart says for a gap ("none published" for England).
    missing: str = "–"


@dataclass
class Chart:
    svg: SafeString
    title: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    label_heading: str = ""
    unit: str = ""
    #: Sentences the page prints under the chart's table (where England has no figure, ...).
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> tuple[list[str], list[list[str]]]:
        """The chart's figures as a table: a header row and one row per label."""
        header = [self.label_heading or "", *[s.name for s in self.series]]
        rows = [
            [label, *[_cell(s, i, self.unit) for s in self.series]]
            for i, label in enumerate(self.labels)
        ]
        return header, rows

    def __str__(self) -> str:
        return str(self.svg)


def _cell(series: Series, i: int, unit: str = "") -> str:
    """A table cell: a percentage always with its one decimal place (A.1), "12.0" not "12"."""
    value = series.values[i] if i < len(series.values) else None
    if value is None:
        return series.missing
    return f"{value:.1f}" if unit == "%" else fmt(value)


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for the axis at or above ``value`` and the step between its 4-6 ticks."""
    if value <= 0:
        return 1.0, 0.25
    exponent = math.floor(math.log10(value))
    for step_base in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = step_base * 10**exponent
        top = math.ceil(value / step) * step
        if top / step <= 6:
            return top, step
    return value, value / 5


def _text(
    x, y, content, *, size=11, anchor="middle", colour=TEXT_COLOUR, weight="normal", rotate=None
):
    transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}" font-family="{escape(FONT)}"{transform}>'
        f"{escape(str(content))}</text>"
    )


def _frame(width, height, title, desc, slug) -> tuple[str, str]:
    ident = escape(slug)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="raa-chart">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    )
    return head, "</svg>"


def _axis(left, top, plot_w, plot_h, top_value, step, unit) -> list[str]:
    parts = []
    ticks = int(round(top_value / step))
    for i in range(ticks + 1):
        value = i * step
        y = top + plot_h - plot_h * value / top_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, fmt(float(value)), anchor="end", size=10))
    if unit:
        parts.append(_text(left - 6, top - 8, unit, anchor="end", size=10))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="#9aa5b1" stroke-width="1"/>'
    )
    return parts


def _legend_rows(series: list[Series], width) -> int:
    """How many rows the legend takes, laid out exactly as :func:`_legend` draws it."""
    rows, cx = 1, 0.0
    for s in series:
        label_w = 26 + 6.5 * len(s.name)
        if cx and cx + label_w > width:
            rows, cx = rows + 1, 0.0
        cx += label_w + 12
    return rows


def _legend(series: list[Series], x, y, width) -> list[str]:
    parts, cx, cy = [], x, y
    for s in series:
        label_w = 26 + 6.5 * len(s.name)
        if cx > x and cx + label_w > x + width:
            cx, cy = x, cy + 16
        dash = ' stroke-dasharray="5 4"' if s.kind != "data" else ""
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy - 4:.1f}" x2="{cx + 18:.1f}" y2="{cy - 4:.1f}" '
            f'stroke="{s.colour}" stroke-width="3"{dash}/>'
        )
        parts.append(_text(cx + 22, cy, s.name, anchor="start", size=11))
        cx += label_w + 12
    return parts


def _colour(series: list[Series]) -> None:
    data_index = 0
    for s in series:
        if s.colour:
            continue
        if s.kind == "threshold":
            s.colour = THRESHOLD_COLOUR
        elif s.kind == "national":
            s.colour = NATIONAL_COLOUR
        else:
            s.colour = PALETTE[data_index % len(PALETTE)]
            data_index += 1


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    unit: str = "",
    label_heading: str = "",
    slug: str = "chart",
    width: int = 640,
    height: int = 280,
) -> Chart:
    """Lines over ``labels`` (windows, years, quarters). Threshold and national series are
    drawn dashed. A point with no value leaves a gap."""
    _colour(series)
    left, right, top = 56, 16, 24
    legend_rows = _legend_rows(series, width - left - right)
    height += 16 * (legend_rows - 1)
    bottom = 44 + 16 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value, step = nice_ceiling(max(values) if values else 1)
    head, tail = _frame(width, height, title, _describe(title, labels, series, unit), slug)
    parts = [head, *_axis(left, top, plot_w, plot_h, top_value, step, unit)]
    n = max(len(labels), 1)
    gap = plot_w / n

    def xy(i, v):
        return left + gap * (i + 0.5), top + plot_h - plot_h * v / top_value

    every = max(1, math.ceil(n / 10))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            x, _ = xy(i, 0)
            if x + 3 * len(label) > left + plot_w:  # a long last label ends at the plot's edge
                parts.append(_text(left + plot_w, top + plot_h + 16, label, size=10, anchor="end"))
            else:
                parts.append(_text(x, top + plot_h + 16, label, size=10))
    for s in series:
        dash = ' stroke-dasharray="6 4"' if s.kind != "data" else ""
        width_px = 3 if s.kind == "data" else 2
        run: list[str] = []
        for i, v in enumerate(s.values + [None]):
            if v is None:
                if len(run) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" '
                        f'stroke-width="{width_px}" stroke-linejoin="round"{dash}/>'
                    )
                run = []
                continue
            x, y = xy(i, v)
            run.append(f"{x:.1f},{y:.1f}")
        if s.kind in ("data", "national"):
            # Data points are dots; England's published figures, often single years apart,
            # are open rings so that a lone one still shows.
            fill = s.colour if s.kind == "data" else "#ffffff"
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                x, y = xy(i, v)
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" '
                    f'stroke="{s.colour}" stroke-width="2">'
                    f"<title>{escape(f'{s.name}, {labels[i]}: {fmt(v)} {unit}'.strip())}</title>"
                    "</circle>"
                )
    parts += _legend(series, left, height - 12 - 16 * (legend_rows - 1), plot_w)
    parts.append(tail)
    return Chart(mark_safe("".join(parts)), title, labels, series, label_heading, unit)  # noqa: S308


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    unit: str = "",
    label_heading: str = "",
    slug: str = "chart",
    width: int = 640,
    height: int = 280,
) -> Chart:
    """Grouped bars: one group per label, one bar per series, each bar labelled with its
    value."""
    _colour(series)
    left, right, top = 56, 16, 24
    legend_rows = _legend_rows(series, width - left - right)
    height += 16 * (legend_rows - 1)
    bottom = 44 + 16 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value, step = nice_ceiling(max(values) if values else 1)
    head, tail = _frame(width, height, title, _describe(title, labels, series, unit), slug)
    parts = [head, *_axis(left, top, plot_w, plot_h, top_value, step, unit)]
    n = max(len(labels), 1)
    group = plot_w / n
    bar = min(36.0, group * 0.8 / max(len(series), 1))
    for i, label in enumerate(labels):
        gx = left + group * i + (group - bar * len(series)) / 2
        parts.append(_text(left + group * (i + 0.5), top + plot_h + 16, label, size=10))
        for j, s in enumerate(series):
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            h = plot_h * v / top_value
            x, y = gx + bar * j, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}" rx="2">'
                f"<title>{escape(f'{s.name}, {label}: {fmt(v)} {unit}'.strip())}</title></rect>"
            )
            if bar >= 14:
                parts.append(_text(x + (bar - 2) / 2, y - 3, fmt(v), size=9))
    parts += _legend(series, left, height - 12 - 16 * (legend_rows - 1), plot_w)
    parts.append(tail)
    return Chart(mark_safe("".join(parts)), title, labels, series, label_heading, unit)  # noqa: S308


def _describe(title: str, labels: list[str], series: list[Series], unit: str) -> str:
    """One sentence for screen readers: the range covered and each data series' latest value."""
    if not labels:
        return f"{title}: no figures yet."
    latest = []
    for s in series:
        known = [
            (labels[i], v) for i, v in enumerate(s.values) if v is not None and i < len(labels)
        ]
        if known:
            label, value = known[-1]
            latest.append(f"{s.name} {fmt(value)}{(' ' + unit) if unit else ''} in {label}")
    span = labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"
    return (
        f"{title}, {span}. Latest: " + "; ".join(latest) + ". The table beside it has every figure."
    )
