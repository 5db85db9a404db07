from django.contrib import admin

from raa.admin import NoDeleteAdmin
from scorecard.models import RecomputeMarker, TrackingThreshold


@admin.register(TrackingThreshold)
class TrackingThresholdAdmin(NoDeleteAdmin):
    list_display = ["label", "amount", "unit"]
    readonly_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        return False  # the set of thresholds is fixed by DOMAIN.md A.8; only amounts change


@admin.register(RecomputeMarker)
class RecomputeMarkerAdmin(admin.ModelAdmin):
    list_display = ["council", "requested_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
