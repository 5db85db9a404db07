"""The date rules of a child's journey (DOMAIN.md Part B §3.2 and the practical order after it).

One function, :func:`check_journey`, reads a journey held in memory (the child's date of birth,
periods of care and journey events, saved or not) and returns every rule it breaks. It touches
no database, so the services can check a change *before* saving it, and the importer and the
demo generator can check thousands of journeys cheaply.

*Hard* findings are errors: the services refuse a change that brings in a new one. *Soft*
findings save, and are shown as data-quality warnings on the record and in the council's
data-quality list. Rule codes name the DfE 903 validation rule where there is one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from children.models import ADOPTED_REASONS, Authority, EventKind
from raa.dates import MAX_YEARS_BIRTH_TO_CARE, add_months, before_earliest_message

#: The Adoption and Children Act 2002 s42(2): an agency placement must have lasted 10 weeks
#: before the adopters may apply for the order.
TEN_WEEKS = timedelta(weeks=10)
#: Freeing orders ended and placement orders began on 30 December 2005.
PLACEMENT_ORDERS_BEGAN = date(2005, 12, 30)

#: Events on the same day are taken in journey order.
KIND_ORDER = {
    kind: number
    for number, kind in enumerate(
        [
            EventKind.PERMANENCE_DECISION,
            EventKind.FFA_DECISION,
            EventKind.FFA_PLACEMENT,
            EventKind.ADM_DECISION,
            EventKind.PLACEMENT_ORDER,
            EventKind.LINKED,
            EventKind.MATCHED,
            EventKind.PLACED,
            EventKind.DISRUPTION,
            EventKind.ADOPTION_APPLICATION,
            EventKind.ADOPTION_ORDER,
            EventKind.PLAN_CEASED,
        ]
    )
}

#: How each step is named inside a sentence ("The placement order date (…)").
NAMES = {
    EventKind.PERMANENCE_DECISION: "permanence decision",
    EventKind.ADM_DECISION: "ADM decision",
    EventKind.PLAN_CEASED: "decision that the child should no longer be placed",
    EventKind.FFA_DECISION: "FfA / concurrent planning decision",
    EventKind.FFA_PLACEMENT: "FfA / concurrent planning placement",
    EventKind.PLACEMENT_ORDER: "placement order",
    EventKind.LINKED: "link",
    EventKind.MATCHED: "match",
    EventKind.PLACED: "placement for adoption",
    EventKind.DISRUPTION: "disruption",
    EventKind.ADOPTION_APPLICATION: "adoption application",
    EventKind.ADOPTION_ORDER: "adoption order",
}


@dataclass(frozen=True)
class Finding:
    """One broken rule. ``key`` identifies it across two checks of the same journey (before and
    after a change), so a change is refused only for the hard findings it brings in."""

    rule: str
    hard: bool
    message: str
    field: str = "date"  # the form field the message belongs to
    about: Any = None  # the event or period it is about (its pk, or "new")

    @property
    def key(self) -> tuple:
        return (self.rule, self.about)


def d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def name_of(event) -> str:
    if event.kind == EventKind.PLACEMENT_ORDER and event.authority == Authority.CONSENT:
        return "consent to placement"
    return NAMES[event.kind]


def the_date(event) -> str:
    """'The placement order date (12/03/2015)'."""
    if event.kind == EventKind.PLACED:
        return f"The date placed for adoption ({d(event.date)})"
    return f"The {name_of(event)} date ({d(event.date)})"


def key_of(record) -> Any:
    return record.pk if record.pk is not None else "new"


def check_journey(
    *, date_of_birth: date | None, periods: Iterable, events: Iterable, today: date
) -> list[Finding]:
    """Every rule the journey breaks, hard and soft, in journey order.

    ``periods`` have ``entered_care``, ``left_care`` and ``left_care_reason``; ``events`` have
    the fields of :class:`children.models.JourneyEvent`. Events withdrawn as recorded in error
    must not be passed.
    """
    periods = sorted(periods, key=lambda p: (p.entered_care, key_of(p) == "new", p.pk or 0))
    events = sorted(
        events, key=lambda e: (e.date, KIND_ORDER[e.kind], key_of(e) == "new", e.pk or 0)
    )
    found: list[Finding] = birth_findings(date_of_birth)
    found += _period_rules(date_of_birth, periods, today)
    found += _event_date_rules(date_of_birth, periods, events, today)
    found += _order_rules(date_of_birth, periods, events)
    return found


def birth_findings(dob: date | None) -> list[Finding]:
    """The date of birth on its own: not before 1990 (the form of a new child checks this)."""
    message = dob and before_earliest_message("The date of birth", dob)
    return [Finding("date-before-1990", True, message, "date_of_birth", "child")] if message else []


def birth_long_before_care(dob: date, entered_care: date) -> str | None:
    """A message if the child was born more than 25 years before entering care, else None."""
    if entered_care <= add_months(dob, 12 * MAX_YEARS_BIRTH_TO_CARE):
        return None
    return (
        f"The date of birth ({d(dob)}) is more than {MAX_YEARS_BIRTH_TO_CARE} years before the "
        f"child entered care ({d(entered_care)}); children enter care before they are 18. "
        "Check both dates."
    )


def _early_dates(record, fields: tuple[tuple[str, str], ...], about) -> list[Finding]:
    """Hard findings for the record's dates before 1990 (``fields``: name, how a sentence
    names it)."""
    found = []
    for field, what in fields:
        value = getattr(record, field, None)
        message = value and before_earliest_message(what, value)
        if message:
            found.append(Finding("date-before-1990", True, message, field, about))
    return found


def _period_rules(dob: date | None, periods: list, today: date) -> list[Finding]:
    found = []
    for number, period in enumerate(periods):
        about = ("period", key_of(period))
        start = period.entered_care
        found += _early_dates(
            period,
            (
                ("entered_care", "The date the child entered care"),
                ("left_care", "The date the child left care"),
            ),
            about,
        )
        long_before = dob and birth_long_before_care(dob, start)
        if long_before:
            found.append(
                Finding("birth-long-before-care", True, long_before, "entered_care", about)
            )
        if start > today:
            found.append(
                Finding(
                    "future-date",
                    True,
                    f"The date the child entered care ({d(start)}) is in the future.",
                    "entered_care",
                    about,
                )
            )
        if dob and start < dob:
            found.append(
                Finding(
                    "care-before-birth",
                    True,
                    f"The date the child entered care ({d(start)}) is before their date of "
                    f"birth ({d(dob)}).",
                    "entered_care",
                    about,
                )
            )
        if period.left_care:
            if period.left_care > today:
                found.append(
                    Finding(
                        "future-date",
                        True,
                        f"The date the child left care ({d(period.left_care)}) is in the future.",
                        "left_care",
                        about,
                    )
                )
            if period.left_care < start:
                found.append(
                    Finding(
                        "left-before-entered",
                        True,
                        f"The date the child left care ({d(period.left_care)}) is before the "
                        f"date they entered care ({d(start)}).",
                        "left_care",
                        about,
                    )
                )
            if not period.left_care_reason:
                found.append(
                    Finding(
                        "left-care-reason",
                        True,
                        "Say why the child left care (the 903 reason code).",
                        "left_care_reason",
                        about,
                    )
                )
        if number + 1 < len(periods):
            following = periods[number + 1]
            if period.left_care is None:
                found.append(
                    Finding(
                        "periods-overlap",
                        True,
                        f"The period of care from {d(start)} has no date the child left care, "
                        f"but another period starts on {d(following.entered_care)}. Record when "
                        "the child left care before they came back into care.",
                        "entered_care",
                        ("period", key_of(following)),
                    )
                )
            elif following.entered_care <= period.left_care:
                found.append(
                    Finding(
                        "periods-overlap",
                        True,
                        f"The period of care starting {d(following.entered_care)} overlaps the "
                        f"one from {d(start)} to {d(period.left_care)}. A child comes back into "
                        "care only after they left it.",
                        "entered_care",
                        ("period", key_of(following)),
                    )
                )
    return found


def _event_date_rules(dob: date | None, periods: list, events: list, today: date) -> list[Finding]:
    """Rules about one event's own dates: not in the future, not before birth, while in care."""
    found = []
    for event in events:
        about = key_of(event)
        found += _early_dates(
            event,
            (
                ("date", the_date(event).rsplit(" (", 1)[0]),  # "The placement order date"
                ("panel_date", "The matching panel date"),
                ("living_with_carers_since", "The date the child started living with the carers"),
            ),
            about,
        )
        if event.date > today:
            found.append(
                Finding(
                    "future-date",
                    True,
                    f"{the_date(event)} is in the future. Record a step once it has happened.",
                    about=about,
                )
            )
        for field, label in (
            ("panel_date", "matching panel date"),
            ("living_with_carers_since", "date the child started living with those carers"),
        ):
            value = getattr(event, field, None)
            if value and value > today:
                found.append(
                    Finding(
                        "future-date",
                        True,
                        f"The {label} ({d(value)}) is in the future.",
                        field,
                        about,
                    )
                )
        if dob and event.date < dob:
            found.append(
                Finding(
                    "184-before-birth",
                    True,
                    f"{the_date(event)} is before the child's date of birth ({d(dob)}).",
                    about=about,
                )
            )
            continue
        found += _in_care_rule(event, periods)
    return found


