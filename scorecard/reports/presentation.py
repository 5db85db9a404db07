"""From raw figures to what a board reads: sections of titled tables and charts, with small
numbers suppressed (:mod:`scorecard.reports.suppression`).

The result is the *published figures*: a JSON-ready dict that every rendering (web page, PDF,
Excel) is drawn from, and the snapshot a published version freezes. A cell is a number, ``"c"``
(suppressed), ``None`` (not applicable or not known: shown as "–") or text.
"""

from scorecard import periods as P
from scorecard.measures import MEASURES, SCORECARD_CODES, meets_threshold
from scorecard.reports.extras import present_extras
from scorecard.reports.figures import ACTIVITY, TIMELINE
from scorecard.reports.suppression import (
    SUPPRESSED,
    is_small,
    suppress_count,
    suppress_group,
    suppress_mean,
    suppress_share,
)

TEXT, COUNT, DAYS, PERCENT = "text", "count", "days", "percent"


def col(label: str, kind: str = COUNT) -> dict:
    return {"label": label, "kind": kind}


def table(title: str, columns: list[dict], rows: list[list], note: str | list[str] = "") -> dict:
    """A titled table; ``note`` is a sentence under it, or several (one paragraph each)."""
    return {"title": title, "columns": columns, "rows": rows, "note": note}


def _hidden(value) -> bool:
    return value == SUPPRESSED


def _suppress_subsets(values: dict, pairs: list[tuple[str, str]]) -> dict:
    """Counts where some are parts of others (with a placement order ⊂ waiting). A part and
    its whole both shown give away the rest (whole minus part); when that rest is 1 to 5 the
    part is suppressed too."""
    shown = {key: suppress_count(value) for key, value in values.items()}
    changed = True
    while changed:
        changed = False
        for part, whole in pairs:
            if _hidden(shown[part]) or _hidden(shown[whole]):
                continue
            if is_small(values[whole] - values[part]):
                shown[part] = SUPPRESSED
                changed = True
    return shown


def _share(numerator, denominator, shown_numerator, shown_denominator):
    """A percentage of shown counts; suppressed with either of them."""
    if _hidden(shown_numerator) or _hidden(shown_denominator) or not denominator:
        return SUPPRESSED if (_hidden(shown_numerator) or _hidden(shown_denominator)) else None
    return round(100 * numerator / denominator, 1)


def scorecard_section(raw: dict, suppress: bool) -> dict:
    card = raw["scorecard"]
    measures = card["measures"]
    rows = []
    for code in SCORECARD_CODES:
        m = measures[code]
        label = MEASURES[code].report_label.format(months=m.get("threshold"))
        if code == "A3":
            value, numerator, denominator = m["value"], m.get("numerator"), m["denominator"]
            if suppress:
                value, numerator, denominator = suppress_share(value, numerator, denominator)
            threshold = f"less than {m['threshold']} months"
            meets = None
        else:
            value, denominator = m["value"], m["denominator"]
            if suppress:
                value = suppress_mean(value, denominator)
                denominator = suppress_count(denominator)
            threshold = m.get("threshold")
            met = meets_threshold(code, value, threshold) if isinstance(value, int) else None
            meets = None if met is None else ("Yes" if met else "No")
        england = m.get("national")
        if england is None and "england" in m:
            england = NONE_PUBLISHED
        rows.append([label, value, denominator, threshold, england, meets])
    trend_rows = []
    for point in card["trend"]:
        row = [point["window"]]
        for code in ("A1", "A2"):
            m = point["measures"][code]
            row.append(suppress_mean(m["value"], m["denominator"]) if suppress else m["value"])
            row.append(point["thresholds"][code])
        a3 = point["measures"]["A3"]
        value = a3["value"]
        if suppress:
            value = suppress_share(value, a3.get("numerator"), a3["denominator"])[0]
        row.append(value)
        trend_rows.append(row)
    chart_series = []
    for code, index in (("A1", 1), ("A2", 3)):
        chart_series.append(
            {
                "title": f"{code} by scorecard window (mean days; lower is better)",
                "labels": [r[0] for r in trend_rows],
                "unit": "days",
                "series": [
                    {"name": code, "values": [_number(r[index]) for r in trend_rows]},
                    {
                        "name": "Threshold",
                        "values": [r[index + 1] for r in trend_rows],
                        "kind": "threshold",
                    },
                ]
                + _national_series(card["trend"], code),
            }
        )
    return {
        "key": "scorecard",
        "title": "Adoption Scorecard",
        "intro": f"Children adopted in the three years {card['window']} (1 April to 31 March), "
        "against the thresholds and the England figures. A1, A10 and A2 meet the threshold "
        "when at or below it.",
        "tables": [
            table(
                f"Scorecard {card['window']}",
                [
                    col("Measure", TEXT),
                    col("Value", DAYS),
                    col("Children", COUNT),
                    col("Threshold", DAYS),
                    col("England", DAYS),
                    col("Meets threshold", TEXT),
                ],
                rows,
                note=[
                    "A3 is a percentage; its threshold is a number of months.",
                    *england_notes(card["window"], measures),
                ],
            ),
            table(
                "Trend over scorecard windows",
                [
                    col("Window", TEXT),
                    col("A1 days", DAYS),
                    col("A1 threshold", DAYS),
                    col("A2 days", DAYS),
                    col("A2 threshold", DAYS),
                    col("A3 %", PERCENT),
                ],
                trend_rows,
            ),
        ],
        "charts": chart_series,
    }


