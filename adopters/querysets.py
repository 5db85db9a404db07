"""Scoping and reusable filters for adopter households."""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When

from adopters.stages import StageCode
from children.models import JourneyEvent
from raa import access

#: Journey events that tie a household to a child, and so to the child's council.
LINKING_EVENT_KINDS = ("linked", "matched", "placed")
#: Journey events that move a household on once it has a child.
PROGRESS_EVENT_KINDS = (*LINKING_EVENT_KINDS, "disruption", "adoption_order")


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user, roles=access.CASE_VIEW_ROLES) -> "HouseholdQuerySet":
        """Households belong to the region. Region-scope case staff see all of their region's;
        council-scope staff see only those linked, matched or placed with one of their
        council's children; anyone else (board members) sees none. Someone with both sees
        both. ``roles``: the roles that count (the case-viewing ones; tracking passes its
        own)."""
        region_ids = access.region_ids_for(user, roles)
        council_ids = access.council_ids_for(user, roles)
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

    def looked_after_by(self, user, roles) -> "HouseholdQuerySet":
        """The households the person looks after in one of ``roles`` (a team manager's
        digest): all of the regions over which they hold a role region-wide, and those
        recruited by a council over which they hold one. A household linked with one of
        their councils' children but recruited elsewhere is seen (:meth:`visible_to`), not
        looked after."""
        return self.filter(
            Q(region_id__in=access.region_ids_for(user, roles))
            | Q(recruiting_council_id__in=access.council_ids_for(user, roles))
        )

    def with_progress(self) -> "HouseholdQuerySet":
        """Annotate the latest link, match, placement or order with a child, whether the
        household is on hold now, and the derived stage (``derived_stage``, a StageCode), in
        one query."""
        HoldPeriod = self.model._meta.get_field("hold_periods").related_model
        # A link or match that the child has since moved on from (a later link, match or
        # placement with another household) no longer holds the household.
        superseded = JourneyEvent.objects.filter(
            child=OuterRef("child"), kind__in=LINKING_EVENT_KINDS, date__gte=OuterRef("date")
        ).exclude(household=OuterRef("household"))
        latest = (
            JourneyEvent.objects.filter(household=OuterRef("pk"), kind__in=PROGRESS_EVENT_KINDS)
            .exclude(Exists(superseded))
            .order_by("-date", "-id")
        )
        on_hold = HoldPeriod.objects.filter(household=OuterRef("pk"), end_date__isnull=True)
        progress = [
            When(latest_child_event_kind=kind, then=Value(code))
            for kind, code in (
                ("linked", StageCode.LINKED),
                ("matched", StageCode.MATCHED),
                ("placed", StageCode.PLACED),
                ("adoption_order", StageCode.ADOPTED),
                ("disruption", StageCode.APPROVED),
            )
        ]
        return self.annotate(
            latest_child_event_kind=Subquery(latest.values("kind")[:1]),
            on_hold=Exists(on_hold),
        ).annotate(
            derived_stage=Case(
                When(left_date__isnull=False, then=Value(StageCode.LEFT)),
                *progress,
                When(on_hold=True, then=Value(StageCode.ON_HOLD)),
                When(approval_date__isnull=False, then=Value(StageCode.APPROVED)),
                When(stage2_start_date__isnull=False, then=Value(StageCode.STAGE2)),
                When(stage1_end_date__isnull=False, then=Value(StageCode.BETWEEN)),
                When(registration_date__isnull=False, then=Value(StageCode.STAGE1)),
                When(information_event_date__isnull=False, then=Value(StageCode.INFORMATION_EVENT)),
                default=Value(StageCode.ENQUIRY),
                output_field=models.CharField(),
            )
        )

    def active(self) -> "HouseholdQuerySet":
        return self.filter(left_date__isnull=True)
