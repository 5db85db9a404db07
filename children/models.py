"""Children with an adoption plan, their periods of care and the dated events of their journey.

The journey is a list of dated facts (:class:`JourneyEvent`), each with who recorded it; a
child's stage is derived from them, never typed. Definitions: DOMAIN.md Part A.2.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from children.querysets import ChildQuerySet, JourneyEventQuerySet
from raa.models import Council


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known / indeterminate"


class Ethnicity(models.TextChoices):
    """DfE ethnicity codes (SSDA903 ETHNIC)."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class SiblingGroup(models.Model):
    """Brothers and sisters the plan says should be placed together."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sibling_groups")
    reference = models.CharField(max_length=20)
    to_be_placed_together = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="sibling_group_unique")
        ]

    def __str__(self) -> str:
        return self.reference


class Child(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="children")
    child_id = models.CharField(
        "council's child ID", max_length=20, help_text="The ID in the council's case system."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabled = models.BooleanField("has a disability", default=False)
    upn = models.CharField("UPN", max_length=13, blank=True)
    allocated_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_children",
    )
    sibling_group = models.ForeignKey(
        SiblingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "child_id"], name="child_id_unique_in_council"
            )
        ]
        indexes = [models.Index(fields=["council", "last_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.child_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PeriodOfCare(models.Model):
    """A continuous period in care. Re-entry to care is a new period."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="periods_of_care")
    entered_care = models.DateField()
    left_care = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entered_care"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_care__isnull=True) | Q(left_care__gte=F("entered_care")),
                name="period_of_care_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        ended = f"{self.left_care:%d/%m/%Y}" if self.left_care else "now"
        return f"In care {self.entered_care:%d/%m/%Y} to {ended}"


class EventKind(models.TextChoices):
    PERMANENCE_DECISION = "permanence_decision", "Permanence decision (2nd review)"
    ADM_DECISION = "adm_decision", "ADM decision: should be placed for adoption"
    PLAN_CEASED = "plan_ceased", "Decision: no longer to be placed for adoption"
    FFA_DECISION = "ffa_decision", "FfA / concurrent planning decision"
    FFA_PLACEMENT = "ffa_placement", "FfA / concurrent planning placement"
    PLACEMENT_ORDER = "placement_order", "Placement order (or consent)"
    LINKED = "linked", "Linked with a household"
    MATCHED = "matched", "Matched (ADM match decision)"
    PLACED = "placed", "Placed for adoption"
    DISRUPTION = "disruption", "Disruption"
    ADOPTION_APPLICATION = "adoption_application", "Adoption application"
    ADOPTION_ORDER = "adoption_order", "Adoption order"


class CeasedReason(models.TextChoices):
    RD1 = "RD1", "RD1: the child's needs changed after the decision"
    RD2 = "RD2", "RD2: the court did not make a placement order"
    RD3 = "RD3", "RD3: prospective adopters could not be found"
    RD4 = "RD4", "RD4: any other reason"


class Authority(models.TextChoices):
    PLACEMENT_ORDER = "placement_order", "Placement order"
    CONSENT = "consent", "Parental consent"
    FREEING_ORDER = "freeing_order", "Freeing order (before 30 Dec 2005)"


class PlacementProvider(models.TextChoices):
    OWN_COUNCIL = "PR1", "Own council (or RAA hosted by it)"
    OTHER_COUNCIL = "PR2", "Another council (or RAA hosted by it)"
    OTHER_RAA = "RAA", "Another regional adoption agency"
    VOLUNTARY = "PR5", "Voluntary adoption agency"


class JourneyEvent(models.Model):
    """One dated step of a child's adoption journey, with who recorded it."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    date = models.DateField()
    household = models.ForeignKey(
        "adopters.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_events",
    )
    reason = models.CharField(max_length=200, blank=True, help_text="RD1–RD4 or disruption reason")
    authority = models.CharField(max_length=20, choices=Authority.choices, blank=True)
    placement_provider = models.CharField(
        max_length=3, choices=PlacementProvider.choices, blank=True
    )
    foster_carer_adoption = models.BooleanField(default=False)
    living_with_carers_since = models.DateField(null=True, blank=True)
    panel_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = JourneyEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"]), models.Index(fields=["child", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"
