"""Reads about households: who may see them, the pipeline, and the ranked list of families for a
waiting child (family finding). Who is over a target is the tracking app's (tracking.panels)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from adopters import rules
from adopters.models import (
    ChildNeeds,
    ContactLevel,
    Household,
    NeedLevel,
    StageCode,
)
from adopters.querysets import EARLY_LINKED, LINKING_EVENT_KINDS
from children.models import JourneyEvent
from children.selectors import harder_to_place_reasons
from raa import access

#: Stages of the pipeline view, in order.
PIPELINE = list(StageCode)


def linked_council_ids(household: Household) -> set[int]:
    """The councils whose children are linked, matched or placed with the household (steps
    entered in error aside): council staff see a household, and hold their roles over it,
    through these. One query."""
    return set(
        JourneyEvent.objects.filter(
            household=household, kind__in=LINKING_EVENT_KINDS, entered_in_error=False
        ).values_list("child__council_id", flat=True)
    )


def has_role_over(user, roles, household: Household) -> bool:
    """Whether the person holds one of the roles over this household (raa.access)."""
    return access.has_role_over_household(
        user,
        roles,
        region_id=household.region_id,
        linked_council_ids=linked_council_ids(household),
    )


def pipeline_counts(households: QuerySet[Household]) -> list[tuple[str, str, int]]:
    """(stage code, label, how many) for every stage, in order: one query."""
    counts = dict(
        households.with_progress()
        .order_by()
        .values_list("derived_stage")
        .annotate(n=Count("id"))
        .values_list("derived_stage", "n")
    )
    return [(code, label, counts.get(code, 0)) for code, label in StageCode.choices]


# -- family finding -------------------------------------------------------------------------------

NEED_NAMES = {
    "health_needs": "health needs",
    "disability_needs": "disability",
    "developmental_uncertainty": "developmental uncertainty",
}


NEED_FIELDS = ("health_needs", "disability_needs", "developmental_uncertainty", "contact")


@dataclass
class Needs:
    """What the child needs of a family, for ranking: the needs the family finder saved for the
    child (adopters.models.ChildNeeds), else a start from the child's record (a disabled child:
    a moderate disability)."""

    health_needs: int = NeedLevel.NONE
    disability_needs: int = NeedLevel.NONE
    developmental_uncertainty: int = NeedLevel.NONE
    contact: int = ContactLevel.NONE

    @classmethod
    def for_child(cls, child) -> "Needs":
        stored = ChildNeeds.objects.filter(child=child).first()
        if stored is not None:
            return cls(**{name: getattr(stored, name) for name in NEED_FIELDS})
        return cls(disability_needs=NeedLevel.MODERATE if child.disabled else NeedLevel.NONE)


@dataclass
class Reason:
    points: int
    text: str
    #: The part of the household's offer not yet discussed (no points either way): ask them.
    ask: str = ""

    @property
    def unknown(self) -> bool:
        return bool(self.ask)


def _ask(subject: str, detail: str = "") -> Reason:
    """A part of the offer not yet discussed: no points, and a prompt to ask."""
    more = f" ({detail})" if detail else ""
    return Reason(0, f"{subject}: not yet discussed, ask them{more}.", ask=subject.lower())


@dataclass
class RankedHousehold:
    household: Household
    reasons: list[Reason] = field(default_factory=list)
    #: For a household still in assessment: when it may be approved.
    expected: rules.ExpectedApproval | None = None

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def concerns(self) -> list[Reason]:
        return [r for r in self.reasons if r.points < 0]

    @property
    def not_discussed(self) -> list[Reason]:
        """What the family finder needs to ask the household before relying on the rank."""
        return [r for r in self.reasons if r.unknown]


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


#: The stages of a household still in assessment that family finding may offer, for a child
#: who is harder to place, for an early link (issue 20 item 11).
ASSESSMENT_STAGES = (StageCode.STAGE1, StageCode.BETWEEN, StageCode.STAGE2)


def family_finding_candidates(child, *, in_assessment: bool = False) -> QuerySet[Household]:
    """Approved households of the child's region, still in the process, not on hold, and not
    already matched with or caring for a child; with ``in_assessment``, also those still in
    assessment (Stage 1, between stages or Stage 2: registered, not approved, not left, not on
    hold), for an early link with a child who is harder to place (the caller checks that)."""
    approved = Q(approval_date__isnull=False) & ~Q(
        derived_stage__in=[
            StageCode.ON_HOLD,
            StageCode.MATCHED,
            StageCode.PLACED,
            StageCode.ADOPTED,
            StageCode.LEFT,
        ]
    )
    wanted = approved
    if in_assessment:
        wanted |= Q(approval_date__isnull=True, derived_stage__in=ASSESSMENT_STAGES)
    return (
        Household.objects.filter(region_id=child.council.region_id, left_date__isnull=True)
        .with_progress()
        .filter(wanted)
        .select_related("recruiting_council")
    )


def early_link_refusal(child, *, today: date) -> str:
    """Why family finding does not offer households still in assessment for this child (empty
    when it does): an early link is for a child who is harder to place (DOMAIN.md A.5)."""
    if harder_to_place_reasons(child, today):
        return ""
    return (
        "Households still in assessment are offered only for a child who is harder to place "
        "(aged 5 or over, of an ethnic minority, disabled, or in a sibling group to be placed "
        f"together). {child.first_name} is none of these, so only approved households are "
        "offered."
    )


def rank_households(
    child,
    *,
    needs: Needs,
    today: date,
    group_size: int = 1,
    ffa: bool = False,
    in_assessment: bool = False,
) -> list[RankedHousehold]:
    """Every candidate household with the points it earns and loses for this child, best
    first; ties go to the household waiting longest since approval, then by reference.

    Points: age inside the household's range +30 (within a year of it +5, further -40);
    a sibling group the household can take +25 (cannot: -60); each need the household can
    meet +10 (cannot: -30); the household's wish for a boy or a girl met +5 (not met: -30);
    dual approval for a child in FfA +15; one point a month waiting since approval (up to
    12); recruited outside the region -10 (inter-agency); linked with another child -20.
    With ``in_assessment`` (only for a child who is harder to place: the caller checks),
    households still in assessment too, each -10 and with its expected approval.
    What the household's offer leaves "not yet discussed" (empty) is unknown: it earns no
    points and costs none, and the reasons say to ask (``RankedHousehold.not_discussed``).
    Two queries.
    """
    age = age_in_years(child.date_of_birth, today)
    candidates = list(family_finding_candidates(child, in_assessment=in_assessment))
    linked_with_child = set(
        JourneyEvent.objects.filter(child=child, kind="linked").values_list(
            "household_id", flat=True
        )
    )
    ranked = []
    for h in candidates:
        reasons = []
        add = reasons.append
        add(_age_reason(h, age))
        if group_size > 1:
            add(_sibling_reason(h, group_size))
        for name, label in NEED_NAMES.items():
            wanted = getattr(needs, name)
            if not wanted:
                continue
            offered = getattr(h, name)
            wanted_label = NeedLevel(wanted).label.lower()
            if offered is None:
                add(_ask(label[0].upper() + label[1:], f"the child has {wanted_label} {label}"))
            elif offered >= wanted:
                add(Reason(10, f"Can meet {wanted_label} {label}."))
            else:
                add(
                    Reason(
                        -30,
                        f"The child has {wanted_label} {label}; they can meet "
                        f"{NeedLevel(offered).label.lower()}.",
                    )
                )
        if needs.contact:
            wanted_label = ContactLevel(needs.contact).label.lower()
            if h.contact is None:
                add(_ask("Contact", f"the plan needs {wanted_label}"))
            elif h.contact >= needs.contact:
                add(Reason(10, f"Can support contact: {ContactLevel(needs.contact).label}."))
            else:
                add(
                    Reason(
                        -30,
                        f"The plan needs {wanted_label}; they can "
                        f"support {ContactLevel(h.contact).label.lower()}.",
                    )
                )
        if h.sex_preference in ("M", "F"):
            wish = "a boy" if h.sex_preference == "M" else "a girl"
            if h.sex_preference == child.sex:
                add(Reason(5, f"Hoping for {wish}."))
            else:
                add(Reason(-30, f"Hoping for {wish}."))
        elif not h.sex_preference:
            add(_ask("Boy or girl"))
        if ffa and h.dual_approval:
            add(Reason(15, "Dual approved for FfA / concurrent planning."))
        expected = None
        if h.approval_date is None:
            expected = rules.expected_approval(h, today=today)
            add(
                Reason(
                    -10,
                    f"Still in assessment ({StageCode(h.derived_stage).label}): "
                    f"{expected.text if expected else 'not yet approved'}. A link now is an "
                    "early link; the match waits for their approval.",
                )
            )
        months = (
            min(12, max(0, (today - h.approval_date).days * 12 // 365)) if h.approval_date else 0
        )
        if months:
            add(
                Reason(months, f"Waiting {months} month{'s' if months > 1 else ''} since approval.")
            )
        if h.recruited_outside_region:
            add(
                Reason(
                    -10,
                    "Inter-agency: approved by "
                    f"{h.get_outside_agency_display().lower() or 'another agency'}.",
                )
            )
        linked = h.latest_child_event_kind in ("linked", EARLY_LINKED)
        if linked and h.pk not in linked_with_child:
            add(Reason(-20, "Already linked with another child."))
        if h.pk in linked_with_child:
            add(Reason(0, "Already linked with this child."))
        ranked.append(RankedHousehold(household=h, reasons=reasons, expected=expected))
    ranked.sort(
        key=lambda r: (
            -r.score,
            r.household.approval_date or date.max,
            r.household.reference,
        )
    )
    return ranked


def _age_reason(h: Household, age: int) -> Reason:
    young, old = h.youngest_age, h.oldest_age
    if young is None or old is None:
        # Part of the range not yet discussed: a known end the child is far beyond is still a
        # mismatch; otherwise unknown.
        if (young is not None and age < young - 1) or (old is not None and age > old + 1):
            return Reason(-40, f"Age: the child is {age}, outside the {_ages(h)} they gave.")
        return _ask("Age range", f"the child is {age}")
    if young <= age <= old:
        return Reason(30, f"Age: the child is {age}; they can take {_ages(h)}.")
    if young - 1 <= age <= old + 1:
        return Reason(5, f"Age: the child is {age}, just outside the {_ages(h)} they gave.")
    return Reason(-40, f"Age: the child is {age}, outside the {_ages(h)} they gave.")


def _sibling_reason(h: Household, group_size: int) -> Reason:
    """A sibling group: a known "no" (no sibling groups, or fewer children than the group) costs
    points; a "yes" with room earns them; anything else is not yet discussed."""
    wanted = h.children_wanted
    if h.sibling_group is False or (wanted is not None and wanted < group_size):
        up_to = (
            f"up to {wanted} child{'ren' if wanted > 1 else ''}"
            if wanted is not None
            else "how many children not yet discussed"
        )
        siblings = {
            True: "siblings",
            False: "no sibling groups",
            None: "sibling groups not yet discussed",
        }
        return Reason(
            -60,
            f"Cannot take a sibling group of {group_size} ({up_to}, {siblings[h.sibling_group]}).",
        )
    if h.sibling_group and wanted is not None:
        return Reason(25, f"Can take a sibling group of {group_size}.")
    missing = " and ".join(
        words
        for words, value in (("sibling groups", h.sibling_group), ("how many children", wanted))
        if value is None
    )
    return _ask(missing[0].upper() + missing[1:], f"a sibling group of {group_size}")


def _ages(h: Household) -> str:
    if h.youngest_age is None:
        return f"children aged up to {h.oldest_age}"
    if h.oldest_age is None:
        return f"children aged {h.youngest_age} or over"
    if h.youngest_age == h.oldest_age:
        return f"children aged {h.youngest_age}"
    return f"children aged {h.youngest_age} to {h.oldest_age}"
