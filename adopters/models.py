"""Prospective adopter households and the dates of their way through the process.

A household's stage is derived from its dates, never typed (DOMAIN.md Part A.6).
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from adopters.querysets import HouseholdQuerySet
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


#: A household's stage once it has a child, from the latest journey event that names it
#: (available on querysets annotated with ``with_progress()``).
PROGRESS_STAGES = {
    "linked": "Linked",
    "matched": "Matched",
    "placed": "Child placed",
    "disruption": "Approved, waiting (after a disruption)",
    "adoption_order": "Adopted",
}

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
    first_applicant = models.CharField(max_length=200)
    second_applicant = models.CharField(max_length=200, blank=True)
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
    fast_track = models.CharField(max_length=20, choices=FastTrack.choices, blank=True)
    dual_approval = models.BooleanField("dual approval (FfA / concurrent planning)", default=False)
    children_wanted = models.PositiveSmallIntegerField(default=1)
    enquiry_date = models.DateField(null=True, blank=True)
    registration_date = models.DateField(
        "registration of interest (Stage 1 starts)", null=True, blank=True
    )
    stage1_end_date = models.DateField("Stage 1 ends", null=True, blank=True)
    stage2_start_date = models.DateField("Stage 2 starts", null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def applicants(self) -> str:
        return " and ".join(n for n in (self.first_applicant, self.second_applicant) if n)

    @property
    def stage(self) -> str:
        if self.left_date:
            return "Left the process"
        progress = getattr(self, "latest_child_event_kind", None)
        if progress in PROGRESS_STAGES:
            return PROGRESS_STAGES[progress]
        if self.approval_date:
            return "Approved, waiting"
        if self.stage2_start_date:
            return "Stage 2"
        if self.stage1_end_date:
            return "Between stages"
        if self.registration_date:
            return "Stage 1"
        return "Enquiry"
