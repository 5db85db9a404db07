"""Managers' dashboard, tracking list and board reports.

The pages exist with their access rules; their figures arrive with the scorecard engine
(stored results), the dashboards and the board reports.
"""

from django.shortcuts import render

from raa import access


def dashboard(request):
    access.require_role(request.user, access.DASHBOARD_ROLES)
    return render(request, "scorecard/dashboard.html", {})


def tracking(request):
    access.require_role(request.user, access.TRACKING_ROLES)
    return render(request, "scorecard/tracking.html", {})
