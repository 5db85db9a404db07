"""Every measure of DOMAIN.md Part A, each defined once.

A measure family (``journeys``, ``adopters``) computes *raw* figures in the database: for each
council (or households recruited by no council) and each period, integers only: ``sum`` (days
behind a mean, or a count), ``numerator``, ``denominator`` and ``excluded`` (reason -> children).
Raw figures add up, so a region's figure is the sum of its councils'. :func:`finalise` turns a
raw figure into the stored result with its value rounded as A.1 says.
"""

import json
from dataclasses import dataclass

from scorecard.periods import window
from scorecard.reference import A3_MONTHS_FALLBACK, SCORECARD_THRESHOLDS

MEAN = "mean"  # value = sum / denominator, whole days, halves away from zero
PERCENT = "percent"  # value = numerator / denominator * 100, one decimal place
COUNT = "count"  # value = sum
#: What a value of each kind is in, as pages and charts write it after the number.
UNITS = {MEAN: "days", PERCENT: "%", COUNT: ""}


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    kind: str
    group: str
    definition: str
    lower_is_better: bool | None = None
    threshold: str | None = None  # "a1_days", "a2_days", "a3_months"
    #: The wording of the board report, where it differs from ``label`` ("{months}": A3's N).
    report_label: str = ""

    @property
    def unit(self) -> str:
        """What a value is in: "days" for a mean, "%" for a percentage, nothing for a count."""
        return UNITS[self.kind]

    def label_for(self, threshold) -> str:
        """The label with the window's own threshold in place of "N" ("A3: placed in less than
        14 months of entering care (%)"), when there is one."""
        if threshold is None or " N months" not in self.label:
            return self.label
        return self.label.replace(" N months", f" {int(threshold)} months")


