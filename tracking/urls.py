from django.urls import path

from tracking import views

app_name = "tracking"
urlpatterns = [
    path("tracking/", views.tracking_list, name="list"),
    path("tracking/export.csv", views.tracking_export_csv, name="export_csv"),
    path("tracking/export.xlsx", views.tracking_export_xlsx, name="export_xlsx"),
    path("notifications/", views.notifications, name="notifications"),
]
