"""The adoption-related DfE 903 validation rules (DOMAIN.md Part B §3.2) as soft findings.

A child whose rows break one of these still lands: the finding becomes a data-quality flag on
the child's record (``from_import``) and a line in the import report. The date rules of the
stored journey (children.date_rules) run as well, after the import, as for any record.
"""

from dataclasses import dataclass
from datetime import date

from children.models import ADOPTED_REASONS
from children.ssda903.derive import Journey, periods_of_care, unbroken
from children.ssda903.reading import ADOPTION_PLACEMENTS, ChildRows, CollectionYear

#: DfE rules 445 and 446: freeing orders (D1) for episodes starting up to December 2005,
#: placement orders (E1) from December 2005 (the validator's own boundaries).
LAST_FREEING_ORDER = date(2005, 12, 31)
FIRST_PLACEMENT_ORDER = date(2005, 12, 1)
#: Rule 336: a placement for adoption with consent (A3, A4 in the DfE validator's code) follows
#: another placement for adoption or a foster placement.
CONSENT_PLACEMENTS = frozenset({"A3", "A4"})
FOSTER_PLACEMENTS = frozenset({f"U{n}" for n in range(1, 7)})


@dataclass(frozen=True)
class Soft:
    rule: str
    message: str


def d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def soft_findings(
    rows: ChildRows, journey: Journey, year: CollectionYear | None = None
) -> list[Soft]:
    """Every soft 903 rule the child's rows break, each with a message naming the dates.

    ``year`` is the collection year of the set (rules 357 and 602 look at it); by default the
    one holding the child's latest episode."""
    found: list[Soft] = []
    episodes = rows.episodes
    if year is None and episodes:
        year = CollectionYear.holding(episodes[-1].decom)
    ad1 = rows.ad1
    decisions = [p.date_placed for p in rows.placed]
    adoptive = [e for e in episodes if e.place in ADOPTION_PLACEMENTS]
    first_adoptive = adoptive[0].decom if adoptive else None

    def add(rule: str, message: str) -> None:
        found.append(Soft(f"903-{rule}", message))

    if not episodes:
        add("no-episodes", "The child is in header.csv but has no episode in episodes.csv.")
    elif episodes[0].rne != "S" and year and episodes[0].decom >= year.start:
        # As the DfE rule: a first episode before the collection year may follow episodes that
        # an earlier return held, so only one that starts in the year is flagged.
        add(
            "357",
            f"The first episode ({d(episodes[0].decom)}, in the {year} collection year) does not "
            "start with RNE S (started to be looked after): check for an earlier episode left "
            "out, or correct the RNE to S.",
        )
    for before, after in zip(episodes, episodes[1:], strict=False):
        if before.dec is None:
            add(
                "episodes-open",
                f"The episode from {d(before.decom)} has no end date (DEC) but another starts "
                f"on {d(after.decom)}.",
            )
        elif before.rec == "X1" and not unbroken(before, after):
            add(
                "episodes-chain",
                f"The episode from {d(before.decom)} ends on {d(before.dec)} with X1 (a new "
                f"episode the same day), but the next starts on {d(after.decom)}.",
            )
        elif before.dec > after.decom:
            add(
                "episodes-overlap",
                f"The episode from {d(before.decom)} to {d(before.dec)} overlaps the next, "
                f"which starts on {d(after.decom)}.",
            )
    for episode in episodes:
        if episode.ignored_rec:
            add(
                "rec-without-dec",
                f"The episode from {d(episode.decom)} has REC {episode.ignored_rec} but no end "
                "date (DEC); it is taken as still open.",
            )
    # 445/446: every episode's legal status, not only the placement order step of the journey.
    freeing = [e for e in episodes if e.ls == "D1" and e.decom > LAST_FREEING_ORDER]
    if freeing:
        add(
            "445",
            f"Legal status D1 (freeing order) on the episode(s) from "
            f"{', '.join(d(e.decom) for e in freeing)}: freeing orders ended in December 2005 "
            "(a placement order is E1).",
        )
    too_early = [e for e in episodes if e.ls == "E1" and e.decom < FIRST_PLACEMENT_ORDER]
    if too_early:
        add(
            "446",
            f"Legal status E1 (placement order) on the episode(s) from "
            f"{', '.join(d(e.decom) for e in too_early)}: placement orders began in December "
            "2005 (a freeing order before then is D1).",
        )
    for before, after in zip(episodes, episodes[1:], strict=False):
        if after.place in CONSENT_PLACEMENTS and before.place not in (
            ADOPTION_PLACEMENTS | FOSTER_PLACEMENTS
        ):
            add(
                "336",
                f"The placement for adoption from {d(after.decom)} ({after.place}) follows a "
                f"{before.place} placement; the placement before it is expected to be foster "
                "care (U1 to U6) or another placement for adoption.",
            )
    if episodes and episodes[-1].rec == "X1":
        add(
            "episodes-chain",
            f"The last episode ends on {d(episodes[-1].dec)} with X1, but no episode follows.",
        )

    if ad1 is not None:
        if (ad1.date_int is None) != (ad1.date_match is None):
            add("151", "AD1 has one of DATE_INT and DATE_MATCH but not the other.")
        if decisions and ad1.date_int and ad1.date_int not in decisions:
            add(
                "523",
                f"AD1 DATE_INT ({d(ad1.date_int)}) is not the date of a decision in "
                f"placed_for_adoption.csv ({', '.join(d(x) for x in decisions)}).",
            )
        if ad1.date_int and ad1.date_match and ad1.date_int > ad1.date_match:
            add(
                "333",
                f"The ADM decision (DATE_INT {d(ad1.date_int)}) is after the match "
                f"(DATE_MATCH {d(ad1.date_match)}).",
            )
        if ad1.date_match and journey.placed and ad1.date_match > journey.placed:
            add(
                "331",
                f"The match (DATE_MATCH {d(ad1.date_match)}) is after the date placed for "
                f"adoption ({d(journey.placed)}).",
            )
        if ad1.date_int and journey.placed and ad1.date_int > journey.placed:
            add(
                "521",
                f"The ADM decision (DATE_INT {d(ad1.date_int)}) is after the date placed for "
                f"adoption ({d(journey.placed)}).",
            )
        if ad1.date_int and journey.entered_care and ad1.date_int < journey.entered_care:
            add(
                "334",
                f"The ADM decision (DATE_INT {d(ad1.date_int)}) is before the child entered "
                f"care ({d(journey.entered_care)}).",
            )
        if ad1.date_match and journey.adoption_order and ad1.date_match == journey.adoption_order:
            add(
                "582",
                f"The adoption order is dated the same day as the match "
                f"({d(ad1.date_match)}); the match is expected earlier.",
            )
        placed_episode = next(
            (e for e in adoptive if journey.placed and e.decom == journey.placed), None
        )
        if ad1.foster_care is not None and placed_episode is not None:
            with_carer = placed_episode.place in ("A3", "A5")
            if ad1.foster_care != with_carer:
                add(
                    "335",
                    f"AD1 FOSTER_CARE is {int(ad1.foster_care)} but the placement for adoption "
                    f"({d(placed_episode.decom)}) is {placed_episode.place}.",
                )

    if ad1 is not None and ad1.any_item:
        ceased = [p for p in rows.placed if p.date_ceased]
        if ceased:
            add(
                "525",
                f"The decision that the child should be placed for adoption was reversed "
                f"({d(ceased[-1].date_ceased)}) but ad1.csv has the child's adoption details; a "
                "child whose plan was reversed cannot be adopted during the year.",
            )
        # The DfE asks for an adoption inside the collection year; a set may also hold episodes
        # ending after the year its latest DECOM is in, so a later adoption counts as well.
        adopted_in_year = year is not None and any(
            e.rec in ADOPTED_REASONS and e.dec and e.dec >= year.start for e in episodes
        )
        if not adopted_in_year:
            add(
                "602",
                "ad1.csv has the child's adoption details but no episode ends in adoption (REC "
                "E11 or E12)" + (f" in the {year} collection year or later." if year else "."),
            )

    for episode in adoptive:
        if episode.place in ("A5", "A6") and episode.ls not in ("E1", "D1"):
            add(
                "408",
                f"The episode from {d(episode.decom)} is a placement for adoption under a "
                f"placement order ({episode.place}) but its legal status is {episode.ls}, not E1.",
            )
        if episode.place in ("A3", "A5") and episode.rne not in ("S", "T", "U"):
            add(
                "217",
                f"The episode from {d(episode.decom)} ({episode.place}, with the current foster "
                f"carers) starts with RNE {episode.rne}; it should be S, T or U.",
            )
    if adoptive and not decisions and not (ad1 and ad1.date_int):
        add(
            "551",
            f"The child was placed for adoption ({d(first_adoptive)}) but no decision that they "
            "should be placed for adoption is in the files.",
        )
    if decisions and first_adoptive and decisions[0] > first_adoptive:
        add(
            "552",
            f"The decision that the child should be placed for adoption ({d(decisions[0])}) is "
            f"after the first placement for adoption ({d(first_adoptive)}).",
        )
    orders = [e for e in episodes if e.ls in ("E1", "D1")]
    if orders and not decisions and not (ad1 and ad1.date_int):
        add(
            "553",
            f"The child has a placement order ({d(orders[0].decom)}) but no decision that they "
            "should be placed for adoption is in the files.",
        )
    for row in rows.placed:
        if row.date_ceased and row.date_ceased < row.date_placed:
            add(
                "522",
                f"The decision was ended ({d(row.date_ceased)}) before it was made "
                f"({d(row.date_placed)}).",
            )
    for before, after in zip(rows.placed, rows.placed[1:], strict=False):
        if before.date_ceased is None or before.date_ceased > after.date_placed:
            add(
                "579",
                f"The decision of {d(after.date_placed)} overlaps the one of "
                f"{d(before.date_placed)}, which had not ended before it.",
            )
    adopted = next((e for e in episodes if e.rec in ADOPTED_REASONS), None)
    if adopted is not None and adopted.place not in ADOPTION_PLACEMENTS:
        add(
            "390",
            f"The child was adopted ({d(adopted.dec)}) from a {adopted.place} placement, not a "
            "placement for adoption (A3 to A6).",
        )
    if rows.placed and rows.placed[-1].date_ceased and adopted is not None:
        add(
            "558",
            f"The child was adopted ({d(adopted.dec)}) but the latest decision that they should "
            f"be placed for adoption ended on {d(rows.placed[-1].date_ceased)}.",
        )
    # 557, as the DfE rule: the child left care other than by adoption from a placement for
    # adoption or under a placement order, and no decision in the files was ended with a reason.
    left_from_plan = next(
        (
            e
            for e in episodes
            if (e.place in ADOPTION_PLACEMENTS or e.ls == "E1")
            and (e.rec or e.ignored_rec) not in ("", "X1", *ADOPTED_REASONS)
        ),
        None,
    )
    open_rows = [p for p in rows.placed if not (p.date_ceased and p.reason_ceased)]
    dfe_557 = left_from_plan is not None and (not rows.placed or bool(open_rows))
    if left_from_plan is not None and dfe_557:
        how = (
            f"a placement for adoption ({left_from_plan.place})"
            if left_from_plan.place in ADOPTION_PLACEMENTS
            else "under a placement order (E1)"
        )
        add(
            "557",
            f"The child left care ({d(left_from_plan.dec) or 'no end date'}, "
            f"{left_from_plan.rec or left_from_plan.ignored_rec}) from {how} and was not "
            "adopted, but "
            + (
                f"the decision of {d(open_rows[0].date_placed)} that they should be placed for "
                "adoption has no date and reason it ended (DATE_PLACED_CEASED, "
                "REASON_PLACED_CEASED)."
                if rows.placed
                else "placed_for_adoption.csv has no decision that they should be placed for "
                "adoption, with the date and reason it ended."
            ),
        )
    # Ours as well, whatever the placement: left care while a decision in the files was still
    # in force.
    for period, _ in [] if dfe_557 else periods_of_care(episodes):
        if period.left_care and period.left_care_reason not in ADOPTED_REASONS:
            open_decisions = [
                p
                for p in rows.placed
                if p.date_placed <= period.left_care
                and (p.date_ceased is None or p.date_ceased > period.left_care)
            ]
            if open_decisions:
                add(
                    "557",
                    f"The child left care ({d(period.left_care)}, {period.left_care_reason}) "
                    f"while the decision of {d(open_decisions[-1].date_placed)} that they "
                    "should be placed for adoption had not ended.",
                )
    return found
