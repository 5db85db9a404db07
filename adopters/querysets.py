"""Scoping and reusable filters for adopter households."""

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When

from adopters.stages import StageCode
from children.models import JourneyEvent
from raa import access

#: Journey events that tie a household to a child, and so to the child's council.
LINKING_EVENT_KINDS = ("linked", "matched", "placed")
#: ``latest_child_event_kind`` of a household whose latest step with a child is an early link.
EARLY_LINKED = "early_linked"
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
        """Annotate the kind of the latest link, match, placement or order with a child
        (``latest_child_event_kind``: ``"early_linked"`` for a link made before approval),
        whether the household is on hold now, and the derived stage (``derived_stage``, a
        StageCode), in one query."""
        HoldPeriod = self.model._meta.get_field("hold_periods").related_model
        latest = _standing_progress_events()
        on_hold = HoldPeriod.objects.filter(household=OuterRef("pk"), end_date__isnull=True)
        progress = [
            # A household linked early (before approval, with a child who is harder to place)
            # is still in assessment: its stage stays that of its dates until approved.
            When(
                latest_child_event_kind=EARLY_LINKED,
                approval_date__isnull=False,
                then=Value(StageCode.LINKED),
            ),
            When(latest_child_event_kind="linked", then=Value(StageCode.LINKED)),
            *[
                When(latest_child_event_kind=kind, then=Value(code))
                for kind, code in (
                    ("matched", StageCode.MATCHED),
                    ("placed", StageCode.PLACED),
                    ("adoption_order", StageCode.ADOPTED),
                    ("disruption", StageCode.APPROVED),
                )
            ],
        ]
        return self.annotate(
            latest_child_event_kind=Subquery(
                latest.annotate(
                    kind_or_early=Case(
                        When(kind="linked", early_link=True, then=Value(EARLY_LINKED)),
                        default=F("kind"),
                    )
                ).values("kind_or_early")[:1]
            ),
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

    def with_early_link(self) -> "HouseholdQuerySet":
        """Annotate ``early_linked_since``: the date of the household's standing early link (a
        child linked with them before approval, not since matched or linked elsewhere) while
        the household is still not approved; null otherwise. Call after :meth:`with_progress`
        (it reads ``latest_child_event_kind``)."""
        early = _standing_progress_events().filter(kind="linked", early_link=True)
        return self.annotate(
            early_linked_since=Case(
                When(
                    approval_date__isnull=True,
                    latest_child_event_kind=EARLY_LINKED,
                    then=Subquery(early.values("date")[:1]),
                ),
                default=None,
                output_field=models.DateField(),
            )
        )

    def active(self) -> "HouseholdQuerySet":
        return self.filter(left_date__isnull=True)


def _standing_progress_events():
    """The household's (``OuterRef("pk")``) links, matches, placements, orders and disruptions
    that still hold it, the latest first. A link or match that the child has since moved on
    from (a later link, match or placement with another household) no longer holds it."""
    superseded = JourneyEvent.objects.filter(
        child=OuterRef("child"), kind__in=LINKING_EVENT_KINDS, date__gte=OuterRef("date")
    ).exclude(household=OuterRef("household"))
    return (
        JourneyEvent.objects.filter(household=OuterRef("pk"), kind__in=PROGRESS_EVENT_KINDS)
        .exclude(Exists(superseded))
        .order_by("-date", "-id")
    )


def child_early_link_stage():
    """An expression for a Child queryset: the stage (a StageCode) of the household with which
    the child's latest link was made early, while that household is still not approved; null
    when the child's latest link is not early or the household has been approved since.
    One subquery."""
    household_stage = Case(
        When(household__stage2_start_date__isnull=False, then=Value(StageCode.STAGE2)),
        When(household__stage1_end_date__isnull=False, then=Value(StageCode.BETWEEN)),
        When(household__registration_date__isnull=False, then=Value(StageCode.STAGE1)),
        default=Value(StageCode.ENQUIRY),
        output_field=models.CharField(),
    )
    latest_link = (
        JourneyEvent.objects.filter(child=OuterRef("pk"), kind="linked")
        .order_by("-date", "-id")
        .annotate(
            early_stage=Case(
                When(
                    early_link=True,
                    household__approval_date__isnull=True,
                    household__left_date__isnull=True,
                    then=household_stage,
                ),
                default=None,
                output_field=models.CharField(),
            )
        )
    )
    return Subquery(latest_link.values("early_stage")[:1])
