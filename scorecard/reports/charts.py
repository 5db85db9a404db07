"""Server-side SVG line charts for board reports (the trend of a measure over windows).

Plain SVG markup with presentation attributes only (no style attributes, no script), so the same
chart works in the web page under a strict CSP, in WeasyPrint's PDF and when printed. A missing
or suppressed point leaves a gap.
"""

from django.utils.html import escape

WIDTH, HEIGHT = 440, 210
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 28, 44
COLOURS = ["#1d4e6b", "#b45309", "#15803d", "#7c3aed"]
DASHES = ["", "6 4", "2 3", ""]


def _nice_max(value: float) -> float:
    """The top of the axis: four gridline steps of a round size (1, 2, 2.5 or 5 × 10^n)."""
    for exponent in range(12):
        for step in (1, 2, 2.5, 5):
            if 4 * step * 10**exponent >= value:
                return 4 * step * 10**exponent
    return value


def line_chart(chart: dict) -> str:
    """``chart``: {"title", "labels": [...], "series": [{"name", "values": [number|None]}]}.
    Returns the SVG markup (a string safe to place in HTML)."""
    labels = chart["labels"]
    values = [v for s in chart["series"] for v in s["values"] if v is not None]
    top = _nice_max(max(values) if values else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step if len(labels) > 1 else LEFT + plot_w / 2

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h

    title = escape(chart["title"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{title}" class="report-chart">',
        f"<title>{title}</title>",
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold" fill="#212529">{title}</text>',
    ]
    for i in range(5):
        v = top * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#dee2e6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#495057">{v:g}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" '
            f'text-anchor="middle" fill="#495057">{escape(label)}</text>'
        )
    for n, series in enumerate(chart["series"]):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        runs = [run]
        for i, v in enumerate(series["values"]):
            if v is None:
                run = []
                runs.append(run)
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        for points in runs:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        for i, v in enumerate(series["values"]):
            if v is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        lx = LEFT + n * 140
        parts.append(
            f'<line x1="{lx}" x2="{lx + 22}" y1="{HEIGHT - 10}" y2="{HEIGHT - 10}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{lx + 28}" y="{HEIGHT - 6}" font-size="11" fill="#212529">'
            f"{escape(series['name'])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
