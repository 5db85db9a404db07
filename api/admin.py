"""API clients in the admin: read their scope and last use, revoke them (never delete)."""

from django.contrib import admin, messages

from api.models import ApiClient
from api.services import api_client_revoke
from raa.admin import NoDeleteAdmin


@admin.register(ApiClient)
class ApiClientAdmin(NoDeleteAdmin):
    list_display = ["name", "scope", "token_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name"]
    readonly_fields = [
        "service_user",
        "token_prefix",
        "token_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    filter_horizontal = ["councils"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # `add_api_client` makes clients: it shows the token once

    @admin.display(description="may write")
    def scope(self, client: ApiClient) -> str:
        if client.whole_region_id:
            return f"{client.whole_region} (whole region)"
        return ", ".join(c.la_code for c in client.councils.all())

    @admin.action(description="Revoke the selected clients' tokens (for good)")
    def revoke(self, request, queryset):
        revoked = sum(api_client_revoke(client=c, acting_user=request.user) for c in queryset)
        messages.success(request, f"{revoked} client(s) revoked. Their tokens no longer work.")