def _in_care_rule(event, periods: list) -> list[Finding]:
    """Rules 1003/334: the journey happens while the child is looked after."""
    about = key_of(event)
    if not periods:
        return [
            Finding(
                "1003-in-care",
                True,
                f"Record when the child entered care before recording the {name_of(event)}.",
                about=about,
            )
        ]
    first = periods[0]
    if event.date < first.entered_care:
        return [
            Finding(
                "1003-in-care",
                True,
                f"{the_date(event)} is before the date the child entered care "
                f"({d(first.entered_care)}).",
                about=about,
            )
        ]
    if event.kind == EventKind.PLAN_CEASED:
        return []  # the plan may be ended after the child has left care (rule 557)
    current = [p for p in periods if p.entered_care <= event.date]
    period = current[-1]
    if period.left_care and event.date > period.left_care:
        following = periods[len(current)] if len(current) < len(periods) else None
        again = f" and came back into care on {d(following.entered_care)}" if following else ""
        return [
            Finding(
                "1003-in-care",
                True,
                f"{the_date(event)} is after the child left care ({d(period.left_care)}"
                f"{again}). Journey steps happen while the child is in care.",
                about=about,
            )
        ]
    return []


@dataclass
class _State:
    """Where the journey stands at a point in time, walking forward through its events."""

    decision: Any = None  # the ADM decision in force (not ceased)
    last_ceased: Any = None
    authority: Any = None  # the placement order (or consent) in force
    ffa: Any = None  # an FfA / concurrent planning decision
    ffa_placement: Any = None
    permanence: Any = None
    linked: Any = None
    matched: Any = None  # the match since the last decision or disruption
    placed: Any = None  # the placement for adoption in force
    application: Any = None
    adopted: Any = None


