"""The rules of a household's record (DOMAIN.md A.6, Part B 4.2 and the AD1 codes of 6.4).

Pure functions over values held in memory, so the form can show every broken rule beside its
field and the service can check the same again before saving. A *hard* problem refuses the
save; a *soft* one saves and is shown as a warning on the record.
"""

from dataclasses import dataclass
from datetime import date

from adopters.stages import StageCode
from raa.dates import add_months, adult_birth_message, before_earliest_message

LABELS = {
    "enquiry_date": "The enquiry",
    "information_event_date": "The information event",
    "registration_date": "The registration of interest (Stage 1 start)",
    "stage1_end_date": "The end of Stage 1",
    "stage2_start_date": "The start of Stage 2",
    "panel_date": "The approval panel",
    "approval_date": "The ADM's approval",
    "left_date": "Leaving the process",
}
ORDERED_DATES = [
    "enquiry_date",
    "information_event_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "panel_date",
    "approval_date",
]
#: A couple's AD1 legal status and the sexes it allows (AD1 rules 514, 517-520, 524).
COUPLE_STATUSES = {"L11": "MF", "L12": "same", "L2": "any", "L3": "MF", "L4": "same"}
#: DOMAIN.md A.6: Stage 2 starts within 6 months of the end of Stage 1.
STAGE2_WITHIN_MONTHS = 6
#: DOMAIN.md A.6: the statutory targets, Stage 1 in 2 months and Stage 2 (to the ADM's
#: approval) in 4. Used to say when a household in assessment may be approved; the tracking
#: thresholds (which an administrator may change) are the tracking app's.
STAGE1_TARGET_MONTHS = 2
STAGE2_TARGET_MONTHS = 4


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    hard: bool = True


def d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def check_household(values: dict, *, today: date) -> list[Problem]:
    """Every rule the household's values break. ``values`` holds the model's field names."""
    problems: list[Problem] = []
    get = values.get

    # Dates: none in the future, each on or after every earlier step that has a date.
    for name in [*ORDERED_DATES, "left_date"]:
        value = get(name)
        if value and value > today:
            problems.append(Problem(name, f"{LABELS[name]} date ({d(value)}) is in the future."))
        elif value and (message := before_earliest_message(f"{LABELS[name]} date", value)):
            problems.append(Problem(name, message))
    for position, later in enumerate(ORDERED_DATES):
        b = get(later)
        if not b:
            continue
        for earlier in reversed(ORDERED_DATES[:position]):
            a = get(earlier)
            if a and b < a:
                problems.append(
                    Problem(
                        later,
                        f"{LABELS[later]} ({d(b)}) is before "
                        f"{LABELS[earlier][0].lower()}{LABELS[earlier][1:]} ({d(a)}).",
                    )
                )
                break
    if get("stage1_end_date") and not get("registration_date"):
        problems.append(
            Problem(
                "registration_date",
                "Stage 1 has an end date but no start: give the date of the registration of "
                "interest.",
            )
        )
    if get("stage2_start_date") and not get("stage1_end_date") and not get("fast_track"):
        problems.append(
            Problem(
                "stage2_start_date",
                "Stage 2 starts without Stage 1 ending: only fast-track households (previous "
                "adopters, approved foster carers) skip Stage 1. Give the end of Stage 1 or mark "
                "the household as fast-track.",
            )
        )
    if get("approval_date") and not get("panel_date"):
        problems.append(
            Problem("panel_date", "The ADM approves after the panel: give the panel date.")
        )
    if get("panel_date") and not get("stage2_start_date"):
        problems.append(
            Problem(
                "stage2_start_date", "The panel considers a Stage 2 assessment: give its start."
            )
        )
    left = get("left_date")
    if left:
        if not get("left_reason"):
            problems.append(Problem("left_reason", "Say why the household left the process."))
        starts = [get(n) for n in ORDERED_DATES if get(n)]
        if starts and left < starts[0]:
            problems.append(
                Problem(
                    "left_date",
                    f"Leaving the process ({d(left)}) is before the household's first step "
                    f"({d(starts[0])}).",
                )
            )
        for name in ORDERED_DATES:
            value = get(name)
            if value and value > left:
                problems.append(
                    Problem(
                        name,
                        f"{LABELS[name]} ({d(value)}) is after the household left the process "
                        f"({d(left)}).",
                    )
                )
    elif get("left_reason"):
        problems.append(Problem("left_date", "Give the date the household left the process."))

    # Stage 2 more than 6 months after the end of Stage 1: allowed, but worth a look until the
    # reason is recorded (then the household's page shows the reason instead).
    if stage2_late(values) and not (get("stage2_late_reason") or "").strip():
        s1, s2 = get("stage1_end_date"), get("stage2_start_date")
        problems.append(
            Problem(
                "stage2_start_date",
                f"Stage 2 started on {d(s2)}, more than {STAGE2_WITHIN_MONTHS} months after "
                f"Stage 1 ended ({d(s1)}). Check the dates; if they are right, record why "
                "(the applicants normally have up to 6 months to go on to Stage 2).",
                hard=False,
            )
        )
    problems += check_applicants(values)
    problems += check_ages(values, today=today)
    problems += check_offer(values)
    return problems


