"""Home page per role and friendly error pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from adopters.models import Household
from adopters.selectors import needing_attention
from raa import access
from raa.selectors import home_for
from scorecard import tracking
from scorecard.alerts import home_alerts


def home(request):
    user = request.user
    context = {"is_case_worker": access.has_role(user, access.CASE_VIEW_ROLES)}
    if context["is_case_worker"]:
        context.update(home_for(user))
        context["households_needing_attention"] = [
            household
            for household, _ in needing_attention(
                Household.objects.visible_to(user),
                today=timezone.localdate(),
                table=tracking.thresholds(),
            )[:10]
        ]
    context["is_manager"] = access.has_role(user, access.DASHBOARD_ROLES)
    context["sees_reports"] = access.has_role(user, access.REPORT_ROLES)
    context["imports"] = access.has_role(user, access.IMPORT_ROLES)
    context["memberships"] = access.memberships(user)
    context.update(home_alerts(user, today=timezone.localdate()))
    # A child listed as due or over is not listed again with the person's other children.
    alerted = {row.record.pk for row in context.get("alert_children", [])}
    if alerted and "my_children" in context:
        context["my_children"] = [c for c in context["my_children"] if c.pk not in alerted]
    return render(request, "raa/home.html", context)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_500(request):
    return render(request, "500.html", status=500)
