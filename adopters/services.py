"""Every write to a household goes through here: validated, atomic, with history and audit.

Links, matches and placements are recorded from the household side by
:func:`family_finding_record`, which writes the milestone on each child's journey through
``children.services.child_record_milestone`` in the same transaction.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from adopters import rules
from adopters.models import ChildNeeds, HoldPeriod, Household
from adopters.selectors import ASSESSMENT_STAGES
from adopters.stages import StageCode
from children.models import Child, PlacementProvider, Stage
from children.selectors import harder_to_place_reasons
from children.services import child_record_milestone, child_update, is_early_link
from raa.freshness import mark_council_pending, mark_councils_pending
from raa.models import Region, User
from raa.services import case_record_create, case_record_update, check_fields

HOUSEHOLD_FIELDS = (
    "first_applicant",
    "first_applicant_date_of_birth",
    "first_applicant_sex",
    "first_applicant_ethnicity",
    "first_applicant_disabled",
    "second_applicant",
    "second_applicant_date_of_birth",
    "second_applicant_sex",
    "second_applicant_ethnicity",
    "second_applicant_disabled",
    "legal_status",
    "how_heard",
    "recruiting_council",
    "recruited_outside_region",
    "outside_agency",
    "fast_track",
    "dual_approval",
    "children_wanted",
    "youngest_age",
    "oldest_age",
    "sibling_group",
    "sex_preference",
    "health_needs",
    "disability_needs",
    "developmental_uncertainty",
    "contact",
    "other_preferences",
    "enquiry_date",
    "information_event_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "stage2_late_reason",
    "panel_date",
    "approval_date",
    "left_date",
    "left_reason",
)
HOLD_FIELDS = ("start_date", "end_date", "reason")
#: The steps family finding records on a child's journey, in order.
FAMILY_FINDING_STEPS = ("linked", "matched", "placed")


def refuse(problems: list[rules.Problem], fields=HOUSEHOLD_FIELDS) -> None:
    """Raise one ValidationError with each hard problem under its field."""
    errors: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        if problem.hard:
            key = problem.field if problem.field in fields else NON_FIELD_ERRORS
            errors[key].append(problem.message)
    if errors:
        raise ValidationError(dict(errors))


def household_values(household: Household) -> dict:
    return {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}


def household_warnings(household: Household, *, today: date | None = None) -> list[str]:
    """The soft rules the household's record breaks (shown on its page)."""
    today = today or timezone.localdate()
    return [
        p.message
        for p in rules.check_household(household_values(household), today=today)
        if not p.hard
    ]


def next_reference() -> str:
    last = Household.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"H{last + 1:05d}"


@transaction.atomic
def household_create(*, region: Region, acting_user: User, **fields) -> Household:
    """Add a household to the region. Raises ValidationError naming each broken rule."""
    check_fields(fields, HOUSEHOLD_FIELDS, "household")
    household = Household(region=region, reference=next_reference(), **fields)
    refuse(rules.check_household(household_values(household), today=timezone.localdate()))
    case_record_create(record=household, acting_user=acting_user)
    _mark_pending(household)
    return household


@transaction.atomic
def household_update(*, household: Household, acting_user: User, **fields) -> list[str]:
    """Change a household's details or record a step (a stage date, leaving the process);
    returns the names of the fields that changed. Raises ValidationError naming each broken
    rule (the hard rules of DOMAIN.md A.6 and the AD1 codes)."""
    check_fields(fields, HOUSEHOLD_FIELDS, "household")
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = household.recruiting_council_id
    values = {**household_values(household), **fields}
    refuse(rules.check_household(values, today=timezone.localdate()))
    holds = list(household.hold_periods.all())
    left = values.get("left_date")
    if left and any(h.start_date > left for h in holds):
        raise ValidationError(
            {"left_date": "A hold period starts after this date: leaving ends the process."}
        )
    changed = case_record_update(
        record=household, acting_user=acting_user, fields=fields, allowed=HOUSEHOLD_FIELDS
    )
    if changed:
        _mark_pending(household, also=before)
    return changed


