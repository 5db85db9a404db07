"""Building a child's journey from their 903 rows: DOMAIN.md Part A.9, and nothing else.

Pure functions over :class:`children.ssda903.reading.ChildRows`; no database. The result holds
periods of care and journey events as plain values, ready to compare with what is stored.
"""

from dataclasses import dataclass, field
from datetime import date

from children.models import ADOPTED_REASONS, Authority, DisruptionReason, EventKind
from children.ssda903.reading import ADOPTION_PLACEMENTS, ChildRows, Episode

SAME_CARER = frozenset({"L", "T", "U"})
NEW_CARER = frozenset({"P", "B"})
WITH_FOSTER_CARER = frozenset({"A3", "A5"})
PROVIDERS = {"PR1": "PR1", "PR2": "PR2", "PR5": "PR5"}


@dataclass(frozen=True)
class Period:
    entered_care: date
    legal_status: str
    left_care: date | None
    left_care_reason: str


@dataclass(frozen=True)
class Event:
    """A journey event as the 903 gives it (the fields of JourneyEvent it sets)."""

    kind: str
    date: date
    ceased_reason: str = ""
    authority: str = ""
    placement_provider: str = ""
    foster_carer_adoption: bool = False
    living_with_carers_since: date | None = None
    disruption_reason: str = ""


@dataclass
class Journey:
    periods: list[Period] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: A.9's "entered care" for the measures: the start of the period the adoption is in.
    entered_care: date | None = None
    placed: date | None = None
    adoption_order: date | None = None

    def dates(self, kind: str) -> list[date]:
        return [e.date for e in self.events if e.kind == kind]


def unbroken(before: Episode, after: Episode) -> bool:
    """A.9: an episode runs unbroken into the next when its DEC is the next one's DECOM and it
    ended with X1."""
    return before.dec is not None and before.dec == after.decom and before.rec == "X1"


def periods_of_care(episodes: list[Episode]) -> list[tuple[Period, list[Episode]]]:
    """Each period of care with its episodes. A period starts at an episode with RNE S, at the
    first episode, and after an episode that ended care (REC other than X1): re-entry to care
    is a new period."""
    groups: list[list[Episode]] = []
    for episode in episodes:
        left = groups and groups[-1][-1].rec not in ("", "X1")
        if not groups or episode.rne == "S" or left:
            groups.append([episode])
        else:
            groups[-1].append(episode)
    result = []
    for group in groups:
        last = group[-1]
        ended = last.rec not in ("", "X1") and last.dec is not None
        result.append(
            (
                Period(
                    entered_care=group[0].decom,
                    legal_status=group[0].ls,
                    left_care=last.dec if ended else None,
                    left_care_reason=last.rec if ended else "",
                ),
                group,
            )
        )
    return result


def walk_back(episodes: list[Episode], start: int, *, adoptive_only: bool) -> int:
    """A.9's walk back from ``episodes[start]``: while the current episode began with RNE L, T
    or U (same carer) and the one before runs unbroken into it (and, for the placed date, is
    itself an A3–A6 placement), step back. Returns the index reached."""
    current = start
    while current > 0:
        here, before = episodes[current], episodes[current - 1]
        if here.rne not in SAME_CARER or not unbroken(before, here):
            break
        if adoptive_only and before.place not in ADOPTION_PLACEMENTS:
            break
        current -= 1
    return current


def adoptive_runs(episodes: list[Episode]) -> list[tuple[int, int]]:
    """Each run of A3–A6 episodes as (first index, last index): a run continues while the next
    episode is A3–A6, runs unbroken from it and began with the same carer (RNE L, T, U)."""
    runs = []
    index = 0
    while index < len(episodes):
        if episodes[index].place not in ADOPTION_PLACEMENTS:
            index += 1
            continue
        first = walk_back(episodes, index, adoptive_only=True)
        last = index
        while (
            last + 1 < len(episodes)
            and episodes[last + 1].place in ADOPTION_PLACEMENTS
            and episodes[last + 1].rne in SAME_CARER
            and unbroken(episodes[last], episodes[last + 1])
        ):
            last += 1
        runs.append((first, last))
        index = last + 1
    return runs