_A1 = (
    "Children whose adoption order date is in the period: mean calendar days from entering care "
    "(start of the period of care that holds the adoption) to being placed for adoption with the "
    "family who adopted them (after a disruption, the later placement). A placement that ended in "
    "a disruption is never the one measured: a child adopted with no adoptive placement after it "
    "has no placed date and is left out."
)
MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        Measure(
            "A1",
            "A1: entering care to moving in (days)",
            MEAN,
            "scorecard",
            _A1,
            True,
            "a1_days",
            "A1: entering care to moving in with the adoptive family (mean days)",
        ),
        Measure(
            "A10",
            "A10: entering care to moving in, adjusted for foster-carer adoptions (days)",
            MEAN,
            "scorecard",
            "As A1, but for a child adopted by their foster carers the end date is the date they "
            "started living with those carers (the placed date if that date is missing).",
            True,
            "a1_days",
            "A10: as A1, counting from when foster carers who adopt took the child (mean days)",
        ),
        Measure(
            "A2",
            "A2: placement order to match decision (days)",
            MEAN,
            "scorecard",
            "Children whose adoption order date is in the period, with a placement (or freeing) "
            "order and a match: mean calendar days from the order to the match decision; a match "
            "before the order counts as 0. Consent-only children are excluded.",
            True,
            "a2_days",
            "A2: placement order to match with a family (mean days)",
        ),
        Measure(
            "A3",
            "A3: placed in less than N months of entering care (%)",
            PERCENT,
            "scorecard",
            "Of the A1 children: the percentage (and number) placed for adoption less than N "
            "calendar months after entering care, N from the threshold table "
            f"({A3_MONTHS_FALLBACK} from {window(SCORECARD_THRESHOLDS[-1][0]).label}).",
            False,
            "a3_months",
            "A3: children placed in less than {months} months of entering care (%)",
        ),
        # A.4: activity, counted by the date of the event inside the period.
        Measure(
            "adm_decisions",
            "ADM decisions (should be placed)",
            COUNT,
            "activity",
            "ADM decisions that the child should be placed for adoption dated in the period.",
        ),
        Measure(
            "placement_orders",
            "Placement orders granted",
            COUNT,
            "activity",
            "Placement (or freeing) orders dated in the period; consent is not an order.",
        ),
        Measure("matched", "Matched", COUNT, "activity", "Match decisions dated in the period."),
        Measure(
            "placed",
            "Placed for adoption",
            COUNT,
            "activity",
            "Placements with prospective adopters dated in the period (one that later disrupted "
            "still counts here; the disruption counts in its own period).",
        ),
        Measure(
            "adoption_orders",
            "Adoption orders granted",
            COUNT,
            "activity",
            "Adoption orders dated in the period.",
        ),
        Measure(
            "plan_changes",
            "Changes of plan away from adoption",
            COUNT,
            "activity",
            "Decisions that a child should no longer be placed for adoption, in the period.",
        ),
        Measure(
            "disruptions",
            "Disruptions",
            COUNT,
            "activity",
            "Adoptive placements that ended before the order, in the period.",
        ),
        # A.5: children waiting at the end of the period.
        Measure(
            "waiting",
            "A9: children waiting at the period end",
            COUNT,
            "waiting",
            "ADM decision made, not placed, plan not reversed, not adopted, at the last day "
            "of the period (after a disruption the child waits again).",
        ),
        Measure(
            "waiting_with_po",
            "waiting, with a placement order",
            COUNT,
            "waiting",
            "Of those waiting: a placement (or freeing) order on or before the date.",
        ),
        Measure(
            "waiting_18m_in_care",
            "waiting, 18+ months since entering care",
            COUNT,
            "waiting",
            "Of those waiting: 18 calendar months or more since entering care.",
        ),
        Measure(
            "waiting_12m_po",
            "waiting, 12+ months since the placement order",
            COUNT,
            "waiting",
            "Of those waiting with an order: 12 months or more since it.",
        ),
        Measure(
            "waiting_18m_po",
            "waiting, 18+ months since the placement order",
            COUNT,
            "waiting",
            "Of those waiting with an order: 18 months or more since it.",
        ),
        Measure(
            "waiting_aged_5",
            "harder to place: aged 5 or over",
            COUNT,
            "waiting",
            "Of those waiting: aged 5 or over at the date.",
        ),
        Measure(
            "waiting_minority",
            "harder to place: ethnic minority",
            COUNT,
            "waiting",
            "Of those waiting: any ethnicity outside the White group (W*), not REFU or NOBT.",
        ),
        Measure(
            "waiting_disabled",
            "harder to place: disabled",
            COUNT,
            "waiting",
            "Of those waiting: recorded as having a disability.",
        ),
        Measure(
            "waiting_siblings",
            "harder to place: in a sibling group",
            COUNT,
            "waiting",
            "Of those waiting: in a sibling group to be placed together.",
        ),
        # A.6: prospective adopters.
        Measure("enquiries", "Enquiries", COUNT, "adopters", "Enquiries dated in the period."),
        Measure(
            "registrations",
            "Registrations of interest",
            COUNT,
            "adopters",
            "Registrations of interest (Stage 1 starts) dated in the period.",
        ),
        Measure("approvals", "Approvals", COUNT, "adopters", "Households approved in the period."),
        Measure(
            "approved_6m",
            "Approved within 6 months of registration (%)",
            PERCENT,
            "adopters",
            "Of households approved in the period with a registration date: the "
            "percentage approved less than 6 months after registering (fast-track households "
            "without a Stage 1 start are excluded).",
            False,
        ),
        Measure(
            "A11",
            "A11: approved households waiting to be matched",
            COUNT,
            "adopters",
            "At the period end: approved, not matched, not left.",
            True,
        ),
        Measure(
            "A12",
            "A12: matched after waiting 3+ months from approval (%)",
            PERCENT,
            "adopters",
            "Of households first matched in the period: the percentage who "
            "waited at least 3 months from approval to match.",
            True,
        ),
        Measure(
            "A13",
            "A13: applications still to be assessed",
            COUNT,
            "adopters",
            "At the period end: registered, not approved, not left.",
            True,
        ),
        Measure(
            "stage1_2m",
            "Stage 1 completed within 2 months (%)",
            PERCENT,
            "adopters",
            "Of households whose Stage 1 ended in the period: the percentage less than 2 "
            "months after registration.",
            False,
        ),
        Measure(
            "stage2_4m",
            "Stage 2 completed within 4 months (%)",
            PERCENT,
            "adopters",
            "Of households approved in the period with a Stage 2 start: the percentage "
            "approved less than 4 months after Stage 2 started.",
            False,
        ),
        # A.7: the milestone timeline of children placed in the period.
        Measure(
            "T_perm",
            "Timeline: entering care to permanence decision at the 2nd review (days)",
            MEAN,
            "timeline",
            "Children placed for adoption in the period: mean days from entering care to the "
            "permanence decision (the plan for adoption made at the second looked-after "
            "review). Children with no permanence decision on file are left out of this row.",
            True,
        ),
        Measure(
            "T_adm",
            "Timeline: entering care to ADM decision (days)",
            MEAN,
            "timeline",
            "Children placed for adoption in the period: mean days from entering care to the "
            "ADM decision.",
            True,
        ),
        Measure(
            "T_po",
            "Timeline: entering care to placement order (days)",
            MEAN,
            "timeline",
            "Children placed in the period: mean days from entering care to the placement order.",
            True,
        ),
        Measure(
            "T_match",
            "Timeline: entering care to match (days)",
            MEAN,
            "timeline",
            "Children placed in the period: mean days from entering care to the match.",
            True,
        ),
        Measure(
            "T_placed",
            "Timeline: entering care to placed (days)",
            MEAN,
            "timeline",
            "Children placed in the period: mean days from entering care to placement (a "
            "placement that later disrupted is left out, here and in the other milestones).",
            True,
        ),
        Measure(
            "T_ao",
            "Timeline: entering care to adoption order (days)",
            MEAN,
            "timeline",
            "Children placed in the period who have an adoption order: mean days from "
            "entering care to the order.",
            True,
        ),
    ]
}
SCORECARD_CODES = ("A1", "A10", "A2", "A3")
ACTIVITY_CODES = tuple(c for c, m in MEASURES.items() if m.group == "activity")
QUARTERLY_KEYS = ("adm_decisions", "placement_orders", "matched", "placed", "adoption_orders")