@transaction.atomic
def household_hold_start(
    *, household: Household, acting_user: User, start_date: date, reason: str
) -> HoldPeriod:
    """Put the household on hold from ``start_date``. Refused while another hold is open."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.hold_periods.filter(end_date__isnull=True).exists():
        raise ValidationError({"start_date": "The household is already on hold: end that first."})
    hold = HoldPeriod(household=household, start_date=start_date, reason=reason)
    _check_hold(household, hold)
    case_record_create(record=hold, acting_user=acting_user)
    _mark_pending(household)
    return hold


@transaction.atomic
def household_hold_change(*, hold: HoldPeriod, acting_user: User, **fields) -> list[str]:
    """End a hold (``end_date``) or correct it."""
    check_fields(fields, HOLD_FIELDS, "hold period")
    household = Household.objects.select_for_update().get(pk=hold.household_id)
    hold = HoldPeriod.objects.get(pk=hold.pk, household=household)
    proposed = HoldPeriod(
        pk=hold.pk,
        household=household,
        **{**{n: getattr(hold, n) for n in HOLD_FIELDS}, **fields},
    )
    _check_hold(household, proposed)
    changed = case_record_update(
        record=hold, acting_user=acting_user, fields=fields, allowed=HOLD_FIELDS
    )
    if changed:
        _mark_pending(household)
    return changed


def _check_hold(household: Household, hold: HoldPeriod) -> None:
    others = [
        (h.start_date, h.end_date) for h in household.hold_periods.exclude(pk=hold.pk or None)
    ]
    refuse(
        rules.check_hold(
            start=hold.start_date,
            end=hold.end_date,
            household_values=household_values(household),
            others=others,
            today=timezone.localdate(),
        ),
        HOLD_FIELDS,
    )


NEED_FIELDS = ("health_needs", "disability_needs", "developmental_uncertainty", "contact")


@transaction.atomic
def child_needs_save(*, child, acting_user: User, **fields) -> list[str]:
    """Save what the child needs of a family (for ranking households); returns the fields that
    changed (all of them the first time)."""
    check_fields(fields, NEED_FIELDS, "child's needs")
    needs = ChildNeeds.objects.select_for_update().filter(child=child).first()
    if needs is None:
        case_record_create(
            record=ChildNeeds(child=child, **fields), acting_user=acting_user, council=child.council
        )
        changed = list(fields)
    else:
        changed = case_record_update(
            record=needs,
            acting_user=acting_user,
            fields=fields,
            allowed=NEED_FIELDS,
            council=child.council,
        )
    if changed:
        mark_council_pending(child.council_id)
    return changed


def children_placed_together(child):
    """The child and the brothers and sisters the plan says go with them: the child's sibling
    group (to be placed together) in the same council, open records only, the child first."""
    if child.sibling_group_id is None or not child.sibling_group.to_be_placed_together:
        return [child]
    others = (
        Child.objects.filter(sibling_group_id=child.sibling_group_id, closed_on__isnull=True)
        .exclude(pk=child.pk)
        # Brothers and sisters already adopted, or no longer to be adopted, are not moved.
        .exclude(stage__in=[Stage.ADOPTED, Stage.PLAN_CHANGED, Stage.LEFT_CARE])
    )
    return [child, *others.order_by("date_of_birth", "pk")]


@transaction.atomic
def family_finding_record(
    *,
    household: Household,
    child,
    kind: str,
    date: date,
    acting_user: User,
    with_siblings: bool = True,
    panel_date: date | None = None,
    placement_provider: str | None = None,
) -> list:
    """Record a link, match (with its panel date) or placement of ``child`` with ``household``
    on the child's journey, and of each brother and sister to be placed with them when
    ``with_siblings``: one journey event per child, all in this one transaction (if one child's
    journey refuses the step, nothing is saved). Returns the events.

    Refused (ValidationError naming the rule) when the household is not in the process on that
    date, not approved by the match, or a child's date rules refuse the step. A household
    recruited outside the region makes the placement inter-agency: its provider follows the
    approving agency unless ``placement_provider`` is given.
    """

    if kind not in FAMILY_FINDING_STEPS:
        raise ValueError(f"Family finding records a link, match or placement, not {kind!r}")
    household = Household.objects.select_for_update().get(pk=household.pk)
    if child.council.region_id != household.region_id:
        raise ValidationError({"household": "That household belongs to another region."})
    refuse(rules.check_child_step(household=household, kind=kind, on=date), ("household", "date"))
    if kind == "linked" and is_early_link(household, date):
        _check_early_link(child, household, date)
    details: dict = {"household": household}
    if kind == "matched":
        if panel_date is None:
            raise ValidationError({"panel_date": "Give the date of the matching panel."})
        details["panel_date"] = panel_date
    if kind == "placed":
        details["placement_provider"] = placement_provider or (
            household.outside_agency
            if household.recruited_outside_region and household.outside_agency
            else PlacementProvider.OWN_COUNCIL
        )
    children = children_placed_together(child) if with_siblings else [child]
    # How many children the household can take may not be discussed yet (empty): not refused.
    if household.children_wanted is not None and len(children) > household.children_wanted:
        raise ValidationError(
            {
                "household": f"Household {household.reference} can take up to "
                f"{household.children_wanted} child{'ren' if household.children_wanted > 1 else ''}"
                f", and this sibling group has {len(children)}."
            }
        )
    events = []
    for each in children:
        try:
            events.append(
                child_record_milestone(
                    child=each, kind=kind, date=date, acting_user=acting_user, **details
                )
            )
        except ValidationError as error:
            if each.pk == child.pk:
                raise
            # A brother's or sister's journey refused the step: say whose, and save nothing.
            raise ValidationError(
                f"Not recorded for any of the group: for {each.first_name} {each.last_name} "
                f"({each.child_id}): " + " ".join(error.messages)
            ) from error
    if kind == "placed" and child.sibling_group_id:
        _record_siblings_placed_together(child, children, acting_user)
    _mark_pending(household)
    return events


def _check_early_link(child, household: Household, on: date) -> None:
    """A link with a household not yet approved (an early link) is for a child who is harder
    to place (DOMAIN.md A.5), with a household in assessment (Stage 1 to Stage 2, not on
    hold). Raises ValidationError naming the household's stage and the rule."""
    stage = household.date_stage()
    label = StageCode(stage).label
    if not harder_to_place_reasons(child, on):
        raise ValidationError(
            {
                "household": f"Household {household.reference} is in {label} and not approved "
                "yet. A link before approval (an early link) is only for a child who is harder "
                "to place (aged 5 or over, of an ethnic minority, disabled, or in a sibling group "
                f"to be placed together), and {child.first_name} is none of these. Choose an "
                "approved household."
            }
        )
    if household.hold_periods.filter(end_date__isnull=True).exists():
        raise ValidationError(
            {
                "household": f"Household {household.reference} is on hold: end the hold before "
                "linking a child with them."
            }
        )
    if stage not in ASSESSMENT_STAGES:
        raise ValidationError(
            {
                "household": f"Household {household.reference} is at the {label.lower()} stage: "
                "an early link is with a household in assessment (Stage 1 or Stage 2). Record "
                "their registration of interest first."
            }
        )


def _record_siblings_placed_together(child, placed: list, acting_user: User) -> None:
    """On each child placed, how many of the sibling group went together and how many are
    placed apart (the child's record keeps both)."""

    group_size = Child.objects.filter(sibling_group_id=child.sibling_group_id).count()
    for each in placed:
        child_update(
            child=each,
            acting_user=acting_user,
            siblings_placed_together=len(placed),
            siblings_placed_apart=group_size - len(placed),
        )


def _mark_pending(household: Household, also: int | None = None) -> None:
    """Adopter figures count for the recruiting council and the region: mark the recruiting
    council (and the one it had before a change), or every council of the region for a
    household recruited by none of them."""
    councils = {c for c in (household.recruiting_council_id, also) if c}
    if not councils:
        councils = set(household.region.councils.values_list("id", flat=True))
    mark_councils_pending(councils)
