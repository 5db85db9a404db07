"""Administrators manage councils, people and memberships here; nothing is deleted."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from raa.models import AuditEvent, Council, Membership, Region, User


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are closed or ended, never hard-deleted through the application."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is read-only, even for administrators."""

    list_display = ["at", "user", "action", "object_type", "object_id", "council", "detail"]
    list_filter = ["action", "object_type", "council"]
    search_fields = ["object_id", "user__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
