"""Children with an adoption plan, their periods of care and the dated events of their journey.

The journey is a list of dated facts (:class:`JourneyEvent`), each with who recorded it; a
child's stage is derived from them, never typed. Definitions: DOMAIN.md Part A.2.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from children.querysets import ChildQuerySet, JourneyEventManager, JourneyEventQuerySet
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


class LegalStatus(models.TextChoices):
    """SSDA903 legal status (LS) codes."""

    C1 = "C1", "C1: interim care order"
    C2 = "C2", "C2: full care order"
    D1 = "D1", "D1: freeing order granted"
    E1 = "E1", "E1: placement order granted"
    J1 = "J1", "J1: remanded to local authority accommodation"
    J2 = "J2", "J2: placed under police protection in LA accommodation"
    J3 = "J3", "J3: sentenced to CYPA 1969 supervision order with residence requirement"
    L1 = "L1", "L1: under police protection in LA accommodation"
    L2 = "L2", "L2: emergency protection order"
    L3 = "L3", "L3: under child assessment order, away from home"
    V2 = "V2", "V2: accommodated under section 20 (single period)"
    V3 = "V3", "V3: accommodated under an agreed series of short breaks"
    V4 = "V4", "V4: accommodated under an agreed series of short breaks (other)"


class LeftCareReason(models.TextChoices):
    """SSDA903 reason episode ceased (REC) codes that end a period of care."""

    E11 = "E11", "E11: adopted, application unopposed"
    E12 = "E12", "E12: adopted, consent dispensed with by the court"
    E13 = "E13", "E13: left care to live with parents or relatives"
    E2 = "E2", "E2: died"
    E3 = "E3", "E3: care taken over by another local authority"
    E41 = "E41", "E41: child arrangements (residence) order"
    E45 = "E45", "E45: special guardianship order, former foster carers"
    E46 = "E46", "E46: special guardianship order, carers other than former foster carers"
    E47 = "E47", "E47: special guardianship order, relatives or friends"
    E48 = "E48", "E48: special guardianship order, other"
    E4A = "E4A", "E4A: returned home to parents as part of the care plan"
    E4B = "E4B", "E4B: returned home to parents not as part of the care plan"
    E5 = "E5", "E5: moved to independent living with supportive accommodation"
    E6 = "E6", "E6: moved to independent living with no formal support"
    E7 = "E7", "E7: transferred to residential care funded by adult social care"
    E8 = "E8", "E8: period of being looked after ended for any other reason"
    E9 = "E9", "E9: sentenced to custody"
    E14 = "E14", "E14: accommodation on remand ended"
    E15 = "E15", "E15: age assessment found the child to be 18 or over"
    E16 = "E16", "E16: child moved abroad"
    E17 = "E17", "E17: aged 18, stayed with current carers (staying put)"


ADOPTED_REASONS = (LeftCareReason.E11, LeftCareReason.E12)


class ClosedReason(models.TextChoices):
    ADOPTED = "adopted", "Adopted: the adoption order is made and the case is closed"
    PLAN_CHANGED = "plan_changed", "The plan is no longer adoption"
    TRANSFERRED = "transferred", "Moved to another council"
    DUPLICATE = "duplicate", "Duplicate record (the child has another record)"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    """Where a child is on the journey, derived from the milestones (never typed)."""

    NO_DECISION = "no_decision", "In care, no adoption decision yet"
    WAITING = "waiting", "Waiting: ADM decision made"
    WAITING_PO = "waiting_po", "Waiting: placement order made"
    LINKED = "linked", "Linked with a family"
    MATCHED = "matched", "Matched"
    PLACED = "placed", "Placed for adoption"
    ADOPTED = "adopted", "Adopted"
    PLAN_CHANGED = "plan_changed", "Plan changed from adoption"
    LEFT_CARE = "left_care", "Left care"


#: Stages in which a child counts as waiting (DOMAIN A.5: ADM decision made, not placed, plan
#: not reversed, not adopted).
WAITING_STAGES = (Stage.WAITING, Stage.WAITING_PO, Stage.LINKED, Stage.MATCHED)
#: Stages in which a child is in the adoption process (tracking lists, alerts).
IN_PROCESS_STAGES = (*WAITING_STAGES, Stage.PLACED)


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


SUMMARY_FIELDS = [
    "stage",
    "entered_care_date",
    "left_care_date",
    "adm_decision_date",
    "plan_ceased_date",
    "placement_order_date",
    "linked_date",
    "matched_date",
    "placed_date",
    "disruption_date",
    "adoption_order_date",
]


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
    siblings_placed_together = models.PositiveSmallIntegerField(
        "children placed together (including this child)",
        null=True,
        blank=True,
        help_text="For a child in a sibling group, once placed: how many of the group were "
        "placed together, counting this child.",
    )
    siblings_placed_apart = models.PositiveSmallIntegerField(
        "brothers and sisters placed apart",
        null=True,
        blank=True,
        help_text="How many of the group were placed elsewhere.",
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)

    # The journey summary: derived from the periods of care and journey events by
    # children.services.refresh_journey_summaries, never typed.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NO_DECISION)
    entered_care_date = models.DateField(null=True, blank=True, editable=False)
    left_care_date = models.DateField(null=True, blank=True, editable=False)
    adm_decision_date = models.DateField(null=True, blank=True, editable=False)
    plan_ceased_date = models.DateField(null=True, blank=True, editable=False)
    placement_order_date = models.DateField(null=True, blank=True, editable=False)
    linked_date = models.DateField(null=True, blank=True, editable=False)
    matched_date = models.DateField(null=True, blank=True, editable=False)
    placed_date = models.DateField(null=True, blank=True, editable=False)
    disruption_date = models.DateField(null=True, blank=True, editable=False)
    adoption_order_date = models.DateField(null=True, blank=True, editable=False)

    #: Bumped by every change to the child's record or journey; a form that was opened at an
    #: older version is refused (two people editing the same child at once).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", *SUMMARY_FIELDS])

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "child_id"], name="child_id_unique_in_council"
            )
        ]
        indexes = [
            models.Index(fields=["council", "last_name"]),
            models.Index(fields=["council", "stage"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.child_id})"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def is_waiting(self) -> bool:
        return self.stage in WAITING_STAGES

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ChecksInPython:
    """A model whose simple check constraints are tested in Python before a save, with the same
    condition the database enforces (``PYTHON_CHECKS``: name -> (fields, condition)). Django
    would test each with a query in a savepoint, three round trips a constraint on every save;
    a case system's batch saves a thousand steps. The database still enforces them all."""

    PYTHON_CHECKS: dict = {}

    def get_constraints(self):
        return [
            (model, [c for c in constraints if c.name not in self.PYTHON_CHECKS])
            for model, constraints in super().get_constraints()
        ]

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        errors = [
            ValidationError(c.get_violation_error_message(), code=c.violation_error_code)
            for c in self._meta.constraints
            if c.name in self.PYTHON_CHECKS
            and not self.PYTHON_CHECKS[c.name][0] & exclude
            and not self.PYTHON_CHECKS[c.name][1](self)
        ]
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if not errors:
                raise
            found = error.update_error_dict({})
            found.setdefault(NON_FIELD_ERRORS, []).extend(errors)
            raise ValidationError(found) from None
        if errors:
            raise ValidationError({NON_FIELD_ERRORS: errors})


