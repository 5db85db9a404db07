"""Friendly error pages, two-factor sign-in and the audit trail."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice

from raa import access, sso, two_factor
from raa import glossary as glossary_terms
from raa.forms import AuditFilterForm, TwoFactorCodeForm
from raa.models import AuditAction
from raa.safe_export import csv_text
from raa.selectors import audit_events
from raa.services import audit_record


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_500(request):
    return render(request, "500.html", status=500)


class SignIn(auth_views.LoginView):
    """The sign-in page: username and password, and the council's single sign-on when it is
    configured (raa/sso.py)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, sso_enabled=sso.enabled())


# Two-factor sign-in (raa/two_factor.py): the second step, setting it up, recovery codes.


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def two_factor_verify(request):
    """Ask a person who has set up two-factor sign-in for a code."""
    user = request.user
    if not two_factor.has_two_factor(user):
        request.session[two_factor.SESSION_KEY] = False  # e.g. an administrator removed it
        return redirect(two_factor.SETUP_URL)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.sign_in_device(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. "
                    "Make new ones from the two-factor page if you are running out.",
                )
            return redirect(_safe_next(request))
        form.add_error("code", "That code is not right, or has been used. Try the current one.")
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
    )


def two_factor_setup(request):
    """Set up an authenticator app: scan the code, type a code from the app to confirm."""
    user = request.user
    if two_factor.has_two_factor(user) and not user.is_verified():
        return redirect(two_factor.VERIFY_URL)
    if two_factor.has_two_factor(user):
        return render(
            request,
            "registration/two_factor_status.html",
            {"recovery_left": two_factor.remaining_recovery_codes(user)},
        )
    device = two_factor.pending_app_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app_device(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            device.refresh_from_db()
            two_factor.sign_in_device(request, device)
            return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})
        form.add_error("code", "That code does not match the app. Type the code it shows now.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": two_factor.required_for(user),
        },
    )


def two_factor_recovery_codes(request):
    """Make a fresh set of recovery codes (the old ones stop working); shown once."""
    if not request.user.is_verified():
        return redirect(two_factor.SETUP_URL)
    if request.method != "POST":
        return render(
            request,
            "registration/two_factor_status.html",
            {"recovery_left": two_factor.remaining_recovery_codes(request.user)},
        )
    codes = two_factor.new_recovery_codes(user=request.user)
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})


# The audit trail: every administrator's page of it, and each person's own access history.

AUDIT_PER_PAGE = 100
#: The most rows one export holds (narrow the filters for more).
AUDIT_EXPORT_LIMIT = 100_000
AUDIT_HEADER = ["When", "Person", "Action", "What", "Id", "Council", "Detail"]


def _filtered_audit(request) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    if not request.GET:
        return form, audit_events()
    if not form.is_valid():
        return form, None
    return form, audit_events(**form.cleaned_data)


def audit_trail(request):
    """The audit trail for administrators: filter by person, council, action and dates."""
    access.require_role(request.user, access.ADMIN_ROLES)
    form, events = _filtered_audit(request)
    page = None
    if events is not None:
        page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "raa/audit_trail.html",
        {"form": form, "page": page, "query": request.GET.urlencode()},
        status=400 if events is None else 200,
    )


def audit_export_csv(request):
    """The audit trail as filtered, as CSV (formula-like cells neutralised); logged itself."""
    access.require_role(request.user, access.ADMIN_ROLES)
    form, events = _filtered_audit(request)
    if events is None:
        return render(request, "raa/audit_trail.html", {"form": form, "page": None}, status=400)
    body = [
        [
            timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            event.user.username,
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.council.name if event.council else "",
            event.detail,
        ]
        for event in events[:AUDIT_EXPORT_LIMIT]
    ]
    content = csv_text(AUDIT_HEADER, body)
    audit_record(
        user=request.user,
        action=AuditAction.EXPORTED,
        object_type="audit_trail",
        detail=f"csv: {len(body)} rows; {form.describe() if form.is_bound else 'no filters'}",
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    today = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{today:%Y-%m-%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def my_access_history(request):
    """The signed-in person's own audit rows: what they opened, changed, searched, exported
    and were refused."""
    events = audit_events(user=request.user)
    page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "raa/my_access_history.html", {"page": page})


def glossary(request):
    """Every code and abbreviation the pages use, in words (anyone signed in)."""
    return render(
        request,
        "raa/glossary.html",
        {
            "terms": sorted(glossary_terms.TERMS),
            "code_lists": list(glossary_terms.CODE_LISTS.values()),
        },
    )
