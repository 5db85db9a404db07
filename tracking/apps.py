from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """Tracking (DOMAIN.md A.8): each child and household against the thresholds, the tracking
    meeting's list, and the notices and digests about records that pass a threshold."""

    name = "tracking"
    verbose_name = "Tracking"
    default_auto_field = "django.db.models.BigAutoField"
