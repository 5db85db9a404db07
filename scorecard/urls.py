from django.urls import path

from scorecard import views
from scorecard.reports.urls import urlpatterns as report_urlpatterns

app_name = "scorecard"
urlpatterns = [
    path("scorecard/", views.dashboard, name="dashboard"),
    path("scorecard/figure/", views.figure, name="figure"),
    path("scorecard/cohort/", views.cohort_figure, name="cohort_figure"),
    path("scorecard/recompute/", views.recompute, name="recompute"),
]
urlpatterns += report_urlpatterns
