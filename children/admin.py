"""Children in the admin are read-only: case records change only through the application's
forms, which apply the date rules, write the history and mark the scorecard for recompute."""

from django.contrib import admin

from children.models import Child, ImportRun, JourneyEvent, PeriodOfCare, SiblingGroup
from raa.admin import AuditedCaseAdmin, NoDeleteAdmin, ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PeriodOfCareInline(ReadOnlyInline):
    model = PeriodOfCare
    fields = ["entered_care", "legal_status", "left_care", "left_care_reason"]


class JourneyEventInline(ReadOnlyInline):
    model = JourneyEvent
    fields = ["kind", "date", "household", "ceased_reason", "authority", "recorded_by"]


@admin.register(Child)
class ChildAdmin(AuditedCaseAdmin):
    list_display = ["child_id", "first_name", "last_name", "council", "stage", "closed_on"]
    list_filter = ["council", "stage"]
    search_fields = ["child_id", "first_name", "last_name"]
    inlines = [PeriodOfCareInline, JourneyEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SiblingGroup)
class SiblingGroupAdmin(NoDeleteAdmin):
    list_display = ["reference", "council", "to_be_placed_together"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """903 import runs, to look at: they are started from the import page or the command."""

    list_display = ["id", "council", "started_by", "created_at", "status", "exit_code", "dry_run"]
    list_filter = ["status", "council"]
    fields = [
        "council",
        "started_by",
        "created_at",
        "started_at",
        "finished_at",
        "status",
        "dry_run",
        "strict",
        "exit_code",
        "stage_label",
    ]
    readonly_fields = fields
