from django.urls import path

from scorecard import views

app_name = "scorecard"
urlpatterns = [
    path("scorecard/", views.dashboard, name="dashboard"),
    path("tracking/", views.tracking, name="tracking"),
    path("reports/", views.reports, name="reports"),
    path("scorecard/figure/", views.figure, name="figure"),
    path("scorecard/recompute/", views.recompute, name="recompute"),
]