def raw(sum_: int = 0, numerator: int = 0, denominator: int = 0, excluded=None) -> dict:
    return {
        "sum": int(sum_ or 0),
        "numerator": int(numerator or 0),
        "denominator": int(denominator or 0),
        "excluded": {k: int(v) for k, v in excluded.items() if v} if excluded else {},
    }


def add(a: dict | None, b: dict | None, sign: int = 1) -> dict:
    """``a + sign * b`` for raw figures (either may be missing: zero)."""
    a = a or raw()
    b = b or raw()
    excluded = dict(a.get("excluded") or {})
    for reason, n in (b.get("excluded") or {}).items():
        excluded[reason] = excluded.get(reason, 0) + sign * n
    return raw(
        a["sum"] + sign * b["sum"],
        (a["numerator"] or 0) + sign * (b["numerator"] or 0),
        (a["denominator"] or 0) + sign * (b["denominator"] or 0),
        {k: v for k, v in excluded.items() if v},
    )


def _half_away(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to a whole number, halves away from zero (exact
    integer arithmetic; ``denominator`` > 0)."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def mean_days(total: int, count: int) -> int | None:
    """A mean of days (A.1): whole days, halves away from zero; None of nothing."""
    return _half_away(total, count) if count else None


def percentage(numerator: int, denominator: int) -> float | None:
    """A percentage (A.1): one decimal place, halves away from zero; None of nothing."""
    return _half_away(1000 * numerator, denominator) / 10 if denominator else None


def meets_threshold(code: str, value, threshold) -> bool | None:
    """DOMAIN.md A.3: a mean (A1, A10, A2) meets its threshold when at or below it. None for A3
    (its threshold is the N of "less than N months", not a pass mark), for a measure without
    a threshold, and without a value."""
    if value is None or threshold is None or MEASURES[code].kind != MEAN:
        return None
    return value <= threshold


def finalise(code: str, figure: dict | None, threshold=None) -> dict:
    """The stored result of a raw figure: value, numerator, denominator, excluded, threshold,
    and ``sum`` (kept for adding councils together). ``value`` is None for an empty cohort.
    Means are whole days and percentages one decimal place, halves away from zero."""
    kind = MEASURES[code].kind
    figure = figure or raw()
    total = figure["sum"] or 0
    denominator = figure["denominator"] or 0
    value = None
    numerator = None
    if kind == COUNT:
        value, denominator = total, None
    elif kind == MEAN:
        value = mean_days(total, denominator)
    elif kind == PERCENT:
        numerator = figure["numerator"] or 0
        value = percentage(numerator, denominator)
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "excluded": dict(figure.get("excluded") or {}),
        "threshold": threshold,
        "sum": total,
    }


