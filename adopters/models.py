"""Prospective adopter households and the dates of their way through the process.

A household's stage is derived from its dates, never typed (DOMAIN.md Part A.6).
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from adopters.querysets import HouseholdQuerySet
from adopters.stages import StageCode
from children.models import Ethnicity
from raa.models import Council, Region


class FastTrack(models.TextChoices):
    NONE = "", "No"
    PREVIOUS_ADOPTER = "previous_adopter", "Previous adopters"
    FOSTER_CARER = "foster_carer", "Approved foster carers"


class LeftReason(models.TextChoices):
    WITHDREW = "withdrew", "Withdrew"
    NOT_SUITABLE_STAGE1 = "not_suitable_stage1", "Found not suitable at Stage 1"
    NOT_APPROVED = "not_approved", "Not approved"
    CIRCUMSTANCES = "circumstances", "Change of circumstances"
    ADOPTED_ELSEWHERE = "adopted_elsewhere", "Went to another agency"
    OTHER = "other", "Other"


class AdopterSex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"


class AdopterLegalStatus(models.TextChoices):
    """SSDA903 AD1 LS_ADOPTR codes (DOMAIN.md Part B 6.4)."""

    L0 = "L0", "L0: single"
    L11 = "L11", "L11: different-gender married couple"
    L12 = "L12", "L12: same-gender married couple"
    L2 = "L2", "L2: civil partnership"
    L3 = "L3", "L3: different-gender unmarried couple"
    L4 = "L4", "L4: same-gender couple, neither married nor civil partners"


class HowHeard(models.TextChoices):
    WEBSITE = "website", "The agency's website"
    SOCIAL_MEDIA = "social_media", "Social media"
    NATIONAL_CAMPAIGN = "national_campaign", "National campaign (You Can Adopt)"
    FRIEND_FAMILY = "friend_family", "Friends or family"
    EVENT = "event", "An event or talk"
    PRESS = "press", "Newspaper, radio or TV"
    FOSTERING = "fostering", "Through fostering"
    PREVIOUS_ADOPTION = "previous_adoption", "Adopted before"
    OTHER = "other", "Other"


class OutsideAgency(models.TextChoices):
    """Who approved a household recruited outside the region (the placement provider the child's
    903 record then carries: children.models.PlacementProvider)."""

    OTHER_COUNCIL = "PR2", "Another council"
    OTHER_RAA = "RAA", "Another regional adoption agency"
    VOLUNTARY = "PR5", "A voluntary adoption agency"


class NeedLevel(models.IntegerChoices):
    """How much of one kind of need a household can meet, or a child has."""

    NONE = 0, "None"
    MILD = 1, "Mild"
    MODERATE = 2, "Moderate"
    SIGNIFICANT = 3, "Significant"


class ContactLevel(models.IntegerChoices):
    """How much contact with the birth family a household can support, or a child's plan needs."""

    NONE = 0, "None"
    LETTERBOX = 1, "Letterbox (indirect)"
    SIBLINGS = 2, "Direct contact with brothers and sisters"
    BIRTH_FAMILY = 3, "Direct contact with birth parents or relatives"


class SexPreference(models.TextChoices):
    """A household's wish for a boy or a girl; empty: not yet discussed."""

    ANY = "A", "Either"
    MALE = "M", "Boy"
    FEMALE = "F", "Girl"


#: How a household's page, form and family finding show an offer nobody has recorded yet.
NOT_YET_DISCUSSED = "Not yet discussed"


class HoldReason(models.TextChoices):
    APPLICANTS = "applicants", "The applicants asked to pause"
    HEALTH = "health", "Health"
    CIRCUMSTANCES = "circumstances", "Change of circumstances"
    HOUSE_MOVE = "house_move", "Moving house"
    AGENCY = "agency", "The agency paused the assessment"
    OTHER = "other", "Other"


#: A household's stage once it has a child, from the latest journey event that names it
#: (available on querysets annotated with ``with_progress()``). After a disruption the
#: household is approved and waiting again.
PROGRESS_STAGES = {
    "linked": StageCode.LINKED,
    "matched": StageCode.MATCHED,
    "placed": StageCode.PLACED,
    "disruption": StageCode.APPROVED,
    "adoption_order": StageCode.ADOPTED,
}

