"""Writes of the scorecard: the pending-recompute markers."""

from django.db import transaction
from django.utils import timezone

from scorecard.models import RecomputeMarker


def mark_councils_pending(council_ids) -> None:
    """:func:`mark_council_pending` for several councils at once."""
    for council_id in sorted(set(council_ids)):
        mark_council_pending(council_id)


def mark_council_pending(council_id: int) -> None:
    """Record that a council's stored figures are out of date.

    Call it inside the transaction that changed the council's case data: the marker commits or
    rolls back with the change. One row per council (an upsert), so a burst of changes leaves
    one marker, holding the time of the latest change.
    """
    assert transaction.get_connection().in_atomic_block, "mark pending inside the change"
    RecomputeMarker.objects.bulk_create(
        [RecomputeMarker(council_id=council_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["council"],
        update_fields=["requested_at"],
    )