def stage2_late(values: dict) -> bool:
    """Whether Stage 2 started more than 6 months after Stage 1 ended (DOMAIN.md A.6)."""
    s1, s2 = values.get("stage1_end_date"), values.get("stage2_start_date")
    return bool(s1 and s2 and s2 >= add_months(s1, STAGE2_WITHIN_MONTHS))


def stage2_late_possible(values: dict, *, today: date) -> bool:
    """Whether a Stage 2 starting now or later would be late (Stage 1 ended over 6 months ago
    and Stage 2 has not started), or it already started late: the form then asks why."""
    s1 = values.get("stage1_end_date")
    if stage2_late(values):
        return True
    return bool(s1 and not values.get("stage2_start_date")) and (
        today >= add_months(s1, STAGE2_WITHIN_MONTHS)
    )


#: What a household can offer, in the words its page and warnings use; empty = not yet discussed.
OFFER_LABELS = {
    "children_wanted": "how many children",
    "youngest_age": "the youngest age",
    "oldest_age": "the oldest age",
    "sibling_group": "sibling groups",
    "sex_preference": "a boy or a girl",
    "health_needs": "health needs",
    "disability_needs": "disability",
    "developmental_uncertainty": "developmental uncertainty",
    "contact": "contact",
}


def offer_not_discussed(values: dict) -> list[str]:
    """The parts of what a household can offer that are not yet discussed (empty), in words."""
    return [label for name, label in OFFER_LABELS.items() if values.get(name) in (None, "")]


#: Adoption and Children Act 2002 ss.50-51: each adopter is at least 21.
ADOPTER_MIN_AGE = 21


def check_ages(values: dict, *, today: date) -> list[Problem]:
    problems = []
    for which in ("first", "second"):
        name = f"{which}_applicant_date_of_birth"
        born = values.get(name)
        if not born:
            continue
        if born > today:
            problems.append(Problem(name, f"The date of birth ({d(born)}) is in the future."))
            continue
        if message := adult_birth_message(born, today=today):
            problems.append(Problem(name, message))
            continue
        approved = values.get("approval_date")
        if approved and approved < add_months(born, 12 * ADOPTER_MIN_AGE):
            problems.append(
                Problem(
                    name,
                    f"The {which} applicant was under {ADOPTER_MIN_AGE} when approved "
                    f"({d(approved)}): adopters must be {ADOPTER_MIN_AGE} or over.",
                )
            )
    return problems