#: The England column where no England figure is published for the report's window.
NONE_PUBLISHED = "none published"


def england_notes(window: str, measures: dict) -> list[str]:
    """Where each England figure comes from, or that none is published for the window (with
    the latest one published before it, when there is one). Never a figure of our own."""
    notes, none = [], []
    for code in SCORECARD_CODES:
        england = measures[code].get("england")
        if england is None:
            continue  # figures frozen before the England column said where it came from
        if england["value"] is not None:
            unit = MEASURES[code].unit
            figure = f"{england['value']:g}{'%' if unit == '%' else ' ' + unit}"
            about = "; ".join(
                part
                for part in (england["note"], england["source"] and f"source: {england['source']}")
                if part
            )
            notes.append(
                f"England {code} for {window}: {figure}" + (f" ({about})." if about else ".")
            )
        elif england["latest"]:
            notes.append(
                f"No England figure for {code} has been published for {window} "
                f"({england['latest']})."
            )
        else:
            none.append(code)
    if none:
        codes = ", ".join(none[:-1]) + (" or " if len(none) > 1 else "") + none[-1]
        notes.append(f"No England figure for {codes} has been published for {window}.")
    return notes


def _national_series(trend: list[dict], code: str) -> list[dict]:
    values = [point.get("national", {}).get(code) for point in trend]
    if not any(v is not None for v in values):
        return []
    return [{"name": "England", "values": values, "kind": "national"}]


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def activity_section(
    raw: dict, suppress: bool, *, hide_totals: frozenset = frozenset()
) -> tuple[dict, dict]:
    """Returns the section and which year-to-date totals it suppressed (other tables repeat
    them). ``hide_totals`` names totals another table had to hide."""
    activity = raw["activity"]
    quarters = [activity["quarters"].get(name) for name in P.QUARTER_NAMES]
    rows, hidden_totals = [], {}
    for key, label, _field in ACTIVITY:
        cells = [q[key] if q else None for q in quarters]
        total = activity["total"][key]
        if suppress:
            cells, total = suppress_group(cells, total, total_suppressed=key in hide_totals)
        hidden_totals[key] = _hidden(total)
        rows.append([label, *cells, total])
    section = {
        "key": "activity",
        "title": "Quarterly activity",
        "intro": f"Events dated in each quarter of {raw['year']}, and the year to date.",
        "tables": [
            table(
                f"Activity {raw['year']}",
                [
                    col("Activity", TEXT),
                    *(col(name) for name in P.QUARTER_NAMES),
                    col("Year to date"),
                ],
                rows,
                note="Quarters after this report's quarter are shown as –.",
            )
        ],
        "charts": [],
    }
    return section, hidden_totals


