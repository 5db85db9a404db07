"""Scoping and reusable filters for adopter households."""

from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from raa import access
from raa.dates import add_months

#: Journey events that tie a household to a child, and so to the child's council.
LINKING_EVENT_KINDS = ("linked", "matched", "placed")

DUE_SOON = timedelta(days=30)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HouseholdQuerySet":
        """Households belong to the region. Region-scope case staff see all of their region's;
        council-scope staff see only those linked, matched or placed with one of their
        council's children; anyone else (board members) sees none."""
        region_ids = access.region_ids_for(user, access.CASE_VIEW_ROLES)
        council_ids = access.council_ids_for(user, access.CASE_VIEW_ROLES)
        linked = Q(
            child_events__kind__in=LINKING_EVENT_KINDS,
            child_events__child__council_id__in=council_ids,
            child_events__entered_in_error=False,
        )
        if not region_ids and not council_ids:
            return self.none()
        if not council_ids:
            return self.filter(region_id__in=region_ids)
        ids = self.filter(linked).values("id")
        return self.filter(Q(region_id__in=region_ids) | Q(id__in=ids))

    def with_progress(self) -> "HouseholdQuerySet":
        """Annotate the latest link, match, placement or order with a child (one subquery)."""
        from children.models import JourneyEvent

        latest = JourneyEvent.objects.filter(
            household=models.OuterRef("pk"),
            kind__in=(*LINKING_EVENT_KINDS, "disruption", "adoption_order"),
        ).order_by("-date", "-id")
        return self.annotate(latest_child_event_kind=models.Subquery(latest.values("kind")[:1]))

    def active(self) -> "HouseholdQuerySet":
        return self.filter(left_date__isnull=True)

    def needing_attention(self, today: date | None = None) -> "HouseholdQuerySet":
        """Households over, or due within 30 days of, a stage target (DOMAIN A.8): Stage 1 over
        2 months, Stage 2 over 4 months, approved over 3 months without a match."""
        today = today or date.today()
        horizon = today + DUE_SOON
        matched = Q(
            child_events__kind__in=("matched", "placed"), child_events__entered_in_error=False
        )
        matched_ids = self.model.objects.filter(matched).values("id")
        stage1 = Q(
            registration_date__lte=add_months(horizon, -2),
            stage1_end_date__isnull=True,
            stage2_start_date__isnull=True,
        )
        stage2 = Q(stage2_start_date__lte=add_months(horizon, -4), approval_date__isnull=True)
        waiting = Q(approval_date__lte=add_months(horizon, -3)) & ~Q(id__in=matched_ids)
        return self.active().filter(stage1 | stage2 | waiting).order_by("registration_date")