def check_applicants(values: dict) -> list[Problem]:
    """The applicants and the AD1 legal status agree (NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR)."""
    get = values.get
    problems = []
    couple = bool((get("second_applicant") or "").strip())
    status = get("legal_status") or ""
    if not couple:
        second_details = [
            n
            for n in ("second_applicant_date_of_birth", "second_applicant_sex")
            if get(n) not in (None, "")
        ]
        if second_details or get("second_applicant_ethnicity") or get("second_applicant_disabled"):
            problems.append(
                Problem(
                    "second_applicant",
                    "Details of a second applicant are given without a name: give their name, "
                    "or clear their details.",
                )
            )
        if status and status != "L0":
            problems.append(
                Problem(
                    "legal_status",
                    f"{status} is a couple's legal status, but there is one applicant. A single "
                    "applicant is L0.",
                )
            )
        return problems
    if status == "L0":
        problems.append(
            Problem(
                "legal_status",
                "L0 (single) is for one applicant, but there are two. Choose the couple's status.",
            )
        )
    sexes = {get("first_applicant_sex"), get("second_applicant_sex")}
    if status in COUPLE_STATUSES and "" not in sexes and None not in sexes:
        rule = COUPLE_STATUSES[status]
        if rule == "MF" and sexes != {"M", "F"}:
            problems.append(
                Problem(
                    "legal_status",
                    f"{status} is a different-gender couple, but both applicants are recorded "
                    "as the same sex.",
                )
            )
        if rule == "same" and len(sexes) != 1:
            problems.append(
                Problem(
                    "legal_status",
                    f"{status} is a same-gender couple, but the applicants are recorded as of "
                    "different sexes.",
                )
            )
    return problems


def check_offer(values: dict) -> list[Problem]:
    get = values.get
    problems = []
    young, old = get("youngest_age"), get("oldest_age")
    if get("children_wanted") is not None and get("children_wanted") < 1:
        problems.append(Problem("children_wanted", "A household takes at least one child."))
    for name, value in (("youngest_age", young), ("oldest_age", old)):
        if value is not None and value > 17:
            problems.append(
                Problem(name, f"Children are adopted before they are 18: {value} is too old.")
            )
    if young is not None and old is not None and old < young:
        problems.append(
            Problem("oldest_age", f"The oldest age ({old}) is below the youngest age ({young}).")
        )
    if get("sibling_group") and get("children_wanted") is not None and get("children_wanted") < 2:
        problems.append(
            Problem(
                "children_wanted",
                "A household that can take a sibling group can take at least 2 children.",
            )
        )
    if get("recruited_outside_region") and not get("outside_agency"):
        problems.append(Problem("outside_agency", "Say which agency approved this household."))
    if get("outside_agency") and not get("recruited_outside_region"):
        problems.append(
            Problem(
                "recruited_outside_region",
                "An approving agency is given: tick 'recruited outside the region' or clear it.",
            )
        )
    # An approved household whose offer is partly not yet discussed: family finding cannot
    # rank it on those points, so ask (allowed: a soft warning).
    missing = offer_not_discussed(values) if get("approval_date") else []
    if missing:
        problems.append(
            Problem(
                "health_needs",
                "Approved, but what they can offer is not yet discussed for: "
                f"{', '.join(missing)}. Family finding cannot rank them on these: ask them "
                "and record it.",
                hard=False,
            )
        )
    return problems


def check_hold(
    *, start: date, end: date | None, household_values: dict, others: list, today: date
) -> list[Problem]:
    """A hold period: dates in order, not in the future, inside the household's time in the
    process, not overlapping another hold (``others``: (start, end) of the other holds)."""
    problems = []
    for name, value in (("start_date", start), ("end_date", end)):
        if value and value > today:
            problems.append(Problem(name, f"The date ({d(value)}) is in the future."))
        elif value and (message := before_earliest_message("The date", value)):
            problems.append(Problem(name, message))
    if end and end < start:
        problems.append(
            Problem("end_date", f"The end of the hold ({d(end)}) is before its start ({d(start)}).")
        )
    first = next((household_values[n] for n in ORDERED_DATES if household_values.get(n)), None)
    if first and start < first:
        problems.append(
            Problem(
                "start_date",
                f"The hold starts ({d(start)}) before the household's first step ({d(first)}).",
            )
        )
    left = household_values.get("left_date")
    if left and start > left:
        problems.append(
            Problem(
                "start_date",
                f"The household left the process on {d(left)}: a hold cannot start after that.",
            )
        )
    for other_start, other_end in others:
        if start <= (other_end or date.max) and other_start <= (end or date.max):
            until = d(other_end) if other_end else "now"
            problems.append(
                Problem(
                    "start_date",
                    f"This hold overlaps another, from {d(other_start)} to {until}.",
                )
            )
    return problems


