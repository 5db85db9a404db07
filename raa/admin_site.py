"""The Django admin, open to administrators only (anyone else signed in gets 403)."""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator

from raa import access


class RaaAdminSite(admin.AdminSite):
    site_header = "Regional Adoption Agency – administration"
    site_title = "RAA admin"
    index_title = "Administration"

    def has_permission(self, request) -> bool:
        return request.user.is_active and access.is_administrator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_other_roles(request, *args, **kwargs):
            # Anonymous people never get here: LoginRequiredMiddleware sends them to the admin
            # login view, which sends them on to the one sign-in page.
            if not self.has_permission(request):
                raise PermissionDenied("The administration pages are for administrators.")
            return inner(request, *args, **kwargs)

        return refuse_other_roles

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        # One sign-in page for the whole site; a signed-in person without the role gets 403.
        if request.user.is_authenticated:
            if self.has_permission(request):
                return super().login(request, extra_context)
            raise PermissionDenied("The administration pages are for administrators.")
        return redirect_to_login(
            request.GET.get("next", request.get_full_path()), settings.LOGIN_URL
        )
