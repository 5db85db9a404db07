"""Council scoping for children and their journeys."""

from django.db import models

from raa import access


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChildQuerySet":
        """Children of the councils the person may see case records for (none for others)."""
        return self.filter(council_id__in=access.council_ids_for(user, access.CASE_VIEW_ROLES))

    def search(self, text: str) -> "ChildQuerySet":
        text = text.strip()
        if not text:
            return self
        q = models.Q(child_id__iexact=text)
        for word in text.split():
            q |= models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word)
        return self.filter(q)


class JourneyEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JourneyEventQuerySet":
        return self.filter(
            child__council_id__in=access.council_ids_for(user, access.CASE_VIEW_ROLES)
        )


class JourneyEventManager(models.Manager.from_queryset(JourneyEventQuerySet)):
    """Journey events that stand: withdrawn ones (recorded in error) are left out everywhere.
    ``JourneyEvent.all_objects`` still reaches them."""

    def get_queryset(self) -> JourneyEventQuerySet:
        return super().get_queryset().filter(entered_in_error=False)
