from django.contrib import admin

from adopters.models import Household
from raa.admin import NoDeleteAdmin


@admin.register(Household)
class HouseholdAdmin(NoDeleteAdmin):
    list_display = [
        "reference",
        "first_applicant",
        "second_applicant",
        "approval_date",
        "left_date",
    ]
    search_fields = ["reference", "first_applicant", "second_applicant"]
    list_filter = ["fast_track", "recruited_outside_region"]
