from django.urls import path

from scorecard import views
from scorecard.reports.urls import urlpatterns as report_urlpatterns

app_name = "scorecard"
urlpatterns = [
    path("scorecard/", views.dashboard, name="dashboard"),
    path("tracking/", views.tracking, name="tracking"),
]
urlpatterns += report_urlpatterns