def accumulate(target: dict, figures: dict) -> None:
    """Add raw ``figures`` (code -> raw) into ``target`` in place."""
    for code, figure in figures.items():
        into = target.get(code)
        if into is None:
            target[code] = into = raw()
        into["sum"] += figure["sum"]
        into["numerator"] += figure["numerator"]
        into["denominator"] += figure["denominator"]
        if figure["excluded"]:
            excluded = into["excluded"]
            for reason, n in figure["excluded"].items():
                excluded[reason] = excluded.get(reason, 0) + n


def compact(code: str, result: dict) -> dict:
    """The stored form: keys that say nothing (None, an empty ``excluded``, a zero ``sum``, the
    ``sum`` of a count, which is its value) are left out; :func:`expand` puts them back."""
    out = {k: v for k, v in result.items() if v is not None and v != {}}
    if out.get("sum") == 0 or MEASURES[code].kind == COUNT:
        out.pop("sum", None)
    return out


_KEYS: dict[str, str] = {}


def _json_key(key: str) -> str:
    text = _KEYS.get(key)
    if text is None:
        text = _KEYS[key] = json.dumps(key)
    return text


def stored_text(code: str, figure: dict | None, threshold=None) -> str:
    """``json.dumps(compact(code, finalise(code, figure, threshold)))``, written directly: a
    national recompute encodes about 100,000 distinct figures, and this is several times
    quicker than building each dict and encoding it."""
    kind = MEASURES[code].kind
    total = (figure["sum"] or 0) if figure else 0
    denominator = (figure["denominator"] or 0) if figure else 0
    if kind == COUNT:
        parts = [f'"value":{total}']
    elif kind == MEAN:
        parts = [f'"value":{mean_days(total, denominator)}'] if denominator else []
        parts.append(f'"denominator":{denominator}')
    else:
        numerator = (figure["numerator"] or 0) if figure else 0
        parts = []
        if denominator:
            parts.append(f'"value":{percentage(numerator, denominator)!r}')
        parts += [f'"numerator":{numerator}', f'"denominator":{denominator}']
    excluded = figure.get("excluded") if figure else None
    if excluded:
        parts.append(
            '"excluded":{' + ",".join(f"{_json_key(k)}:{n}" for k, n in excluded.items()) + "}"
        )
    if threshold is not None:
        parts.append(
            f'"threshold":{threshold if type(threshold) is int else json.dumps(threshold)}'
        )
    if total and kind != COUNT:
        parts.append(f'"sum":{total}')
    return "{" + ",".join(parts) + "}"


def expand(code: str, stored: dict | None) -> dict:
    """A stored figure in its full shape (value, numerator, denominator, excluded, threshold,
    sum); a missing figure is an empty one."""
    stored = stored or {}
    kind = MEASURES[code].kind
    value = stored.get("value")
    full = {
        "value": value,
        "numerator": stored.get("numerator"),
        "denominator": stored.get("denominator", None if kind == COUNT else 0),
        "excluded": stored.get("excluded", {}),
        "threshold": stored.get("threshold"),
        "sum": stored.get("sum", value if kind == COUNT and value is not None else 0),
    }
    if kind == PERCENT and full["numerator"] is None:
        full["numerator"] = 0
    return full


def unfinalise(code: str, stored: dict | None) -> dict:
    """The raw figure behind a stored result."""
    full = expand(code, stored)
    return raw(full["sum"], full["numerator"], full["denominator"], full["excluded"])
