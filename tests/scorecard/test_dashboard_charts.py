"""Server-side SVG charts (scorecard/charts.py): a function from figures to an SVG string that
the page and the board report PDF both use, with its figures as a table."""

import xml.etree.ElementTree as ET

from scorecard.charts import Series, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(str(chart.svg))


def test_a_line_chart_is_an_accessible_svg_image_with_its_figures_in_a_table():
    chart = line_chart(
        title="A1 over the windows",
        labels=["2019-22", "2020-23", "2021-24"],
        series=[
            Series("Council", [512, None, 480]),
            Series("Threshold", [426, 426, 426], "threshold"),
        ],
        unit="days",
        label_heading="Window",
        slug="a1",
    )
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "a1-title a1-desc"
    assert root.find(f"{SVG}title").text == "A1 over the windows"
    desc = root.find(f"{SVG}desc").text
    assert "2019-22 to 2021-24" in desc and "Council 480 days in 2021-24" in desc
    # One point per known value; the gap in 2020-23 leaves no line through it.
    assert len(root.findall(f"{SVG}circle")) == 2
    polylines = root.findall(f"{SVG}polyline")
    assert len(polylines) == 1  # the council's two points are not joined; the threshold is
    assert polylines[0].get("stroke-dasharray")
    header, rows = chart.table
    assert header == ["Window", "Council", "Threshold"]
    assert rows == [["2019-22", "512", "426"], ["2020-23", "–", "426"], ["2021-24", "480", "426"]]
    # No style attributes anywhere (content security policy), colours are attributes.
    assert "style=" not in str(chart.svg)


def test_text_from_the_data_is_escaped():
    chart = bar_chart(
        title="Names <b>",
        labels=["<script>alert(1)</script>"],
        series=[Series("A & B", [3])],
    )
    text = str(chart.svg)
    assert "<script>" not in text and "&lt;script&gt;" in text
    parse(chart)  # well-formed XML


def test_bars_are_as_tall_as_their_values_on_a_round_axis():
    chart = bar_chart(title="Activity", labels=["Q1", "Q2"], series=[Series("Placed", [10, 5])])
    bars = [r for r in parse(chart).findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = [float(b.get("height")) for b in bars]
    assert abs(heights[0] - 2 * heights[1]) < 0.2
    assert nice_ceiling(10) == (10, 2) and nice_ceiling(683)[0] == 800


def test_an_empty_chart_still_draws():
    chart = line_chart(title="Nothing yet", labels=[], series=[Series("A1", [])])
    assert "no figures yet" in parse(chart).find(f"{SVG}desc").text
