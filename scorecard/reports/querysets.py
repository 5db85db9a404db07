"""Which board reports a person may see or change (the rules of raa.access, applied)."""

from django.db import models
from django.db.models import Q

from raa import access


def _scope_q(user, roles) -> Q:
    """Reports of the councils (and whole regions) over which the person holds the roles."""
    return Q(council_id__in=access.council_ids_for(user, roles)) | Q(
        council__isnull=True, region_id__in=access.region_ids_for(user, roles)
    )


class BoardReportQuerySet(models.QuerySet):
    def editable_by(self, user) -> "BoardReportQuerySet":
        """Reports the person may draft, preview and publish: managers' and team managers'
        own scope (a council, or the whole region for region-scope managers)."""
        if not access.has_role(user, access.REPORT_EDIT_ROLES):
            return self.none()
        return self.filter(_scope_q(user, access.REPORT_EDIT_ROLES))

    def visible_to(self, user) -> "BoardReportQuerySet":
        """Reports the person may open: those they may edit, and in their reading scope those
        with a published version. Board members never see a draft."""
        if not access.has_role(user, access.REPORT_ROLES):
            return self.none()
        published = self.filter(
            _scope_q(user, access.REPORT_ROLES), versions__status__in=("published", "superseded")
        )
        return self.filter(
            Q(pk__in=self.editable_by(user).values("pk")) | Q(pk__in=published.values("pk"))
        )
