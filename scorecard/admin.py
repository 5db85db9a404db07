from django.contrib import admin

from raa.admin import NoDeleteAdmin, ReadOnlyAdmin
from raa.freshness import mark_councils_pending
from raa.models import Council
from scorecard.models import NationalFigure, ScorecardResult, ScorecardThreshold


class ReferenceDataAdmin(NoDeleteAdmin):
    """Reference data the figures depend on: each change is kept in its history (who, when,
    old and new values) and every figure is recomputed once the change is saved."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Inside the admin's transaction, like any other change: every council is marked
        # pending (the pages say "updating…") and its recompute queued after the commit.
        mark_councils_pending(Council.objects.values_list("pk", flat=True))


@admin.register(ScorecardThreshold)
class ScorecardThresholdAdmin(ReferenceDataAdmin):
    list_display = ["window_label", "a1_days", "a2_days", "a3_months"]
    ordering = ["first_year"]


@admin.register(NationalFigure)
class NationalFigureAdmin(ReferenceDataAdmin):
    list_display = ["measure", "period", "value", "unit", "note", "source"]
    list_filter = ["measure"]
    search_fields = ["measure", "period", "note"]


@admin.register(ScorecardResult)
class ScorecardResultAdmin(ReadOnlyAdmin):
    """Stored results, read only (written by the recompute)."""

    list_display = ["region", "council", "kind", "label", "computed_at"]
    list_filter = ["kind", "region"]
    readonly_fields = [f.name for f in ScorecardResult._meta.fields]