def _order_rules(dob: date | None, periods: list, events: list) -> list[Finding]:
    """Rules between events, walking the journey in date order."""
    found: list[Finding] = []
    state = _State()
    decisions = [e for e in events if e.kind == EventKind.ADM_DECISION]

    def hard(rule: str, message: str, event, field: str = "date") -> None:
        found.append(Finding(rule, True, message, field, key_of(event)))

    def soft(rule: str, message: str, event, field: str = "date") -> None:
        found.append(Finding(rule, False, message, field, key_of(event)))

    def needs_decision(event, rule: str) -> bool:
        if state.decision is not None:
            return True
        later = [x for x in decisions if x.date > event.date]
        if later:
            hard(
                rule,
                f"{the_date(event)} is before the ADM decision that the child should be placed "
                f"for adoption ({d(later[0].date)}). The ADM decision comes first.",
                event,
            )
        elif state.last_ceased is not None:
            hard(
                rule,
                f"The plan for adoption ended on {d(state.last_ceased.date)}, so there is no "
                f"ADM decision in force for the {name_of(event)} on {d(event.date)}. Record a "
                "new ADM decision first.",
                event,
            )
        else:
            hard(
                rule,
                f"The {name_of(event)} needs an ADM decision that the child should be placed "
                "for adoption on or before it. Record the ADM decision first.",
                event,
            )
        return False

    for event in events:
        kind = event.kind
        if state.adopted is not None:
            hard(
                "after-adoption-order",
                f"The child was adopted on {d(state.adopted.date)}; no step of the journey can "
                f"follow the adoption order (the {name_of(event)} is dated {d(event.date)}).",
                event,
            )
            continue

        if kind == EventKind.PERMANENCE_DECISION:
            if state.decision is not None:
                soft(
                    "permanence-after-adm",
                    f"The permanence decision ({d(event.date)}) is after the ADM decision "
                    f"({d(state.decision.date)}); it is usually made at the second review, "
                    "before the ADM decides.",
                    event,
                )
            state.permanence = event

        elif kind == EventKind.ADM_DECISION:
            if state.decision is not None:
                hard(
                    "579-decisions-overlap",
                    f"There is already an ADM decision in force (made {d(state.decision.date)}). "
                    "A new ADM decision can only follow a decision that the child should no "
                    "longer be placed for adoption.",
                    event,
                )
                continue
            state.decision = event
            state.linked = state.matched = None

        elif kind == EventKind.PLAN_CEASED:
            if not event.ceased_reason:
                hard(
                    "563-ceased-reason",
                    "Give the reason the child should no longer be placed for adoption "
                    "(RD1 to RD4).",
                    event,
                    "ceased_reason",
                )
            if state.decision is None:
                earlier = [x for x in decisions if x.date <= event.date]
                hard(
                    "522-ceased-before-decision",
                    f"The decision that the child should no longer be placed "
                    f"({d(event.date)}) has no ADM decision in force to end"
                    + (
                        f": the last one ({d(earlier[-1].date)}) had already ended."
                        if earlier
                        else ". The ADM decision must come first."
                    ),
                    event,
                )
            state.decision = None
            state.last_ceased = event
            state.linked = state.matched = None

        elif kind == EventKind.FFA_DECISION:
            state.ffa = event

        elif kind == EventKind.FFA_PLACEMENT:
            if state.ffa is None:
                hard(
                    "ffa-placement-before-decision",
                    f"The FfA / concurrent planning placement ({d(event.date)}) needs the FfA / "
                    "concurrent planning decision on or before it.",
                    event,
                )
            state.ffa_placement = event

        elif kind == EventKind.PLACEMENT_ORDER:
            if not event.authority:
                hard(
                    "authority-kind",
                    "Say whether the authority to place is a placement order or parental consent.",
                    event,
                    "authority",
                )
            elif (
                event.authority == Authority.FREEING_ORDER and event.date >= PLACEMENT_ORDERS_BEGAN
            ):
                hard(
                    "445-freeing-order",
                    f"A freeing order dated {d(event.date)} is not possible: freeing orders "
                    f"ended on {d(PLACEMENT_ORDERS_BEGAN)}. Choose placement order.",
                    event,
                    "authority",
                )
            elif (
                event.authority == Authority.PLACEMENT_ORDER and event.date < PLACEMENT_ORDERS_BEGAN
            ):
                hard(
                    "446-placement-order",
                    f"A placement order dated {d(event.date)} is not possible: placement orders "
                    f"began on {d(PLACEMENT_ORDERS_BEGAN)}. Choose freeing order.",
                    event,
                    "authority",
                )
            if needs_decision(event, "553-authority-needs-decision"):
                state.authority = event

        elif kind == EventKind.LINKED:
            if needs_decision(event, "link-needs-decision"):
                state.linked = event

        elif kind == EventKind.MATCHED:
            if needs_decision(event, "333-match-before-decision"):
                if state.authority is None and state.ffa is None:
                    later = [
                        x
                        for x in events
                        if x.kind == EventKind.PLACEMENT_ORDER and x.date > event.date
                    ]
                    hard(
                        "match-before-authority",
                        f"The match date ({d(event.date)}) is before the "
                        + (
                            f"{name_of(later[0])} ({d(later[0].date)})."
                            if later
                            else "placement order (or consent), which is not recorded."
                        )
                        + " A match follows the court's authority to place, except in Fostering "
                        "for Adoption or concurrent planning.",
                        event,
                    )
                state.matched = event
            panel = getattr(event, "panel_date", None)
            if panel and panel > event.date:
                hard(
                    "panel-after-match",
                    f"The matching panel date ({d(panel)}) is after the ADM match decision "
                    f"({d(event.date)}). The panel recommends before the ADM decides.",
                    event,
                    "panel_date",
                )
            if panel and state.decision is not None and panel < state.decision.date:
                hard(
                    "panel-before-decision",
                    f"The matching panel date ({d(panel)}) is before the ADM decision that the "
                    f"child should be placed for adoption ({d(state.decision.date)}).",
                    event,
                    "panel_date",
                )

        elif kind == EventKind.PLACED:
            if state.placed is not None:
                hard(
                    "already-placed",
                    f"The child is already placed for adoption (since "
                    f"{d(state.placed.date)}). Record the disruption before a new placement.",
                    event,
                )
            if needs_decision(event, "551-placed-needs-decision"):
                if state.matched is None:
                    hard(
                        "331-placed-before-match",
                        f"{the_date(event)} has no match on or before it. The ADM match decision "
                        "comes before the child moves in.",
                        event,
                    )
                elif event.household_id and event.household_id != state.matched.household_id:
                    soft(
                        "placed-other-household",
                        f"The child was placed on {d(event.date)} with a different household "
                        f"from the one matched on {d(state.matched.date)}.",
                        event,
                        "household",
                    )
                if state.authority is None:
                    later = [
                        x
                        for x in events
                        if x.kind == EventKind.PLACEMENT_ORDER and x.date > event.date
                    ]
                    hard(
                        "408-placed-without-authority",
                        f"{the_date(event)} is before the "
                        + (
                            f"{name_of(later[0])} ({d(later[0].date)})."
                            if later
                            else "placement order (or parental consent), which is not recorded."
                        )
                        + " A child is placed for adoption only with a placement order or "
                        "consent.",
                        event,
                    )
            found.extend(_foster_carer_rules(event, periods))
            state.placed = event

        elif kind == EventKind.DISRUPTION:
            if state.placed is None:
                hard(
                    "disruption-without-placement",
                    f"The disruption ({d(event.date)}) has no placement for adoption in force "
                    "to end. Record the placement first.",
                    event,
                )
            state.placed = state.matched = state.linked = state.application = None

        elif kind == EventKind.ADOPTION_APPLICATION:
            if state.placed is None:
                hard(
                    "application-without-placement",
                    f"The adoption application ({d(event.date)}) has no placement for adoption "
                    "in force before it.",
                    event,
                )
            elif event.date < state.placed.date + TEN_WEEKS:
                hard(
                    "application-10-weeks",
                    f"The adoption application ({d(event.date)}) is less than 10 weeks after "
                    f"the child was placed ({d(state.placed.date)}). Adopters may apply only "
                    f"from {d(state.placed.date + TEN_WEEKS)}.",
                    event,
                )
            state.application = event

        elif kind == EventKind.ADOPTION_ORDER:
            if state.decision is None:
                hard(
                    "558-adopted-plan-ceased",
                    f"The adoption order ({d(event.date)}) has no ADM decision in force: "
                    + (
                        f"the plan for adoption ended on {d(state.last_ceased.date)}."
                        if state.last_ceased
                        else "record the ADM decision first."
                    ),
                    event,
                )
            if state.placed is None:
                hard(
                    "390-adopted-not-placed",
                    f"The adoption order ({d(event.date)}) needs a placement for adoption in "
                    "force before it.",
                    event,
                )
            else:
                if event.date < state.placed.date + TEN_WEEKS:
                    soft(
                        "ao-10-weeks",
                        f"The adoption order ({d(event.date)}) is less than 10 weeks after the "
                        f"child was placed ({d(state.placed.date)}).",
                        event,
                    )
                if state.matched is not None and state.matched.date == event.date:
                    soft(
                        "582-order-on-match-date",
                        f"The adoption order is dated the same day as the match "
                        f"({d(event.date)}); the match is expected earlier.",
                        event,
                    )
            if state.application is None:
                soft(
                    "ao-without-application",
                    f"No adoption application is recorded before the adoption order "
                    f"({d(event.date)}).",
                    event,
                )
            if dob and event.date >= _eighteenth_birthday(dob):
                hard(
                    "386-adopted-over-18",
                    f"The adoption order ({d(event.date)}) is on or after the child's 18th "
                    f"birthday ({d(_eighteenth_birthday(dob))}). Only children can be adopted.",
                    event,
                )
            state.adopted = event

    found += _left_care_rules(periods, events)
    return found


