"""Council scoping for children and their journeys."""

from django.db import models

from raa import access


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user, roles=access.CASE_VIEW_ROLES) -> "ChildQuerySet":
        """Children of the councils over which the person holds one of ``roles`` (by default
        those that see case records; none for others)."""
        return self.filter(council_id__in=access.council_ids_for(user, roles))

    def in_process(self) -> "ChildQuerySet":
        """Open records of children still on their way: in care, not adopted, the plan not
        changed from adoption, not left care (from entering care, before or after the ADM
        decision, to the adoption order). The children list's default and the home page's
        count."""
        return self.filter(closed_on__isnull=True).exclude(
            stage__in=("adopted", "plan_changed", "left_care")
        )

    def search(self, text: str) -> "ChildQuerySet":
        text = text.strip()
        if not text:
            return self
        q = models.Q(child_id__iexact=text)
        for word in text.split():
            q |= models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word)
        return self.filter(q)


class JourneyEventQuerySet(models.QuerySet):
    def visible_to(self, user, roles=access.CASE_VIEW_ROLES) -> "JourneyEventQuerySet":
        """Steps of the children :meth:`ChildQuerySet.visible_to` gives for ``roles``."""
        return self.filter(child__council_id__in=access.council_ids_for(user, roles))


class JourneyEventManager(models.Manager.from_queryset(JourneyEventQuerySet)):
    """Journey events that stand: withdrawn ones (recorded in error) are left out everywhere.
    ``JourneyEvent.all_objects`` still reaches them."""

    def get_queryset(self) -> JourneyEventQuerySet:
        return super().get_queryset().filter(entered_in_error=False)


def placement_disrupted_sql(placed: str, *, until: str | None = None) -> str:
    """SQL condition, true when the ``placed`` step (an alias of ``children_journeyevent``) ended
    in a disruption: a standing ``disruption`` step of the same child is dated on or after it
    (on or before ``until``, an SQL date expression, when given).

    The one definition of "the placement in force" (DOMAIN.md A.2): a placement that ended in a
    disruption is never the one measured. Placements and disruptions alternate (the date rules
    refuse a placement while another is in force, and a disruption with none in force; on one
    day the placement comes first), so a placement without a disruption on or after it is the
    latest, and the one in force; if the latest has one, no placement is in force. The derived
    stage (``children.services.refresh_journey_summaries``: placed only when the latest
    placement is after the latest disruption) says the same."""
    bound = f" AND d.date <= {until}" if until else ""
    return (
        # aliases and SQL expressions from our own code, never user input
        f"EXISTS (SELECT 1 FROM children_journeyevent d WHERE d.child_id = {placed}.child_id"  # noqa: S608
        f" AND d.kind = 'disruption' AND NOT d.entered_in_error AND d.date >= {placed}.date"
        f"{bound})"
    )
