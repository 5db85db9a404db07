"""The home page: what each person should look at first, by role."""

from django.shortcuts import render
from django.utils import timezone

from adopters.models import Household
from home.selectors import home_for
from raa import access
from tracking import checks
from tracking.panels import needing_attention
from tracking.selectors import home_alerts, threshold_counts

#: Those whose home shows their councils' children and households due and over (not only the
#: children allocated to them).
MANAGING_ROLES = access.REPORT_EDIT_ROLES & access.TRACKING_ROLES


def home(request):
    user = request.user
    context = {"is_case_worker": access.has_role(user, access.CASE_VIEW_ROLES)}
    alerts = home_alerts(user, today=timezone.localdate())
    if context["is_case_worker"]:
        context.update(home_for(user))
        if not alerts:
            # People without tracking alerts (data officers) get the households list here;
            # the others see the households due or over among their alerts.
            context["households_needing_attention"] = [
                household
                for household, _ in needing_attention(
                    Household.objects.visible_to(user),
                    today=timezone.localdate(),
                    table=checks.thresholds(),
                    limit=10,
                )
            ]
    if access.has_role(user, MANAGING_ROLES):
        context["council_counts"] = threshold_counts(
            user, today=timezone.localdate(), table=alerts["alert_thresholds"]
        )
    context["is_manager"] = access.has_role(user, access.DASHBOARD_ROLES)
    context["sees_reports"] = access.has_role(user, access.REPORT_ROLES)
    context["imports"] = access.has_role(user, access.IMPORT_ROLES)
    context["memberships"] = access.memberships(user)
    context.update(alerts)
    # A child listed as due or over is not listed again with the person's other children.
    alerted = {row.record.pk for row in context.get("alert_children", [])}
    if alerted and "my_children" in context:
        context["my_children"] = [c for c in context["my_children"] if c.pk not in alerted]
    return render(request, "home/home.html", context)
