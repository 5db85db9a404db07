from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from api import views
from api.docs import docs_page

app_name = "api"


def open_(view):
    """API addresses answer with their own 401 (a token, not the site's sign-in page)."""
    return login_not_required(view)


COUNCIL = "councils/<str:la>/"
COUNCIL_RE = r"^councils/(?P<la>[^/]+)/"
CHILD_ID = r"[^\x00]+?"

urlpatterns = [
    path(
        "openapi.json",
        open_(
            SpectacularJSONAPIView.as_view(
                authentication_classes=[], permission_classes=[], throttle_classes=[]
            )
        ),
        name="schema",
    ),
    path("docs/", open_(docs_page), name="docs"),
    path(COUNCIL + "batch", open_(views.BatchView.as_view()), name="batch"),
    path(COUNCIL + "scorecard", open_(views.ScorecardView.as_view()), name="scorecard"),
    # A CHILD id may hold "/" (sent as %2F, which the server decodes): the steps' and periods'
    # addresses are tried first.
    re_path(
        COUNCIL_RE + rf"children/(?P<child>{CHILD_ID})/periods/(?P<ref>[^/]+)$",
        open_(views.PeriodView.as_view()),
        name="period",
    ),
    re_path(
        COUNCIL_RE + rf"children/(?P<child>{CHILD_ID})/events/(?P<ref>[^/]+)$",
        open_(views.EventView.as_view()),
        name="event",
    ),
    re_path(
        COUNCIL_RE + r"children/(?P<child>[^\x00]+)$",
        open_(views.ChildView.as_view()),
        name="child",
    ),
    re_path(r"^.*$", open_(views.not_found), name="not_found"),
]