def derive_journey(rows: ChildRows) -> Journey:
    """The child's periods of care and journey events by DOMAIN.md A.9."""
    episodes = rows.episodes
    journey = Journey()
    periods = periods_of_care(episodes)
    journey.periods = [period for period, _ in periods]

    # Adoption order: DEC of the episode that ended with E11/E12.
    adoption_index = next(
        (i for i, e in enumerate(episodes) if e.rec in ADOPTED_REASONS and e.dec), None
    )
    if adoption_index is not None:
        journey.adoption_order = episodes[adoption_index].dec

    # Placements for adoption, and the disruptions that ended them.
    runs = adoptive_runs(episodes)
    placed_events: list[Event] = []
    standing: int | None = None  # the first episode of the latest run not ended by a disruption
    for first, last in runs:
        if adoption_index is not None and first > adoption_index:
            break
        ends_in_adoption = adoption_index is not None and first <= adoption_index <= last
        placed_events.append(_placed_event(rows, episodes, first))
        if ends_in_adoption:
            break
        disruption = _disruption(episodes, last)
        if disruption is not None:
            placed_events.append(disruption)
        else:
            standing = first
    # A.9's placed date: the walk back from the adoption episode, if it reaches an A3-A6
    # episode; a child adopted from any other placement (e.g. after a disruption with no later
    # adoptive placement) has none, so the disrupted placement is never the one measured.
    # Without an adoption episode: the latest run that did not end in a disruption.
    if adoption_index is not None:
        reached = walk_back(episodes, adoption_index, adoptive_only=True)
        if episodes[reached].place in ADOPTION_PLACEMENTS:
            journey.placed = episodes[reached].decom
    elif standing is not None:
        journey.placed = episodes[standing].decom

    # Entered care: the latest start of care (an S episode, or coming back after leaving care
    # without one) on or before the placed date (or the adoption order; the latest for a child
    # still in the process; the first episode if there is none).
    if episodes:
        limit = journey.placed or journey.adoption_order
        starts = [
            p.entered_care for p in journey.periods if limit is None or p.entered_care <= limit
        ]
        journey.entered_care = starts[-1] if starts else episodes[0].decom

    events: list[Event] = []
    # ADM decisions: each PlacedAdoption row; AD1 DATE_INT when there is none.
    for placed in rows.placed:
        events.append(Event(EventKind.ADM_DECISION, placed.date_placed))
        if placed.date_ceased:
            events.append(
                Event(EventKind.PLAN_CEASED, placed.date_ceased, ceased_reason=placed.reason_ceased)
            )
    if not rows.placed and rows.ad1 and rows.ad1.date_int:
        events.append(Event(EventKind.ADM_DECISION, rows.ad1.date_int))

    # Placement order: the first E1 (or D1) episode of each period of care.
    for _, group in periods:
        order = next((e for e in group if e.ls in ("E1", "D1")), None)
        if order is not None:
            events.append(
                Event(
                    EventKind.PLACEMENT_ORDER,
                    order.decom,
                    authority=Authority.PLACEMENT_ORDER
                    if order.ls == "E1"
                    else Authority.FREEING_ORDER,
                )
            )
    if rows.ad1 and rows.ad1.date_match:
        events.append(Event(EventKind.MATCHED, rows.ad1.date_match))
    events += placed_events
    if journey.adoption_order:
        events.append(Event(EventKind.ADOPTION_ORDER, journey.adoption_order))
    journey.events = events
    return journey


def _disruption(episodes: list[Episode], last: int) -> Event | None:
    """A.9: the A3-A6 run ending at ``episodes[last]`` disrupted if the next episode is a
    placement that is not A3-A6 with new carers (RNE P or B), dated when it began, or if the
    child left care from it other than by adoption. None otherwise (a move straight to other
    prospective adopters is a new placement, not a disruption)."""
    ending = episodes[last]
    following = episodes[last + 1] if last + 1 < len(episodes) else None
    if following is not None and following.rne in NEW_CARER:
        if following.place in ADOPTION_PLACEMENTS:
            return None
        reason = following.reason_change
        return Event(
            EventKind.DISRUPTION,
            following.decom,
            disruption_reason=reason if reason in DisruptionReason.values else "",
        )
    if ending.dec is not None and ending.rec not in ("", "X1", *ADOPTED_REASONS):
        return Event(EventKind.DISRUPTION, ending.dec)
    return None


def _placed_event(rows: ChildRows, episodes: list[Episode], first: int) -> Event:
    """The placement that starts at ``episodes[first]``: its date, provider and whether the
    adopters were the child's foster carers (AD1 FOSTER_CARE = 1, or an A3/A5 placement), and
    then since when the child lived with them (the walk back over any placement type)."""
    placed = episodes[first]
    foster = bool(rows.ad1 and rows.ad1.foster_care) or placed.place in WITH_FOSTER_CARER
    since = None
    if foster:
        since = episodes[walk_back(episodes, first, adoptive_only=False)].decom
    return Event(
        EventKind.PLACED,
        placed.decom,
        placement_provider=PROVIDERS.get(placed.provider, ""),
        foster_carer_adoption=foster,
        living_with_carers_since=since,
    )
