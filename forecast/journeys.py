"""The journeys a forecast learns from and the children it forecasts, read as they stood at a
date (``as_at``): three queries (the children, their periods of care, their journey steps) into
pandas. A step dated after ``as_at`` is invisible, so a forecast "as at" a past date uses only
what was known then.

One journey per child: from the **start** (the latest ADM decision on or before ``as_at``, or the
placement order where the child has no ADM decision) to the first **match** on or after it (the
outcome), or the first **change of plan** on or after it (the competing outcome), whichever came
first; otherwise censored at ``as_at`` (still waiting). A child adopted or matched before their
start (a disruption and a new decision) is not waiting.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Exists, OuterRef

from children.models import Child, JourneyEvent, PeriodOfCare

MATCH, CEASED, CENSORED = 1, 2, 0
ORDER_AUTHORITIES = ("placement_order", "freeing_order")
#: Ethnicity codes counted as White (DOMAIN.md A.5: minority = not W*, leaving out REFU, NOBT).
NOT_MINORITY_PREFIX = "W"
UNKNOWN_ETHNICITY = ("REFU", "NOBT")


@dataclass
class Journeys:
    """``frame``: one row per child with a start on or before ``as_at`` (see the module's
    docstring), columns ``child`` (pk), ``child_id`` (the council's CHILD id), ``council``
    (LA code), ``council_pk``, ``start``, ``time`` (days from the start to the outcome, or to
    ``as_at``), ``event`` (MATCH, CEASED or CENSORED), ``entered`` (entered care: the latest
    period on or before ``as_at``), ``po_date`` (placement or freeing order, or NaT),
    ``placed_lag`` (days from match to placement, where both are known), ``ao_lag`` (days from
    placement to adoption order), ``adopted`` (an adoption order on or before ``as_at``), and
    the features."""

    as_at: date
    frame: pd.DataFrame

    @property
    def waiting(self) -> pd.DataFrame:
        """Children waiting for a match at ``as_at``: a decision in force, not matched, plan
        not ceased, not adopted."""
        f = self.frame
        return f[(f.event == CENSORED) & ~f.adopted]

    @property
    def with_outcome(self) -> int:
        return int((self.frame.event != CENSORED).sum())


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days


@dataclass
class Records:
    """What :func:`read` fetched for some councils up to a date: the children (with
    ``closed_on`` and ``closed_reason``), their journey steps and their periods of care, as
    pandas frames. :func:`at` cuts them at any earlier date without asking the database again,
    so a fit and its backtest (two dates) or every region (a national run) share one read."""

    as_at: date
    children: pd.DataFrame
    steps: pd.DataFrame
    periods: pd.DataFrame


CHILD_COLUMNS = [
    "child",
    "child_id",
    "council_pk",
    "council",
    "dob",
    "sex",
    "ethnicity",
    "disabled",
    "sibling_group",
    "closed_on",
    "closed_reason",
]
#: A child closed as one of these on or before the date is left out (not a journey of its own).
CLOSED_AWAY = ("duplicate", "transferred")
#: A child with one of these steps is not waiting: a match or an order on or after the start
#: ends the journey, and one before it (a disruption and a new decision) counts as adopted.
NEVER_WAITING_AFTER = ("matched", "adoption_order")


def read(*, as_at: date, council_ids: list[int], waiting_only: bool = False) -> Records:
    """Three queries: the children of ``council_ids`` with an ADM decision, their journey
    steps dated on or before ``as_at`` and their periods of care entered on or before it.
    ``waiting_only``: leave out the children matched or adopted on or before ``as_at`` (never
    waiting then, see :data:`NEVER_WAITING_AFTER`: most of the history), when only
    :attr:`Journeys.waiting` is wanted at ``as_at`` itself."""
    chosen = Child.objects.filter(council_id__in=council_ids, adm_decision_date__isnull=False)
    if waiting_only:
        ended = JourneyEvent.objects.filter(kind__in=NEVER_WAITING_AFTER, date__lte=as_at)
        if connection.vendor == "postgresql":  # an anti-join by hash
            chosen = chosen.exclude(Exists(ended.filter(child=OuterRef("pk"))))
        else:  # SQLite would run NOT EXISTS once per child: NOT IN reads the steps once
            chosen = chosen.exclude(pk__in=ended.values("child_id"))
    children = pd.DataFrame.from_records(
        chosen.values_list(
            "id",
            "child_id",
            "council_id",
            "council__la_code",
            "date_of_birth",
            "sex",
            "ethnicity",
            "disabled",
            "sibling_group_id",
            "closed_on",
            "closed_reason",
        ),
        columns=CHILD_COLUMNS,
    )
    steps = pd.DataFrame.from_records(
        JourneyEvent.objects.filter(
            child__in=chosen,
            date__lte=as_at,
            kind__in=["adm_decision", "placement_order", "matched", "plan_ceased", "placed"]
            + ["adoption_order"],
        )
        .order_by()  # any order does (grouped below), and PostgreSQL is spared a sort
        .values_list("child_id", "kind", "date", "authority"),
        columns=["child", "kind", "date", "authority"],
    )
    periods = pd.DataFrame.from_records(
        PeriodOfCare.objects.filter(
            child__in=chosen,
            entered_care__lte=as_at,
        )
        .order_by()
        .values_list("child_id", "entered_care"),
        columns=["child", "entered"],
    )
    steps["date"] = pd.to_datetime(steps["date"])
    periods["entered"] = pd.to_datetime(periods["entered"])
    children["closed_on"] = pd.to_datetime(children["closed_on"])
    return Records(as_at=as_at, children=children, steps=steps, periods=periods)


def at(records: Records, as_at: date, council_ids: list[int] | None = None) -> Journeys:
    """The journeys as they stood at ``as_at`` (on or before the date ``records`` were read
    to), of ``council_ids`` only if given: the same as :func:`load` would give, without a
    query."""
    if as_at > records.as_at:
        raise ValueError(f"records read to {records.as_at} cannot show {as_at}")
    as_at_ts = pd.Timestamp(as_at)
    children, steps, periods = records.children, records.steps, records.periods
    if council_ids is not None:
        children = children[children.council_pk.isin(council_ids)]
        steps = steps[steps.child.isin(children.child)]
        periods = periods[periods.child.isin(children.child)]
    closed_away = (children.closed_on <= as_at_ts) & children.closed_reason.isin(CLOSED_AWAY)
    children = children.loc[~closed_away, CHILD_COLUMNS[:-2]]
    if as_at < records.as_at:
        steps = steps[steps.date <= as_at_ts]
        periods = periods[periods.entered <= as_at_ts]
    return Journeys(as_at=as_at, frame=_journeys(children, steps, periods, as_at))


def load(*, as_at: date, council_ids: list[int]) -> Journeys:
    """The journeys of the children of ``council_ids`` as they stood at ``as_at``."""
    return at(read(as_at=as_at, council_ids=council_ids), as_at)


def _journeys(
    children: pd.DataFrame, steps: pd.DataFrame, periods: pd.DataFrame, as_at: date
) -> pd.DataFrame:
    as_at_ts = pd.Timestamp(as_at)
    empty = pd.DataFrame(columns=[*children.columns, "start", "time", "event"])
    if children.empty or steps.empty:
        return empty

    def latest(kind: str, mask=None) -> pd.Series:
        chosen = steps[steps.kind == kind] if mask is None else steps[(steps.kind == kind) & mask]
        return chosen.groupby("child")["date"].max()

    adm = latest("adm_decision")
    po_any = latest("placement_order")
    po = latest("placement_order", steps.authority.isin(ORDER_AUTHORITIES))
    start = adm.combine_first(po_any).rename("start")
    frame = children.set_index("child").join(start, how="inner")
    frame["po_date"] = po.reindex(frame.index)

    def first_after(kind: str) -> pd.Series:
        if not (steps.kind == kind).any():  # (pandas' join of nothing names its index "child")
            return pd.Series(index=pd.Index([], name="child"), dtype="datetime64[ns]")
        chosen = steps[steps.kind == kind].join(frame["start"], on="child", how="inner")
        chosen = chosen[chosen.date >= chosen.start]
        return chosen.groupby("child")["date"].min()

    frame["match"] = first_after("matched")
    frame["ceased"] = first_after("plan_ceased")
    frame["placed"] = first_after("placed")
    frame["adoption_order"] = first_after("adoption_order")
    # A match or adoption before the start (a new decision after a disruption): not waiting.
    earlier = steps[steps.kind.isin(["matched", "adoption_order"])]
    before_start = set()
    if not earlier.empty:
        earlier = earlier.join(frame["start"], on="child", how="inner")
        before_start = set(earlier[earlier.date < earlier.start]["child"].unique())

    matched_first = frame.match.notna() & (frame.ceased.isna() | (frame.match <= frame.ceased))
    ceased_first = frame.ceased.notna() & ~matched_first
    frame["event"] = np.select([matched_first, ceased_first], [MATCH, CEASED], CENSORED)
    end = frame.match.where(matched_first, frame.ceased.where(ceased_first, as_at_ts))
    frame["time"] = _days(end, frame.start).clip(lower=0)
    frame["adopted"] = frame.adoption_order.notna() | frame.index.isin(before_start)
    frame.loc[frame.index.isin(before_start) & (frame.event == CENSORED), "adopted"] = True
    frame["placed_lag"] = _days(frame.placed, frame.match).where(frame.placed >= frame.match)
    frame["ao_lag"] = _days(frame.adoption_order, frame.placed)

    if not periods.empty:
        frame["entered"] = periods.groupby("child")["entered"].max().reindex(frame.index)
    else:
        frame["entered"] = pd.NaT

    dob = pd.to_datetime(frame.dob)
    frame["age_years"] = (_days(frame.start, dob) / 365.25).clip(lower=0)
    frame["male"] = (frame.sex == "M").astype(float)
    frame["minority"] = (
        ~frame.ethnicity.str.startswith(NOT_MINORITY_PREFIX)
        & ~frame.ethnicity.isin(UNKNOWN_ETHNICITY)
    ).astype(float)
    frame["disabled"] = frame.disabled.astype(float)
    frame["siblings"] = frame.sibling_group.notna().astype(float)
    frame["year"] = frame.start.dt.year.astype(float)
    return frame.reset_index()
