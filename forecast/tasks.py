"""The nightly fit (and the one after a bulk import): thin wrappers round forecast.services."""

import logging

from celery import shared_task

from forecast.services import fit_and_store
from raa.models import Region

log = logging.getLogger(__name__)


@shared_task(name="forecast.fit_models", time_limit=1800, soft_time_limit=1700)
def fit_models(region_id: int | None = None) -> int:
    """Fit every region's model (or one region's), store it with its forecasts and the
    projected scorecard. Idempotent: a rerun stores a fresh fit, the previous one's forecasts
    give way. Returns how many regions were fitted."""
    regions = Region.objects.filter(councils__isnull=False).distinct()
    if region_id is not None:
        regions = regions.filter(pk=region_id)
    count = 0
    for region in regions:
        stored = fit_and_store(region)
        log.info("forecast model %s for region %s: %s", stored.pk, region.pk, stored.method)
        count += 1
    return count
