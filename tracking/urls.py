from django.urls import path

from tracking import views

app_name = "tracking"
urlpatterns = [
    path("tracking/", views.tracking_list, name="list"),
    path("tracking/export.csv", views.tracking_export_csv, name="export_csv"),
    path("tracking/export.xlsx", views.tracking_export_xlsx, name="export_xlsx"),
    path("notifications/", views.notifications, name="notifications"),
    path("tracking/meetings/", views.meetings, name="meetings"),
    path("tracking/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("tracking/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("tracking/meetings/<int:pk>/actions/", views.meeting_action_add, name="action_add"),
    path("tracking/actions/<int:pk>/done/", views.action_done, name="action_done"),
]