def timeline_section(raw: dict, suppress: bool) -> dict:
    timeline = raw["timeline"]
    current, previous = timeline["current"], timeline["previous"]
    rows = []
    for key, label, _field in TIMELINE:
        now, before = current["milestones"][key], previous["milestones"][key]
        value, count, last = now["mean_days"], now["children"], before["mean_days"]
        if suppress:
            value = suppress_mean(value, count)
            last = suppress_mean(last, before["children"])
            count = suppress_count(count)
        change = verdict = None
        if isinstance(value, int) and isinstance(last, int):
            change = value - last
            verdict = "Better" if change < 0 else ("Worse" if change > 0 else "Same")
        rows.append([label, value, count, last, change, verdict])
    placed = current["children"]
    return {
        "key": "timeline",
        "title": "Milestone timeline",
        "intro": "For children placed for adoption in the quarter: the mean days from entering "
        f"care to each milestone, against {timeline['previous_label']}. Fewer days is better.",
        "tables": [
            table(
                "Days from entering care",
                [
                    col("Milestone", TEXT),
                    col("Mean days", DAYS),
                    col("Children", COUNT),
                    col(f"Mean days {timeline['previous_label']}", DAYS),
                    col("Change (days)", DAYS),
                    col("Better or worse", TEXT),
                ],
                rows,
                note="Children placed in the quarter: "
                f"{suppress_count(placed) if suppress else placed}.",
            )
        ],
        "charts": [],
    }


def cohort_section(raw: dict, suppress: bool) -> dict | None:
    cohort = raw.get("cohort")
    if not cohort:
        return None
    columns = []
    for name in ("before", "after"):
        part = cohort[name]
        n = part["children"]
        to_placed = part["mean_days_to_placed"]
        to_decision = part["mean_days_to_decision"]
        within = part["placed_within"]
        after_po = part["placed_after_po"]
        pct_within = _pct(within)
        pct_after_po = _pct(after_po)
        if suppress:
            to_placed = suppress_mean(to_placed, n)
            to_decision = suppress_mean(to_decision, part["decisions"])
            pct_within = suppress_share(pct_within, within["numerator"], within["denominator"])[0]
            pct_after_po = suppress_share(
                pct_after_po, after_po["numerator"], after_po["denominator"]
            )[0]
            n = suppress_count(n)
        columns.append([n, to_placed, pct_within, to_decision, pct_after_po])
    labels = [
        "Children placed",
        "Mean days entering care to placed",
        f"% placed in less than {cohort['months']} months of entering care",
        "Mean days entering care to ADM decision",
        f"% placed less than {cohort['po_months']} months after the placement order",
    ]
    rows = [[label, columns[0][i], columns[1][i]] for i, label in enumerate(labels)]
    return {
        "key": "cohort",
        "title": "Cohort comparison",
        "intro": f"Children placed from {_uk(cohort['before']['from'])} to "
        f"{_uk(cohort['before']['to'])} against those placed from {_uk(cohort['after']['from'])} "
        f"to {_uk(cohort['after']['to'])}.",
        "tables": [
            table(
                "Before and after",
                [col("Measure", TEXT), col("Placed before", DAYS), col("Placed on or after", DAYS)],
                rows,
            )
        ],
        "charts": [],
    }


def _pct(share: dict):
    if not share["denominator"]:
        return None
    return round(100 * share["numerator"] / share["denominator"], 1)


