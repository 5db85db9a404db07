from django.contrib import admin

from raa.admin import NoDeleteAdmin
from tracking.models import TrackingThreshold


@admin.register(TrackingThreshold)
class TrackingThresholdAdmin(NoDeleteAdmin):
    list_display = ["label", "amount", "unit"]
    readonly_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        return False  # the set of thresholds is fixed by DOMAIN.md A.8; only amounts change
