"""The organisation: the regional adoption agency, its partner councils, people and their roles.

A person's powers come only from their active memberships: a role over a scope, where the scope
is one council or (``council`` empty) the whole region. One person may hold several.
"""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

LA_CODE_VALIDATOR = RegexValidator(
    r"^[0-9]{3}\Z", "A DfE LA code is three digits, e.g. 301.", code="la_code"
)


class Region(models.Model):
    """The regional adoption agency (RAA) that the partner councils pool their work into."""

    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Council(models.Model):
    """A partner council (local authority) of the region, known by its DfE LA code."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    la_code = models.CharField(
        "DfE LA code", max_length=3, unique=True, validators=[LA_CODE_VALIDATOR]
    )
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_code__regex=r"^[0-9]{3}$"), name="council_la_code_three_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. What they may see comes from :class:`Membership`."""

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    MANAGER = "manager", "Manager"
    BOARD_MEMBER = "board_member", "Board member"
    DATA_OFFICER = "data_officer", "Data officer"
    ADMINISTRATOR = "administrator", "Administrator"


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A role held by a person over one council or, with no council, over the whole region."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships")
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Leave empty for the whole region.",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "council"],
                condition=Q(ended_at__isnull=True, council__isnull=False),
                name="membership_one_active_per_council",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(ended_at__isnull=True, council__isnull=True),
                name="membership_one_active_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()} – {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return self.council.name if self.council_id else f"{self.region.name} (whole region)"


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    EXPORTED = "exported", "Exported"
    IMPORTED = "imported", "Imported"
    #: A search of a list: that it happened and how many rows it found, never the terms.
    SEARCHED = "searched", "Searched"
    #: A page or record the person asked for and was refused (403) or not shown (404).
    REFUSED = "refused", "Refused"
    #: A sign-in through the council's single sign-on (raa/sso.py); what was checked, no claims.
    SIGNED_IN = "signed_in", "Signed in"


class AuditEvent(models.Model):
    """One row per opening or change of a case record, search, export, import, or refused
    request.

    Holds identifiers only, never a child's or adopter's personal details, so the log itself can
    be read by auditors without widening who sees case data.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="audit_events")
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


# Defined beside the code that marks and clears it (raa/freshness.py); imported here so Django
# finds it among the app's models.
from raa.freshness import RecomputeMarker  # noqa: E402, F401