def _foster_carer_rules(event, periods: list) -> list[Finding]:
    """Rules 335/217 and A.2: a foster-carer adoption holds when the child began living with
    those carers; nobody else's placement does."""
    about = key_of(event)
    since = event.living_with_carers_since
    if event.foster_carer_adoption:
        if since is None:
            return [
                Finding(
                    "foster-carer-since",
                    True,
                    "Give the date the child started living with these carers as a fostered "
                    "child (it is used for A10).",
                    "living_with_carers_since",
                    about,
                )
            ]
        if since > event.date:
            return [
                Finding(
                    "foster-carer-since",
                    True,
                    f"The date the child started living with these carers ({d(since)}) is after "
                    f"the date placed for adoption ({d(event.date)}).",
                    "living_with_carers_since",
                    about,
                )
            ]
        started = [p.entered_care for p in periods if p.entered_care <= event.date]
        if started and since < started[-1]:
            return [
                Finding(
                    "foster-carer-since",
                    True,
                    f"The date the child started living with these carers ({d(since)}) is before "
                    f"the child entered care ({d(started[-1])}); it is the start of the "
                    "fostering placement.",
                    "living_with_carers_since",
                    about,
                )
            ]
    elif since is not None:
        return [
            Finding(
                "335-foster-carer",
                True,
                "The date living with the carers is only for a child adopted by their foster "
                "carers. Tick that box or leave the date empty.",
                "living_with_carers_since",
                about,
            )
        ]
    return []


