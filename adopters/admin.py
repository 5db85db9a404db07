from django.contrib import admin

from adopters.models import HoldPeriod, Household
from raa.admin import AuditedCaseAdmin


class HoldPeriodInline(admin.TabularInline):
    model = HoldPeriod
    extra = 0
    can_delete = False


@admin.register(Household)
class HouseholdAdmin(AuditedCaseAdmin):
    list_display = [
        "reference",
        "first_applicant",
        "second_applicant",
        "approval_date",
        "left_date",
    ]
    search_fields = ["reference", "first_applicant", "second_applicant"]
    list_filter = ["fast_track", "recruited_outside_region", "legal_status", "dual_approval"]
    inlines = [HoldPeriodInline]