#: The stage dates in the order they happen (DOMAIN.md A.6 and Part B 4.2).
STAGE_DATES = [
    "enquiry_date",
    "information_event_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "panel_date",
    "approval_date",
]
#: Pairs the database also holds in order (adjacent steps).
STAGE_ORDER = [
    ("enquiry_date", "registration_date"),
    ("registration_date", "stage1_end_date"),
    ("stage1_end_date", "stage2_start_date"),
    ("stage2_start_date", "panel_date"),
    ("panel_date", "approval_date"),
]


class Household(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="households")
    reference = models.CharField(max_length=20, unique=True)
    first_applicant = models.CharField("first applicant's name", max_length=200)
    first_applicant_date_of_birth = models.DateField(
        "first applicant's date of birth", null=True, blank=True
    )
    first_applicant_sex = models.CharField(
        "first applicant's sex", max_length=1, choices=AdopterSex.choices, blank=True
    )
    first_applicant_ethnicity = models.CharField(
        "first applicant's ethnicity", max_length=4, choices=Ethnicity.choices, blank=True
    )
    first_applicant_disabled = models.BooleanField(
        "first applicant has a disability", default=False
    )
    second_applicant = models.CharField(
        "second applicant's name",
        max_length=200,
        blank=True,
        help_text="Leave empty for a single applicant.",
    )
    second_applicant_date_of_birth = models.DateField(
        "second applicant's date of birth", null=True, blank=True
    )
    second_applicant_sex = models.CharField(
        "second applicant's sex", max_length=1, choices=AdopterSex.choices, blank=True
    )
    second_applicant_ethnicity = models.CharField(
        "second applicant's ethnicity", max_length=4, choices=Ethnicity.choices, blank=True
    )
    second_applicant_disabled = models.BooleanField(
        "second applicant has a disability", default=False
    )
    legal_status = models.CharField(
        "relationship / legal status (AD1)",
        max_length=3,
        choices=AdopterLegalStatus.choices,
        blank=True,
    )
    how_heard = models.CharField(
        "how they heard of the agency", max_length=20, choices=HowHeard.choices, blank=True
    )
    recruiting_council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner council whose area the household lives in, if any.",
    )
    recruited_outside_region = models.BooleanField(
        default=False, help_text="Approved by another agency: placements are inter-agency."
    )
    outside_agency = models.CharField(
        "approved by",
        max_length=3,
        choices=OutsideAgency.choices,
        blank=True,
        help_text="For a household recruited outside the region: the agency that approved them.",
    )
    fast_track = models.CharField(max_length=20, choices=FastTrack.choices, blank=True)
    dual_approval = models.BooleanField("dual approval (FfA / concurrent planning)", default=False)
    # What the household can offer (the family finder's view of them). Each starts empty: "not
    # yet discussed" (null, or "" for the boy-or-girl wish), never a value nobody chose; family
    # finding treats it as unknown (adopters.selectors.rank_households).
    children_wanted = models.PositiveSmallIntegerField(
        "up to how many children",
        null=True,
        blank=True,
        help_text="At one time, as one family. Leave empty if not yet discussed.",
    )
    youngest_age = models.PositiveSmallIntegerField(
        "youngest age (years)",
        null=True,
        blank=True,
        help_text="0 for a baby. Leave empty if not yet discussed.",
    )
    oldest_age = models.PositiveSmallIntegerField(
        "oldest age (years)", null=True, blank=True, help_text="Leave empty if not yet discussed."
    )
    sibling_group = models.BooleanField("can take a sibling group", null=True, blank=True)
    sex_preference = models.CharField(
        "boy or girl", max_length=1, choices=SexPreference.choices, blank=True
    )
    health_needs = models.PositiveSmallIntegerField(
        "health needs they can meet", choices=NeedLevel.choices, null=True, blank=True
    )
    disability_needs = models.PositiveSmallIntegerField(
        "disability they can meet", choices=NeedLevel.choices, null=True, blank=True
    )
    developmental_uncertainty = models.PositiveSmallIntegerField(
        "developmental uncertainty they can accept",
        choices=NeedLevel.choices,
        null=True,
        blank=True,
    )
    contact = models.PositiveSmallIntegerField(
        "contact they can support", choices=ContactLevel.choices, null=True, blank=True
    )
    other_preferences = models.TextField(
        "other preferences",
        blank=True,
        help_text="Anything else a family finder should know (e.g. no pets, a child who "
        "shares their faith). No names.",
    )
    enquiry_date = models.DateField(null=True, blank=True)
    information_event_date = models.DateField("information event attended", null=True, blank=True)
    registration_date = models.DateField(
        "registration of interest (Stage 1 starts)", null=True, blank=True
    )
    stage1_end_date = models.DateField("Stage 1 ends", null=True, blank=True)
    stage2_start_date = models.DateField("Stage 2 starts", null=True, blank=True)
    stage2_late_reason = models.TextField(
        "why Stage 2 started late",
        blank=True,
        help_text="Only when Stage 2 started more than 6 months after Stage 1 ended: why "
        "(for example, the applicants paused for a house move). No names.",
    )
    panel_date = models.DateField("approval panel", null=True, blank=True)
    approval_date = models.DateField("approved by the ADM", null=True, blank=True)
    left_date = models.DateField("left the process", null=True, blank=True)
    left_reason = models.CharField(max_length=30, choices=LeftReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_date__isnull=True) | ~Q(left_reason=""),
                name="household_left_needs_reason",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{a}__isnull": True})
                    | Q(**{f"{b}__isnull": True})
                    | Q(**{f"{b}__gte": F(a)}),
                    name=f"household_{b}_after_{a}",
                )
                for a, b in STAGE_ORDER
            ],
            models.CheckConstraint(
                condition=Q(oldest_age__isnull=True)
                | Q(youngest_age__isnull=True)
                | Q(oldest_age__gte=F("youngest_age")),
                name="household_age_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(children_wanted__isnull=True) | Q(children_wanted__gte=1),
                name="household_wants_a_child",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def applicants(self) -> str:
        return " and ".join(n for n in (self.first_applicant, self.second_applicant) if n)

    @property
    def is_couple(self) -> bool:
        return bool(self.second_applicant)

    @property
    def sex_code(self) -> str:
        """AD1 SEX_ADOPTR (M1, F1, MM, FF, MF) from the applicants' sexes; empty if unknown."""
        sexes = [self.first_applicant_sex, *([self.second_applicant_sex] if self.is_couple else [])]
        if not all(sexes):
            return ""
        if len(sexes) == 1:
            return f"{sexes[0]}1"
        return "MF" if set(sexes) == {"M", "F"} else sexes[0] * 2

    @property
    def stage_code(self) -> str:
        """The derived stage: from the ``with_progress()`` annotation when present, else read
        with that annotation in one query (so both ways agree)."""
        annotated = self.__dict__.get("derived_stage")
        if annotated:
            return annotated
        if self.pk is None:
            return StageCode.LEFT if self.left_date else self.date_stage()
        return (
            type(self)
            .objects.with_progress()
            .values_list("derived_stage", flat=True)
            .get(pk=self.pk)
        )

    def date_stage(self) -> str:
        """The stage the stage dates alone give."""
        if self.approval_date:
            return StageCode.APPROVED
        if self.stage2_start_date:
            return StageCode.STAGE2
        if self.stage1_end_date:
            return StageCode.BETWEEN
        if self.registration_date:
            return StageCode.STAGE1
        if self.information_event_date:
            return StageCode.INFORMATION_EVENT
        return StageCode.ENQUIRY

    @property
    def stage(self) -> str:
        return StageCode(self.stage_code).label


class HoldPeriod(models.Model):
    """A time the household's assessment or family finding was paused."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="hold_periods")
    start_date = models.DateField("on hold from")
    end_date = models.DateField("on hold until", null=True, blank=True)
    reason = models.CharField(max_length=20, choices=HoldReason.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="hold_period_dates_in_order",
                violation_error_message="The end of the hold is before its start.",
            )
        ]

    def __str__(self) -> str:
        until = f"{self.end_date:%d/%m/%Y}" if self.end_date else "now"
        return f"On hold {self.start_date:%d/%m/%Y} to {until}"


class ChildNeeds(models.Model):
    """What a family finder says a waiting child needs of a family, for ranking households.

    Kept on the adopters side (the child's record holds only whether they are disabled); one
    row per child, changed with history.
    """

    child = models.OneToOneField(
        "children.Child", on_delete=models.PROTECT, related_name="family_finding_needs"
    )
    health_needs = models.PositiveSmallIntegerField(choices=NeedLevel.choices)
    disability_needs = models.PositiveSmallIntegerField("disability", choices=NeedLevel.choices)
    developmental_uncertainty = models.PositiveSmallIntegerField(choices=NeedLevel.choices)
    contact = models.PositiveSmallIntegerField("contact in the plan", choices=ContactLevel.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "child's needs for family finding"
        verbose_name_plural = "children's needs for family finding"

    def __str__(self) -> str:
        return f"Needs of child {self.child_id}"
