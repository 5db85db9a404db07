"""Administrators manage councils, people and memberships here; nothing is deleted."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from raa.freshness import RecomputeMarker
from raa.models import AuditAction, AuditEvent, Council, Membership, Region, User
from raa.services import audit_record, audit_search


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the application (the audit log, stored results, markers, import
    runs): administrators may read them, never add, change or delete them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are closed or ended, never hard-deleted through the application."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedCaseAdmin(NoDeleteAdmin):
    """A case record in the admin: opening its page or its history, or searching the list,
    leaves an audit row (an administrator reads any council's records, so not without a
    trace). Searches log how many rows they found, never the terms."""

    def audit_council(self, obj) -> Council | None:
        """The council the record belongs to (None for a region's household)."""
        return getattr(obj, "council", None)

    def _audit_read(self, request, object_id: str, response, what: str) -> None:
        if request.method != "GET" or response.status_code != 200:
            return
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return
        audit_record(
            user=request.user,
            action=AuditAction.VIEWED,
            object_type=obj._meta.model_name,
            object_id=obj.pk,
            council=self.audit_council(obj),
            detail=what,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit_read(request, object_id, response, "admin record page")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._audit_read(request, object_id, response, "admin history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._audit_read(request, object_id, response, "admin past version")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        search = request.GET.get(SEARCH_VAR, "")
        changelist = getattr(response, "context_data", {}).get("cl")
        if search.strip() and changelist is not None:
            audit_search(
                user=request.user,
                object_type=f"admin {self.model._meta.model_name}",
                found=changelist.result_count,
            )
        return response


@admin.register(Region)
class RegionAdmin(NoDeleteAdmin):
    list_display = ["name"]


@admin.register(Council)
class CouncilAdmin(NoDeleteAdmin):
    list_display = ["name", "la_code", "region"]
    search_fields = ["name", "la_code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["role", "region", "council", "ended_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PersonCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


class PersonChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, NoDeleteAdmin):
    add_form = PersonCreationForm
    form = PersonChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "roles"]

    @admin.display(description="Roles")
    def roles(self, obj: User) -> str:
        return "; ".join(
            f"{m.get_role_display()} ({m.council or 'region'})" for m in obj.memberships.active()
        )


@admin.register(Membership)
class MembershipAdmin(NoDeleteAdmin):
    list_display = ["user", "role", "council", "region", "started_at", "ended_at"]
    list_filter = ["role", "council"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is read-only, even for administrators."""

    list_display = ["at", "user", "action", "object_type", "object_id", "council", "detail"]
    list_filter = ["action", "object_type", "council"]
    search_fields = ["object_id", "user__username"]


@admin.register(RecomputeMarker)
class RecomputeMarkerAdmin(ReadOnlyAdmin):
    list_display = ["council", "requested_at"]
