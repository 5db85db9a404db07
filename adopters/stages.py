"""A household's stages (a model-free module: the household queryset derives them in SQL)."""

from django.db import models


class StageCode(models.TextChoices):
    """Where a household is, derived from its dates and the children's journeys (never typed)."""

    ENQUIRY = "enquiry", "Enquiry"
    INFORMATION_EVENT = "information_event", "Information event"
    STAGE1 = "stage1", "Stage 1"
    BETWEEN = "between", "Between stages"
    STAGE2 = "stage2", "Stage 2"
    APPROVED = "approved", "Approved, waiting"
    ON_HOLD = "on_hold", "On hold"
    LINKED = "linked", "Linked"
    MATCHED = "matched", "Matched"
    PLACED = "placed", "Child placed"
    ADOPTED = "adopted", "Adopted"
    LEFT = "left", "Left the process"
