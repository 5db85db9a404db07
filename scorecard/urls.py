from django.urls import path

from scorecard import views
from scorecard.reports.urls import urlpatterns as report_urlpatterns

app_name = "scorecard"
urlpatterns = [
    path("scorecard/", views.dashboard, name="dashboard"),
    path("tracking/", views.tracking_list, name="tracking"),
    path("tracking/export.csv", views.tracking_export_csv, name="tracking_export_csv"),
    path("tracking/export.xlsx", views.tracking_export_xlsx, name="tracking_export_xlsx"),
    path("notifications/", views.notifications, name="notifications"),
    path("scorecard/figure/", views.figure, name="figure"),
    path("scorecard/cohort/", views.cohort_figure, name="cohort_figure"),
    path("scorecard/recompute/", views.recompute, name="recompute"),
]
urlpatterns += report_urlpatterns