def check_child_step(*, household, kind: str, on: date) -> list[Problem]:
    """A link, match or placement with this household on ``on``: the household must be in the
    process then, and approved by the match (a link may come before approval: a warning)."""
    problems = []
    if household.left_date and household.left_date <= on:
        problems.append(
            Problem(
                "household",
                f"Household {household.reference} left the process on {d(household.left_date)}.",
            )
        )
    approved = household.approval_date
    if kind in ("matched", "placed") and (approved is None or approved > on):
        step = "matched" if kind == "matched" else "placed"
        step_name = "match" if step == "matched" else "placement"
        if approved:
            when = f"was approved on {d(approved)}, after the {step_name} date ({d(on)})"
            then = ""
        else:
            stage = StageCode(household.date_stage()).label
            when = f"is in {stage} and not approved yet"
            then = " Record the household's approval (panel and ADM decision) first."
        problems.append(
            Problem(
                "household",
                f"Household {household.reference} {when}: a child can be {step} only with "
                f"approved adopters.{then}",
            )
        )
    elif kind == "linked" and (approved is None or approved > on):
        problems.append(
            Problem(
                "household",
                f"Household {household.reference} is linked before it was approved: check the "
                "approval is on its way.",
                hard=False,
            )
        )
    return problems


@dataclass(frozen=True)
class ExpectedApproval:
    """When a household still in assessment may be approved, and how that was worked out."""

    stage: str  # the StageCode of the household's dates
    on: date | None  # None: awaiting the ADM's decision after the panel
    basis: str  # e.g. "Stage 2 started 15/04/2024"
    late: bool = False  # the expected date has passed

    @property
    def text(self) -> str:
        """'expected approval ~ 15/08/2024 (Stage 2 started 15/04/2024)', or once that date
        has passed, 'approval was expected ~ 15/08/2024 (Stage 2 started 15/04/2024): past
        the target'."""
        if self.on is None:
            return f"expected approval soon ({self.basis})"
        if self.late:
            return f"approval was expected ~ {d(self.on)} ({self.basis}): past the target"
        return f"expected approval ~ {d(self.on)} ({self.basis})"


def expected_approval(household, *, today: date) -> ExpectedApproval | None:
    """When a household in assessment (registered, not approved, not left) may be approved,
    from its dates and the statutory targets of DOMAIN.md A.6: after the panel, the ADM's
    decision is awaited; in Stage 2, its start + 4 months; between stages, 4 months from the
    later of the end of Stage 1 and today (Stage 2 not yet started); in Stage 1, its start +
    2 + 4 months (``late`` once that date has passed). None for a household approved, left,
    or not yet registered."""
    registered = (
        household.registration_date or household.stage2_start_date
    )  # fast-track: no Stage 1
    if household.approval_date or household.left_date or not registered:
        return None
    stage = household.date_stage()
    if household.panel_date:
        return ExpectedApproval(
            stage, None, f"panel on {d(household.panel_date)}, awaiting the ADM's decision"
        )
    if household.stage2_start_date:
        on = add_months(household.stage2_start_date, STAGE2_TARGET_MONTHS)
        return ExpectedApproval(
            stage, on, f"Stage 2 started {d(household.stage2_start_date)}", late=on < today
        )
    if household.stage1_end_date:
        start = max(household.stage1_end_date, today)
        return ExpectedApproval(
            stage,
            add_months(start, STAGE2_TARGET_MONTHS),
            f"Stage 1 ended {d(household.stage1_end_date)}; Stage 2 not started yet",
        )
    on = add_months(household.registration_date, STAGE1_TARGET_MONTHS + STAGE2_TARGET_MONTHS)
    return ExpectedApproval(
        stage, on, f"Stage 1 started {d(household.registration_date)}", late=on < today
    )