def _uk(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


WAITING_ROWS = [
    ("waiting", "Children waiting (ADM decision made, not yet placed)"),
    ("with_po", "of whom with a placement order"),
    ("over_18m_care", "waiting 18 months or more since entering care"),
    ("over_12m_po", "waiting 12 months or more since the placement order"),
    ("over_18m_po", "waiting 18 months or more since the placement order"),
]
HARDER_ROWS = [
    ("aged_5_plus", "Aged 5 or over"),
    ("ethnic_minority", "From an ethnic minority"),
    ("disabled", "Disabled"),
    ("siblings", "In a sibling group to be placed together"),
]


def waiting_section(raw: dict, suppress: bool, *, waiting_hidden: bool = False) -> dict:
    waiting = raw["waiting"]
    keys = [k for k, _ in WAITING_ROWS] + [k for k, _ in HARDER_ROWS]
    values = {k: waiting[k] for k in keys}
    pairs = [
        ("with_po", "waiting"),
        ("over_18m_care", "waiting"),
        ("over_12m_po", "with_po"),
        ("over_18m_po", "over_12m_po"),
    ] + [(k, "waiting") for k, _ in HARDER_ROWS]
    shown = _suppress_subsets(values, pairs) if suppress else dict(values)
    if suppress and waiting_hidden:
        shown["waiting"] = SUPPRESSED
    rows = [[label, shown[key]] for key, label in WAITING_ROWS]
    harder = [
        [
            label,
            shown[key],
            _share(values[key], values["waiting"], shown[key], shown["waiting"]),
        ]
        for key, label in HARDER_ROWS
    ]
    return {
        "key": "waiting",
        "title": "Children waiting",
        "intro": f"Children with an adoption decision who were not yet placed at "
        f"{_uk(waiting['at'])}.",
        "tables": [
            table("Waiting", [col("Children", TEXT), col("Number")], rows),
            table(
                "Harder to place (of those waiting)",
                [col("Group", TEXT), col("Number"), col("% of those waiting", PERCENT)],
                harder,
                note="A child may be in more than one group.",
            ),
        ],
        "charts": [],
    }


def adopters_section(raw: dict, suppress: bool) -> dict:
    a = raw["adopters"]
    counts = {
        k: a[k]
        for k in (
            "enquiries",
            "registrations",
            "approvals",
            "approved",
            "awaiting_assessment",
            "approvals_with_registration",
            "approved_within_6m",
        )
    }
    shown = {k: suppress_count(v) for k, v in counts.items()} if suppress else dict(counts)
    pct = _pct(
        {"numerator": a["approved_within_6m"], "denominator": a["approvals_with_registration"]}
    )
    within, of = a["approved_within_6m"], a["approvals_with_registration"]
    if suppress:
        pct, within, of = suppress_share(pct, within, of)
    a12_n, matched = a.get("matched_after_3m"), a.get("matched")
    a12 = _pct({"numerator": a12_n or 0, "denominator": matched or 0})
    if suppress:
        a12, a12_n, matched = suppress_share(a12, a12_n, matched)
    rows = [
        ["Enquiries", shown["enquiries"], None],
        ["Registrations of interest (Stage 1 starts)", shown["registrations"], None],
        ["Households approved", shown["approvals"], None],
        ["Approved within 6 months of registration", within, pct],
        ["Approved households waiting to be matched at the quarter end (A11)", shown["approved"]]
        + [None],
        ["Matched after waiting 3 months or more from approval (A12)", a12_n, a12],
        ["Applications still to be assessed at the quarter end (A13)"]
        + [shown["awaiting_assessment"], None],
    ]
    return {
        "key": "adopters",
        "title": "Adopter recruitment",
        "intro": "Prospective adopter households in the quarter and at its end.",
        "tables": [
            table(
                "Households",
                [col("Measure", TEXT), col("Households"), col("%", PERCENT)],
                rows,
                note=f"Approved within 6 months: of {of} households approved in the quarter "
                "with a registration date.",
            )
        ],
        "charts": [],
    }


def councils_section(raw: dict, suppress: bool, *, hidden_totals: dict) -> dict:
    councils = raw["councils"]
    waiting = [c["waiting"] for c in councils]
    orders = [c["adoption_orders"] for c in councils]
    waiting_total, orders_total = sum(waiting), sum(orders)
    if suppress:
        region = raw["scope"]["kind"] == "region"
        waiting, waiting_total = suppress_group(
            waiting, waiting_total, total_suppressed=region and hidden_totals.get("waiting", False)
        )
        orders, orders_total = suppress_group(
            orders,
            orders_total,
            total_suppressed=region and hidden_totals.get("adoption_orders", False),
        )
    # The councils' cohorts add up to the region's, which the report shows: one council's small
    # cohort alone could be worked out from the others, so each column is a group.
    cohorts = {}
    for code in ("A1", "A2"):
        counts = [c[code]["denominator"] for c in councils]
        cohorts[code] = (
            suppress_group(counts, sum(n or 0 for n in counts))[0] if suppress else counts
        )
    a3_numerators = [c["A3"].get("numerator") for c in councils]
    a3_hidden = (
        suppress_group(a3_numerators, sum(n or 0 for n in a3_numerators))[0]
        if suppress
        else a3_numerators
    )
    rows = []
    for i, c in enumerate(councils):
        row = [f"{c['name']} ({c['code']})"]
        for code in ("A1", "A2"):
            value, n = c[code]["value"], cohorts[code][i]
            if suppress and _hidden(n):
                value = SUPPRESSED
            row += [value, n]
        a3 = c["A3"]
        a3_value = a3["value"]
        if suppress:
            a3_value = suppress_share(a3_value, a3.get("numerator"), a3["denominator"])[0]
            if _hidden(a3_hidden[i]) or _hidden(cohorts["A1"][i]):
                a3_value = SUPPRESSED
        row += [a3_value, waiting[i], orders[i]]
        rows.append(row)
    rows.append(["All partner councils", None, None, None, None, None, waiting_total, orders_total])
    return {
        "key": "councils",
        "title": "Partner councils compared",
        "intro": f"Scorecard {raw['scorecard']['window']} for each partner council, children "
        f"waiting at the quarter end and adoption orders in {raw['year']} to date.",
        "tables": [
            table(
                "Councils",
                [
                    col("Council", TEXT),
                    col("A1 days", DAYS),
                    col("A1 children"),
                    col("A2 days", DAYS),
                    col("A2 children"),
                    col("A3 %", PERCENT),
                    col("Waiting"),
                    col("Adoption orders (year to date)"),
                ],
                rows,
            )
        ],
        "charts": [],
    }


def present(raw: dict, *, suppress: bool = True) -> dict:
    """The published figures: sections of tables and charts, small numbers suppressed."""
    activity, hidden_totals = activity_section(raw, suppress)
    waiting = waiting_section(raw, suppress)
    hidden_totals["waiting"] = _hidden(waiting["tables"][0]["rows"][0][1])
    sections = [
        scorecard_section(raw, suppress),
        activity,
        timeline_section(raw, suppress),
        cohort_section(raw, suppress),
        waiting,
        adopters_section(raw, suppress),
        councils_section(raw, suppress, hidden_totals=hidden_totals),
    ]
    # A region's council comparison may have had to hide its totals; the same figures stand in
    # the activity and waiting tables, so hide them there too (with what that entails).
    if suppress and raw["scope"]["kind"] == "region":
        totals = sections[-1]["tables"][0]["rows"][-1]
        if _hidden(totals[6]) and not hidden_totals["waiting"]:
            sections[4] = waiting_section(raw, suppress, waiting_hidden=True)
        if _hidden(totals[7]) and not hidden_totals["adoption_orders"]:
            sections[1] = activity_section(
                raw, suppress, hide_totals=frozenset({"adoption_orders"})
            )[0]
    # Sections other apps add through the hook (the forecast's projection), each after the
    # section it names; added last, so the indexes above still hold.
    for after, extra in present_extras(raw, suppress):
        keys = [s["key"] if s else None for s in sections]
        at = keys.index(after) + 1 if after in keys else len(sections)
        sections.insert(at, extra)
    return {
        "scope": raw["scope"],
        "region": raw["region"],
        "year": raw["year"],
        "quarter": raw["quarter"],
        "period": raw["period"],
        "computed_at": raw["computed_at"],
        "suppressed": suppress,
        "sections": [s for s in sections if s],
    }