def _left_care_rules(periods: list, events: list) -> list[Finding]:
    """Rule 557: a child who leaves care other than by adoption while the plan is adoption needs
    the decision that they should no longer be placed, on or before that day."""
    found = []
    for period in periods:
        if period.left_care is None or period.left_care_reason in ADOPTED_REASONS:
            continue
        in_force = None
        for event in events:
            if event.date > period.left_care:
                break
            if event.kind == EventKind.ADM_DECISION:
                in_force = event
            elif event.kind in (EventKind.PLAN_CEASED, EventKind.ADOPTION_ORDER):
                in_force = None
        if in_force is not None:
            found.append(
                Finding(
                    "557-left-care-plan-open",
                    True,
                    f"The child left care on {d(period.left_care)} while the ADM decision of "
                    f"{d(in_force.date)} was still in force. Record the decision that they "
                    "should no longer be placed for adoption (with its reason) first.",
                    "left_care",
                    ("period", key_of(period)),
                )
            )
    for period in periods:
        if period.left_care and period.left_care_reason in ADOPTED_REASONS:
            orders = [e for e in events if e.kind == EventKind.ADOPTION_ORDER]
            if not any(e.date == period.left_care for e in orders):
                found.append(
                    Finding(
                        "left-care-adopted-no-order",
                        False,
                        f"The child left care by adoption on {d(period.left_care)}, but no "
                        "adoption order is recorded on that date.",
                        "left_care_reason",
                        ("period", key_of(period)),
                    )
                )
    return found


def _eighteenth_birthday(dob: date) -> date:
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:  # born 29 February
        return date(dob.year + 18, 3, 1)
