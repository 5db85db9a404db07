"""Passwords: reset by an emailed link, and change from the header. Both audited.

Django's own views (django.contrib.auth.views) with our templates. A reset link works once and
for ``PASSWORD_RESET_TIMEOUT`` (an hour); asking for one answers the same whether or not an
account has that address, and the email holds the link and nothing else about the person.

Lock-out (django-axes) is not a door a reset opens: a person whose account is locked after repeated
failed sign-ins can still set a new password by the emailed link (proving they hold the mailbox),
but the account stays locked until the lock ends or an administrator unlocks it; the page after
the reset says so. A reset never signs anyone in (``post_reset_login`` stays off), so it never
goes round the lock or the two-factor step.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from raa.forms import PasswordResetRequestForm
from raa.models import AuditAction
from raa.services import audit_record


class PasswordResetRequest(auth_views.PasswordResetView):
    """``/accounts/password/reset/``: ask for a link by email."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetSetNew(auth_views.PasswordResetConfirmView):
    """The emailed link: choose a new password (the validators apply)."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        audit_record(
            user=user,
            action=AuditAction.CHANGED,
            object_type="password",
            object_id=user.pk,
            detail="reset with an emailed link",
        )
        if AxesProxyHandler.is_locked(self.request, {"username": user.get_username()}):
            messages.warning(
                self.request,
                "Your account is still locked after too many failed attempts to sign in. "
                "Your new password works once the lock ends, or ask your administrator to "
                "unlock it.",
            )
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChange(auth_views.PasswordChangeView):
    """``/accounts/password/change/`` from the header: the person stays signed in."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps the session (update_session_auth_hash)
        audit_record(
            user=self.request.user,
            action=AuditAction.CHANGED,
            object_type="password",
            object_id=self.request.user.pk,
            detail="changed by the person",
        )
        messages.success(self.request, "Your password has been changed.")
        return response
