from django.contrib import admin

from children.models import Child, JourneyEvent, PeriodOfCare, SiblingGroup
from raa.admin import NoDeleteAdmin


class PeriodOfCareInline(admin.TabularInline):
    model = PeriodOfCare
    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class JourneyEventInline(admin.TabularInline):
    model = JourneyEvent
    extra = 0
    fields = ["kind", "date", "household", "reason", "authority", "recorded_by"]
    raw_id_fields = ["household", "recorded_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Child)
class ChildAdmin(NoDeleteAdmin):
    list_display = ["child_id", "first_name", "last_name", "council", "date_of_birth"]
    list_filter = ["council"]
    search_fields = ["child_id", "first_name", "last_name"]
    raw_id_fields = ["allocated_social_worker", "sibling_group"]
    inlines = [PeriodOfCareInline, JourneyEventInline]


@admin.register(SiblingGroup)
class SiblingGroupAdmin(NoDeleteAdmin):
    list_display = ["reference", "council", "to_be_placed_together"]