class PeriodOfCare(ChecksInPython, models.Model):
    """A continuous period in care. Re-entry to care is a new period."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="periods_of_care")
    entered_care = models.DateField()
    legal_status = models.CharField(
        "legal status on entering care", max_length=2, choices=LegalStatus.choices, blank=True
    )
    left_care = models.DateField(null=True, blank=True)
    left_care_reason = models.CharField(
        "reason for leaving care", max_length=3, choices=LeftCareReason.choices, blank=True
    )
    #: The council's case system's own reference for this period (sent through the API). One
    #: period per reference and child: a partial unique index (migration 0007), which the
    #: database alone enforces (the API looks the reference up before it writes).
    source_ref = models.CharField("case system reference", max_length=40, blank=True)
    history = HistoricalRecords()

    PYTHON_CHECKS = {
        "period_of_care_dates_in_order": (
            {"left_care", "entered_care"},
            lambda p: (
                p.left_care is None or p.entered_care is None or p.left_care >= p.entered_care
            ),
        ),
        "period_of_care_left_with_reason": (
            {"left_care", "left_care_reason"},
            lambda p: (p.left_care is None) == (p.left_care_reason == ""),
        ),
    }

    class Meta:
        ordering = ["entered_care"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_care__isnull=True) | Q(left_care__gte=F("entered_care")),
                name="period_of_care_dates_in_order",
                violation_error_message="The date the child left care is before the date they "
                "entered care.",
            ),
            models.CheckConstraint(
                condition=Q(left_care__isnull=True, left_care_reason="")
                | Q(left_care__isnull=False) & ~Q(left_care_reason=""),
                name="period_of_care_left_with_reason",
                violation_error_message="Give both the date the child left care and the reason, "
                "or neither.",
            ),
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


class DisruptionReason(models.TextChoices):
    """SSDA903 reason for placement change (REASON_PLACE_CHANGE) codes."""

    CARPL = "CARPL", "Change to or implementation of the care plan"
    CLOSE = "CLOSE", "Carers asked for the placement to end because of the child's behaviour"
    CREQB = "CREQB", "Carers asked for the placement to end for other reasons"
    CHILD = "CHILD", "The child asked for the placement to end"
    LAREQ = "LAREQ", "The council ended the placement to protect the child"
    STAND = "STAND", "Concerns about the standard of care"
    ALLEG = "ALLEG", "An allegation against the carers"
    OTHER = "OTHER", "Other reason"


class PlacementProvider(models.TextChoices):
    OWN_COUNCIL = "PR1", "Own council (or RAA hosted by it)"
    OTHER_COUNCIL = "PR2", "Another council (or RAA hosted by it)"
    OTHER_RAA = "RAA", "Another regional adoption agency"
    VOLUNTARY = "PR5", "Voluntary adoption agency"


class JourneyEvent(ChecksInPython, models.Model):
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
    ceased_reason = models.CharField(
        "reason the plan changed", max_length=3, choices=CeasedReason.choices, blank=True
    )
    disruption_reason = models.CharField(
        "reason the placement ended", max_length=5, choices=DisruptionReason.choices, blank=True
    )
    authority = models.CharField(
        "authority to place", max_length=20, choices=Authority.choices, blank=True
    )
    placement_provider = models.CharField(
        max_length=3, choices=PlacementProvider.choices, blank=True
    )
    foster_carer_adoption = models.BooleanField(
        "adopted by their foster carers",
        default=False,
        help_text="The family were already the child's foster carers (including FfA or "
        "concurrent planning carers).",
    )
    living_with_carers_since = models.DateField(
        "living with those carers since", null=True, blank=True
    )
    panel_date = models.DateField("matching panel date", null=True, blank=True)
    #: What the person confirmed when they matched the child with this household although it
    #: was not the linked one, or was already matched with another child (a data-quality note).
    household_warning = models.CharField("household confirmed despite", max_length=400, blank=True)
    #: A link made while the household was still in assessment (not yet approved on the link's
    #: date): for a child who is harder to place (issue 20 item 11). Set when the link is
    #: recorded, from the household's approval date, and kept once the household is approved,
    #: so the record shows that the link started early.
    early_link = models.BooleanField(
        "early link (household still in assessment)",
        default=False,
        help_text="The household was not yet approved when the child was linked with them.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    #: A step recorded by mistake is withdrawn, never deleted: it stays in the history and is
    #: left out of every journey, list and measure.
    entered_in_error = models.BooleanField(default=False)
    withdrawn_reason = models.CharField("why it was withdrawn", max_length=200, blank=True)
    #: The council's case system's own reference for this step (sent through the API): the same
    #: reference again is a correction. A withdrawn step keeps it, so the reference can be
    #: used again for a new step. One standing step per reference and child: a partial unique
    #: index (migration 0007) the database alone enforces, so that saving a step costs no
    #: extra query (the API looks the reference up before it writes).
    source_ref = models.CharField("case system reference", max_length=40, blank=True)
    history = HistoricalRecords()

    objects = JourneyEventManager()
    all_objects = JourneyEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["kind", "date"]), models.Index(fields=["child", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="plan_ceased")
                | Q(ceased_reason__in=["RD1", "RD2", "RD3", "RD4"]),
                name="plan_ceased_has_reason",
                violation_error_message="Give the reason (RD1 to RD4) the child should no longer "
                "be placed for adoption.",
            ),
            models.CheckConstraint(
                condition=Q(living_with_carers_since__isnull=True)
                | Q(living_with_carers_since__lte=F("date")),
                name="living_with_carers_before_placed",
                violation_error_message="The date the child started living with the carers is "
                "after the date placed for adoption.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    #: Tested in Python before a save (:class:`ChecksInPython`): (fields, condition).
    PYTHON_CHECKS = {
        "plan_ceased_has_reason": (
            {"kind", "ceased_reason"},
            lambda e: e.kind != EventKind.PLAN_CEASED or e.ceased_reason in CeasedReason.values,
        ),
        "living_with_carers_before_placed": (
            {"living_with_carers_since", "date"},
            lambda e: (
                e.living_with_carers_since is None
                or e.date is None
                or e.living_with_carers_since <= e.date
            ),
        ),
    }


class DataQualityFlag(models.Model):
    """A date rule a child's journey breaks, as found the last time the journey changed.

    Derived from the record (children.date_rules), replaced whole on every change: soft rules
    save with a flag; hard rules can only be here for records that came from an import or
    from before a rule existed.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="quality_flags")
    event = models.ForeignKey(
        JourneyEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(max_length=40)
    hard = models.BooleanField(default=False)
    message = models.CharField(max_length=400)
    #: Found by a 903 import in the council's files (kept until the next import of the child)
    #: rather than by the date rules on the stored journey (replaced on every change).
    from_import = models.BooleanField(default=False)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child_id", "id"]
        indexes = [models.Index(fields=["rule"])]

    def __str__(self) -> str:
        return self.message


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    REFUSED = "refused", "Refused: nothing imported"
    FAILED = "failed", "Stopped by an unexpected error: nothing imported"


class ImportRun(models.Model):
    """One import of a council's SSDA903 files (from the upload page or ``import_903``).

    The uploaded files are held in ``files`` only until the run has finished; ``report`` keeps
    what a data officer needs afterwards: counts, each child skipped with the file, row,
    column, value and rule, and the data-quality findings. Child IDs, never names.
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="import_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    dry_run = models.BooleanField("check only (write nothing)", default=False)
    strict = models.BooleanField("refuse the whole import on any error", default=False)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage_label = models.CharField(max_length=100, blank=True)
    files = models.JSONField(default=dict, blank=True, editable=False)
    report = models.JSONField(default=dict, blank=True, editable=False)
    exit_code = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"903 import {self.pk} ({self.council}, {self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)
