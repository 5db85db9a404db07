"""API clients: a council's case system (LCS, Mosaic, Eclipse…) pushing what it already holds.

A client is its own kind of account, never a person: it has a name, the councils (or the whole
region) it may write, a token shown once and stored only as its SHA-256, and a service user
(``api-<slug>``, inactive, no usable password, so it can never sign in to the site) that stands
as "who" in the records' history and the audit log.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from raa.models import Council, Region


class ApiClientQuerySet(models.QuerySet):
    def active(self) -> "ApiClientQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    name = models.CharField(max_length=100, unique=True)
    councils = models.ManyToManyField(
        Council,
        blank=True,
        related_name="api_clients",
        help_text="The councils whose children the client may write.",
    )
    whole_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text="Every council of this region (instead of a list of councils).",
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        help_text="Stands as who made each change in the history and the audit log.",
    )
    #: SHA-256 of the token (hex). The token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: The first characters of the token, to tell tokens apart (not enough to use one).
    token_prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def council_ids(self) -> set[int]:
        """Ids of the councils the client may use."""
        if self.whole_region_id:
            return set(
                Council.objects.filter(region_id=self.whole_region_id).values_list("id", flat=True)
            )
        return set(self.councils.values_list("id", flat=True))

    def may_use(self, council: Council) -> bool:
        if self.whole_region_id:
            return council.region_id == self.whole_region_id
        return self.councils.filter(pk=council.pk).exists()
