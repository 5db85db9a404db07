"""The date rules of a child's journey (DOMAIN.md Part B §3.2 and the practical order after it).

One function, :func:`check_journey`, reads a journey held in memory (the child's date of birth,
periods of care and journey events, saved or not) and returns every rule it breaks. It touches
no database, so the services can check a change *before* saving it, and the importer and the
demo generator can check thousands of journeys cheaply.

*Hard* findings are errors: the services refuse a change that brings in a new one. *Soft*
findings save, and are shown as data-quality warnings on the record and in the council's
data-quality list. Rule codes name the DfE 903 validation rule where there is one.

Each rule is one small function, registered in order into a table (:data:`PERIOD_RULES`,
:data:`EVENT_RULES`, :data:`ORDER_RULES`, :data:`LEFT_CARE_RULES`) with its code, whether it is
hard and the field its message belongs to. A rule function takes the :class:`Journey` (which,
for the rules between events, also says where the walk through the events stands) and one
period or event, and returns the message people see, or None when the rule holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
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
    journey = Journey(date_of_birth, periods, events, today)
    found: list[Finding] = birth_findings(date_of_birth)
    for period in periods:
        found += check_record(PERIOD_RULES, journey, period, ("period", key_of(period)))[0]
    for event in events:
        found += check_record(EVENT_RULES, journey, event, key_of(event))[0]
    for event in events:  # the walk: each event against the steps before it
        rules = _ORDER_RULES_BY_KIND[event.kind]
        broken, stopped = check_record(rules, journey, event, key_of(event))
        found += broken
        if not stopped:
            journey.take_in(event)
    for rule in LEFT_CARE_RULES:
        for period in periods:
            found += check_record((rule,), journey, period, ("period", key_of(period)))[0]
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


@dataclass
class Journey:
    """The journey being checked, sorted as :func:`check_journey` sorts it, and where the walk
    through its events stands (the fields after ``today``: each is the event of that kind in
    force at the event being checked, or None)."""

    dob: date | None
    periods: list
    events: list
    today: date
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

    def later(self, kind: str, event) -> list:
        """The events of ``kind`` dated after ``event``, earliest first."""
        return [x for x in self.events if x.kind == kind and x.date > event.date]

    def period_before(self, period):
        """The period of care before ``period``, or None for the first."""
        for before, this in zip(self.periods, self.periods[1:], strict=False):
            if this is period:
                return before
        return None

    def take_in(self, event) -> None:
        """Walks past ``event`` once its rules are checked (not past one a stopping rule
        refused): what is in force from its date on."""
        kind = event.kind
        if kind == EventKind.PERMANENCE_DECISION:
            self.permanence = event
        elif kind == EventKind.ADM_DECISION:
            self.decision = event
            self.linked = self.matched = None
        elif kind == EventKind.PLAN_CEASED:
            self.decision = None
            self.last_ceased = event
            self.linked = self.matched = None
        elif kind == EventKind.FFA_DECISION:
            self.ffa = event
        elif kind == EventKind.FFA_PLACEMENT:
            self.ffa_placement = event
        elif kind in _NEED_A_DECISION:
            if self.decision is not None:  # without one, the step is not in force
                setattr(self, _NEED_A_DECISION[kind], event)
        elif kind == EventKind.PLACED:
            self.placed = event
        elif kind == EventKind.DISRUPTION:
            self.placed = self.matched = self.linked = self.application = None
        elif kind == EventKind.ADOPTION_APPLICATION:
            self.application = event
        elif kind == EventKind.ADOPTION_ORDER:
            self.adopted = event


#: The steps taken in (as the field of :class:`Journey` named) only under an ADM decision.
_NEED_A_DECISION = {
    EventKind.PLACEMENT_ORDER: "authority",
    EventKind.LINKED: "linked",
    EventKind.MATCHED: "matched",
}


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: ``check(journey, record)`` returns the message for people when
    the record (a period of care or an event) breaks the rule, else None."""

    code: str
    check: Callable[[Journey, Any], str | None]
    hard: bool = True
    field: str = "date"  # the form field the message belongs to
    kinds: frozenset = frozenset()  # rules between events: the event kinds checked (all if empty)
    stops: bool = False  # once broken, the record's later rules are not checked

    def applies_to(self, record) -> bool:
        return not self.kinds or record.kind in self.kinds

    def applies_to_kind(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


#: The rules of one period of care, in the order they are checked.
PERIOD_RULES: list[Rule] = []
#: The rules of one event's own dates.
EVENT_RULES: list[Rule] = []
#: The rules between events, checked walking the journey in date order (:class:`Journey` holds
#: where the walk stands).
ORDER_RULES: list[Rule] = []
#: Rule 557 and its twin: how each period of care ended, against the whole journey.
LEFT_CARE_RULES: list[Rule] = []


def _rule(
    table: list[Rule],
    code: str,
    *kinds: str,
    hard: bool = True,
    field: str = "date",
    stops: bool = False,
) -> Callable:
    """Adds the decorated function to ``table`` as the rule ``code`` (tables are checked in the
    order their rules are defined below)."""

    def register(check: Callable) -> Callable:
        if any((rule.code, rule.field) == (code, field) for rule in table):
            raise ValueError(f"Rule {code} on {field} is already in the table.")
        table.append(Rule(code, check, hard, field, frozenset(kinds), stops))
        return check

    return register


def check_record(
    rules: Iterable[Rule], journey: Journey, record, about: Any
) -> tuple[list[Finding], bool]:
    """The findings of ``rules`` on one period or event (``about``, as :class:`Finding` names
    it), in table order, and whether one of them stopped the checks."""
    found = []
    for rule in rules:
        if not rule.applies_to(record):
            continue
        message = rule.check(journey, record)
        if message:
            found.append(Finding(rule.code, rule.hard, message, rule.field, about))
            if rule.stops:
                return found, True
    return found, False


_period_rule = partial(_rule, PERIOD_RULES)
_event_rule = partial(_rule, EVENT_RULES)
_order_rule = partial(_rule, ORDER_RULES)
_left_care_rule = partial(_rule, LEFT_CARE_RULES)


# The rules of one period of care ------------------------------------------------------------


@_period_rule("periods-overlap", field="entered_care")
def _periods_overlap(journey: Journey, period) -> str | None:
    """A period starts only after the one before it ended (checked first on the later period,
    the one the finding is about, so it follows the earlier period's findings)."""
    before = journey.period_before(period)
    if before is None:
        return None
    if before.left_care is None:
        return (
            f"The period of care from {d(before.entered_care)} has no date the child left care, "
            f"but another period starts on {d(period.entered_care)}. Record when the child left "
            "care before they came back into care."
        )
    if period.entered_care <= before.left_care:
        return (
            f"The period of care starting {d(period.entered_care)} overlaps the one from "
            f"{d(before.entered_care)} to {d(before.left_care)}. A child comes back into care "
            "only after they left it."
        )
    return None


@_period_rule("date-before-1990", field="entered_care")
def _entered_before_1990(journey: Journey, period) -> str | None:
    return before_earliest_message("The date the child entered care", period.entered_care)


@_period_rule("date-before-1990", field="left_care")
def _left_before_1990(journey: Journey, period) -> str | None:
    left = period.left_care
    return left and before_earliest_message("The date the child left care", left)


@_period_rule("birth-long-before-care", field="entered_care")
def _birth_long_before_care(journey: Journey, period) -> str | None:
    return journey.dob and birth_long_before_care(journey.dob, period.entered_care)


@_period_rule("future-date", field="entered_care")
def _entered_in_future(journey: Journey, period) -> str | None:
    if period.entered_care <= journey.today:
        return None
    return f"The date the child entered care ({d(period.entered_care)}) is in the future."


@_period_rule("care-before-birth", field="entered_care")
def _care_before_birth(journey: Journey, period) -> str | None:
    if not journey.dob or period.entered_care >= journey.dob:
        return None
    return (
        f"The date the child entered care ({d(period.entered_care)}) is before their date of "
        f"birth ({d(journey.dob)})."
    )


@_period_rule("future-date", field="left_care")
def _left_in_future(journey: Journey, period) -> str | None:
    if not period.left_care or period.left_care <= journey.today:
        return None
    return f"The date the child left care ({d(period.left_care)}) is in the future."


@_period_rule("left-before-entered", field="left_care")
def _left_before_entered(journey: Journey, period) -> str | None:
    if not period.left_care or period.left_care >= period.entered_care:
        return None
    return (
        f"The date the child left care ({d(period.left_care)}) is before the date they entered "
        f"care ({d(period.entered_care)})."
    )


@_period_rule("left-care-reason", field="left_care_reason")
def _left_care_reason(journey: Journey, period) -> str | None:
    if not period.left_care or period.left_care_reason:
        return None
    return "Say why the child left care (the 903 reason code)."


# The rules of one event's own dates: not before 1990, not in the future, not before birth,
# while in care ----------------------------------------------------------------------------


@_event_rule("date-before-1990")
def _event_before_1990(journey: Journey, event) -> str | None:
    what = the_date(event).rsplit(" (", 1)[0]  # "The placement order date"
    return before_earliest_message(what, event.date)


@_event_rule("date-before-1990", field="panel_date")
def _panel_before_1990(journey: Journey, event) -> str | None:
    panel = getattr(event, "panel_date", None)
    return panel and before_earliest_message("The matching panel date", panel)


@_event_rule("date-before-1990", field="living_with_carers_since")
def _living_with_carers_before_1990(journey: Journey, event) -> str | None:
    since = getattr(event, "living_with_carers_since", None)
    return since and before_earliest_message(
        "The date the child started living with the carers", since
    )


@_event_rule("future-date")
def _event_in_future(journey: Journey, event) -> str | None:
    if event.date <= journey.today:
        return None
    return f"{the_date(event)} is in the future. Record a step once it has happened."


@_event_rule("future-date", field="panel_date")
def _panel_in_future(journey: Journey, event) -> str | None:
    panel = getattr(event, "panel_date", None)
    if not panel or panel <= journey.today:
        return None
    return f"The matching panel date ({d(panel)}) is in the future."


@_event_rule("future-date", field="living_with_carers_since")
def _living_with_carers_in_future(journey: Journey, event) -> str | None:
    since = getattr(event, "living_with_carers_since", None)
    if not since or since <= journey.today:
        return None
    return f"The date the child started living with those carers ({d(since)}) is in the future."


@_event_rule("184-before-birth", stops=True)
def _event_before_birth(journey: Journey, event) -> str | None:
    if not journey.dob or event.date >= journey.dob:
        return None
    return f"{the_date(event)} is before the child's date of birth ({d(journey.dob)})."


@_event_rule("1003-in-care")
def _in_care(journey: Journey, event) -> str | None:
    """Rules 1003/334: the journey happens while the child is looked after."""
    periods = journey.periods
    if not periods:
        return f"Record when the child entered care before recording the {name_of(event)}."
    if event.date < periods[0].entered_care:
        return (
            f"{the_date(event)} is before the date the child entered care "
            f"({d(periods[0].entered_care)})."
        )
    if event.kind == EventKind.PLAN_CEASED:
        return None  # the plan may be ended after the child has left care (rule 557)
    current = [p for p in periods if p.entered_care <= event.date]
    period = current[-1]
    if not period.left_care or event.date <= period.left_care:
        return None
    following = periods[len(current)] if len(current) < len(periods) else None
    again = f" and came back into care on {d(following.entered_care)}" if following else ""
    return (
        f"{the_date(event)} is after the child left care ({d(period.left_care)}{again}). "
        "Journey steps happen while the child is in care."
    )


# The rules between events, walking the journey in date order --------------------------------


@_order_rule("after-adoption-order", stops=True)
def _after_adoption_order(journey: Journey, event) -> str | None:
    """Nothing follows the adoption order (and the walk does not take in what does)."""
    if journey.adopted is None:
        return None
    return (
        f"The child was adopted on {d(journey.adopted.date)}; no step of the journey can follow "
        f"the adoption order (the {name_of(event)} is dated {d(event.date)})."
    )


@_order_rule("permanence-after-adm", EventKind.PERMANENCE_DECISION, hard=False)
def _permanence_after_adm(journey: Journey, event) -> str | None:
    if journey.decision is None:
        return None
    return (
        f"The permanence decision ({d(event.date)}) is after the ADM decision "
        f"({d(journey.decision.date)}); it is usually made at the second review, before the ADM "
        "decides."
    )


@_order_rule("579-decisions-overlap", EventKind.ADM_DECISION, stops=True)
def _decisions_overlap(journey: Journey, event) -> str | None:
    """A second ADM decision in force is refused, and the walk keeps the first."""
    if journey.decision is None:
        return None
    return (
        f"There is already an ADM decision in force (made {d(journey.decision.date)}). A new ADM "
        "decision can only follow a decision that the child should no longer be placed for "
        "adoption."
    )


@_order_rule("563-ceased-reason", EventKind.PLAN_CEASED, field="ceased_reason")
def _ceased_reason(journey: Journey, event) -> str | None:
    if event.ceased_reason:
        return None
    return "Give the reason the child should no longer be placed for adoption (RD1 to RD4)."


@_order_rule("522-ceased-before-decision", EventKind.PLAN_CEASED)
def _ceased_before_decision(journey: Journey, event) -> str | None:
    if journey.decision is not None:
        return None
    earlier = [
        x for x in journey.events if x.kind == EventKind.ADM_DECISION and x.date <= event.date
    ]
    return (
        f"The decision that the child should no longer be placed ({d(event.date)}) has no ADM "
        "decision in force to end"
        + (
            f": the last one ({d(earlier[-1].date)}) had already ended."
            if earlier
            else ". The ADM decision must come first."
        )
    )


@_order_rule("ffa-placement-before-decision", EventKind.FFA_PLACEMENT)
def _ffa_placement_before_decision(journey: Journey, event) -> str | None:
    if journey.ffa is not None:
        return None
    return (
        f"The FfA / concurrent planning placement ({d(event.date)}) needs the FfA / concurrent "
        "planning decision on or before it."
    )


@_order_rule("authority-kind", EventKind.PLACEMENT_ORDER, field="authority")
def _authority_kind(journey: Journey, event) -> str | None:
    if event.authority:
        return None
    return "Say whether the authority to place is a placement order or parental consent."


@_order_rule("445-freeing-order", EventKind.PLACEMENT_ORDER, field="authority")
def _freeing_order(journey: Journey, event) -> str | None:
    if event.authority != Authority.FREEING_ORDER or event.date < PLACEMENT_ORDERS_BEGAN:
        return None
    return (
        f"A freeing order dated {d(event.date)} is not possible: freeing orders ended on "
        f"{d(PLACEMENT_ORDERS_BEGAN)}. Choose placement order."
    )


@_order_rule("446-placement-order", EventKind.PLACEMENT_ORDER, field="authority")
def _placement_order(journey: Journey, event) -> str | None:
    if event.authority != Authority.PLACEMENT_ORDER or event.date >= PLACEMENT_ORDERS_BEGAN:
        return None
    return (
        f"A placement order dated {d(event.date)} is not possible: placement orders began on "
        f"{d(PLACEMENT_ORDERS_BEGAN)}. Choose freeing order."
    )


def _no_decision_in_force(journey: Journey, event) -> str | None:
    """Why ``event`` has no ADM decision in force, or None when it has one: the message of the
    rules that a step needs the ADM decision (553, the link's, 333, 551)."""
    if journey.decision is not None:
        return None
    later = journey.later(EventKind.ADM_DECISION, event)
    if later:
        return (
            f"{the_date(event)} is before the ADM decision that the child should be placed for "
            f"adoption ({d(later[0].date)}). The ADM decision comes first."
        )
    if journey.last_ceased is not None:
        return (
            f"The plan for adoption ended on {d(journey.last_ceased.date)}, so there is no ADM "
            f"decision in force for the {name_of(event)} on {d(event.date)}. Record a new ADM "
            "decision first."
        )
    return (
        f"The {name_of(event)} needs an ADM decision that the child should be placed for "
        "adoption on or before it. Record the ADM decision first."
    )


@_order_rule("553-authority-needs-decision", EventKind.PLACEMENT_ORDER)
def _authority_needs_decision(journey: Journey, event) -> str | None:
    return _no_decision_in_force(journey, event)


@_order_rule("link-needs-decision", EventKind.LINKED)
def _link_needs_decision(journey: Journey, event) -> str | None:
    return _no_decision_in_force(journey, event)


@_order_rule("333-match-before-decision", EventKind.MATCHED)
def _match_before_decision(journey: Journey, event) -> str | None:
    return _no_decision_in_force(journey, event)


def _placement_order_missing(journey: Journey, event, otherwise: str) -> str:
    """'the placement order (01/03/2021).', naming the first one after ``event``, or
    ``otherwise`` when none is recorded."""
    later = journey.later(EventKind.PLACEMENT_ORDER, event)
    return f"{name_of(later[0])} ({d(later[0].date)})." if later else otherwise


@_order_rule("match-before-authority", EventKind.MATCHED)
def _match_before_authority(journey: Journey, event) -> str | None:
    """Under an ADM decision in force, a match follows the authority to place, except in FfA
    or concurrent planning."""
    if journey.decision is None or journey.authority is not None or journey.ffa is not None:
        return None
    return (
        f"The match date ({d(event.date)}) is before the "
        + _placement_order_missing(
            journey, event, "placement order (or consent), which is not recorded."
        )
        + " A match follows the court's authority to place, except in Fostering for Adoption "
        "or concurrent planning."
    )


@_order_rule("match-household-confirmed", EventKind.MATCHED, hard=False, field="household")
def _match_household_confirmed(journey: Journey, event) -> str | None:
    """A match the person confirmed although the record argued against it (another household
    linked, or the household already matched): kept as a data-quality note."""
    warning = getattr(event, "household_warning", "")
    if not warning:
        return None
    return f"Matched on {d(event.date)} after a warning, confirmed when recorded: {warning}"


@_order_rule("panel-after-match", EventKind.MATCHED, field="panel_date")
def _panel_after_match(journey: Journey, event) -> str | None:
    panel = getattr(event, "panel_date", None)
    if not panel or panel <= event.date:
        return None
    return (
        f"The matching panel date ({d(panel)}) is after the ADM match decision "
        f"({d(event.date)}). The panel recommends before the ADM decides."
    )


@_order_rule("panel-before-decision", EventKind.MATCHED, field="panel_date")
def _panel_before_decision(journey: Journey, event) -> str | None:
    panel = getattr(event, "panel_date", None)
    if not panel or journey.decision is None or panel >= journey.decision.date:
        return None
    return (
        f"The matching panel date ({d(panel)}) is before the ADM decision that the child should "
        f"be placed for adoption ({d(journey.decision.date)})."
    )


def _adoption_fact(journey: Journey) -> str:
    """' The child was adopted on 01/06/2026.' when the record holds an adoption order."""
    orders = [x for x in journey.events if x.kind == EventKind.ADOPTION_ORDER]
    return f" The child was adopted on {d(orders[0].date)}." if orders else ""


@_order_rule("already-placed", EventKind.PLACED)
def _already_placed(journey: Journey, event) -> str | None:
    """A second placement while one is in force. The walk meets the later of the two: when the
    step being recorded is the earlier one (``new``), the message is about the date typed and
    quotes the placement on the record."""
    placed = journey.placed
    if placed is None:
        return None
    adopted = _adoption_fact(journey)
    if key_of(placed) == "new" and key_of(event) != "new":
        typed, recorded = placed, event
    else:
        typed, recorded = event, placed
    if adopted:
        return (
            f"{the_date(typed)} cannot be recorded: the child was already placed for adoption on "
            f"{d(recorded.date)}.{adopted} Correct the recorded placement if its date is wrong."
        )
    return (
        f"{the_date(typed)} cannot be recorded: the child is already placed for adoption on "
        f"{d(recorded.date)}. Record the disruption of that placement before a new one."
    )


@_order_rule("551-placed-needs-decision", EventKind.PLACED)
def _placed_needs_decision(journey: Journey, event) -> str | None:
    return _no_decision_in_force(journey, event)


@_order_rule("331-placed-before-match", EventKind.PLACED)
def _placed_before_match(journey: Journey, event) -> str | None:
    """Under an ADM decision in force, the match comes before the placement."""
    if journey.decision is None or journey.matched is not None:
        return None
    return (
        f"{the_date(event)} has no match on or before it. The ADM match decision comes before "
        "the child moves in."
    )


@_order_rule("placed-other-household", EventKind.PLACED, hard=False, field="household")
def _placed_other_household(journey: Journey, event) -> str | None:
    matched = journey.matched
    if journey.decision is None or matched is None:
        return None
    if not event.household_id or event.household_id == matched.household_id:
        return None
    return (
        f"The child was placed on {d(event.date)} with a different household from the one "
        f"matched on {d(matched.date)}."
    )


@_order_rule("408-placed-without-authority", EventKind.PLACED)
def _placed_without_authority(journey: Journey, event) -> str | None:
    """Under an ADM decision in force, a placement needs a placement order or consent."""
    if journey.decision is None or journey.authority is not None:
        return None
    return (
        f"{the_date(event)} is before the "
        + _placement_order_missing(
            journey, event, "placement order (or parental consent), which is not recorded."
        )
        + " A child is placed for adoption only with a placement order or consent."
    )


@_order_rule("foster-carer-since", EventKind.PLACED, field="living_with_carers_since")
def _foster_carer_since(journey: Journey, event) -> str | None:
    """Rule 335/217 and A.2: a foster-carer adoption holds when the child began living with
    those carers, between entering care and the placement for adoption."""
    if not event.foster_carer_adoption:
        return None
    since = event.living_with_carers_since
    if since is None:
        return (
            "Give the date the child started living with these carers as a fostered child (it "
            "is used for A10)."
        )
    if since > event.date:
        return (
            f"The date the child started living with these carers ({d(since)}) is after the "
            f"date placed for adoption ({d(event.date)})."
        )
    started = [p.entered_care for p in journey.periods if p.entered_care <= event.date]
    if started and since < started[-1]:
        return (
            f"The date the child started living with these carers ({d(since)}) is before the "
            f"child entered care ({d(started[-1])}); it is the start of the fostering placement."
        )
    return None


@_order_rule("335-foster-carer", EventKind.PLACED, field="living_with_carers_since")
def _foster_carer(journey: Journey, event) -> str | None:
    """Nobody else's placement has a date living with the carers."""
    if event.foster_carer_adoption or event.living_with_carers_since is None:
        return None
    return (
        "The date living with the carers is only for a child adopted by their foster carers. "
        "Tick that box or leave the date empty."
    )


@_order_rule("disruption-without-placement", EventKind.DISRUPTION)
def _disruption_without_placement(journey: Journey, event) -> str | None:
    if journey.placed is not None:
        return None
    return (
        f"The disruption ({d(event.date)}) has no placement for adoption in force to end. "
        "Record the placement first."
    )


@_order_rule("application-without-placement", EventKind.ADOPTION_APPLICATION)
def _application_without_placement(journey: Journey, event) -> str | None:
    if journey.placed is not None:
        return None
    return (
        f"The adoption application ({d(event.date)}) has no placement for adoption in force "
        "before it."
    )


@_order_rule("application-10-weeks", EventKind.ADOPTION_APPLICATION)
def _application_10_weeks(journey: Journey, event) -> str | None:
    """Adoption and Children Act 2002 s42(2)."""
    placed = journey.placed
    if placed is None or event.date >= placed.date + TEN_WEEKS:
        return None
    return (
        f"The adoption application ({d(event.date)}) is less than 10 weeks after the child was "
        f"placed ({d(placed.date)}). Adopters may apply only from {d(placed.date + TEN_WEEKS)}."
    )


@_order_rule("558-adopted-plan-ceased", EventKind.ADOPTION_ORDER)
def _adopted_plan_ceased(journey: Journey, event) -> str | None:
    if journey.decision is not None:
        return None
    return f"The adoption order ({d(event.date)}) has no ADM decision in force: " + (
        f"the plan for adoption ended on {d(journey.last_ceased.date)}."
        if journey.last_ceased
        else "record the ADM decision first."
    )


@_order_rule("390-adopted-not-placed", EventKind.ADOPTION_ORDER)
def _adopted_not_placed(journey: Journey, event) -> str | None:
    if journey.placed is not None:
        return None
    return (
        f"The adoption order ({d(event.date)}) needs a placement for adoption in force before it."
    )


@_order_rule("ao-10-weeks", EventKind.ADOPTION_ORDER, hard=False)
def _order_10_weeks(journey: Journey, event) -> str | None:
    placed = journey.placed
    if placed is None or event.date >= placed.date + TEN_WEEKS:
        return None
    return (
        f"The adoption order ({d(event.date)}) is less than 10 weeks after the child was placed "
        f"({d(placed.date)})."
    )


@_order_rule("582-order-on-match-date", EventKind.ADOPTION_ORDER, hard=False)
def _order_on_match_date(journey: Journey, event) -> str | None:
    """With a placement in force, the match is expected before the day of the order."""
    if journey.placed is None or journey.matched is None or journey.matched.date != event.date:
        return None
    return (
        f"The adoption order is dated the same day as the match ({d(event.date)}); the match "
        "is expected earlier."
    )


@_order_rule("ao-without-application", EventKind.ADOPTION_ORDER, hard=False)
def _order_without_application(journey: Journey, event) -> str | None:
    if journey.application is not None:
        return None
    return f"No adoption application is recorded before the adoption order ({d(event.date)})."


@_order_rule("386-adopted-over-18", EventKind.ADOPTION_ORDER)
def _adopted_over_18(journey: Journey, event) -> str | None:
    if not journey.dob or event.date < _eighteenth_birthday(journey.dob):
        return None
    return (
        f"The adoption order ({d(event.date)}) is on or after the child's 18th birthday "
        f"({d(_eighteenth_birthday(journey.dob))}). Only children can be adopted."
    )


# How each period of care ended, against the whole journey ------------------------------------


@_left_care_rule("557-left-care-plan-open", field="left_care")
def _left_care_plan_open(journey: Journey, period) -> str | None:
    """Rule 557: a child who leaves care other than by adoption while the plan is adoption
    needs the decision that they should no longer be placed, on or before that day."""
    if period.left_care is None or period.left_care_reason in ADOPTED_REASONS:
        return None
    in_force = None
    for event in journey.events:
        if event.date > period.left_care:
            break
        if event.kind == EventKind.ADM_DECISION:
            in_force = event
        elif event.kind in (EventKind.PLAN_CEASED, EventKind.ADOPTION_ORDER):
            in_force = None
    if in_force is None:
        return None
    return (
        f"The child left care on {d(period.left_care)} while the ADM decision of "
        f"{d(in_force.date)} was still in force. Record the decision that they should no longer "
        "be placed for adoption (with its reason) first."
    )


@_left_care_rule("left-care-adopted-no-order", hard=False, field="left_care_reason")
def _left_care_adopted_no_order(journey: Journey, period) -> str | None:
    if not period.left_care or period.left_care_reason not in ADOPTED_REASONS:
        return None
    orders = [e for e in journey.events if e.kind == EventKind.ADOPTION_ORDER]
    if any(e.date == period.left_care for e in orders):
        return None
    return (
        f"The child left care by adoption on {d(period.left_care)}, but no adoption order is "
        "recorded on that date."
    )


#: The rules between events that check each kind of event, in table order.
_ORDER_RULES_BY_KIND = {
    kind: tuple(rule for rule in ORDER_RULES if rule.applies_to_kind(kind)) for kind in KIND_ORDER
}


def _eighteenth_birthday(dob: date) -> date:
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:  # born 29 February
        return date(dob.year + 18, 3, 1)
