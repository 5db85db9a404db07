"""Board report addresses, under /reports/ (included by scorecard.urls, namespace scorecard)."""

from django.urls import path

from scorecard.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/v<int:number>/", views.report_version, name="report_version"),
    path(
        "reports/<int:pk>/v<int:number>/report.<str:file_format>",
        views.report_download,
        name="report_download",
    ),
    path("reports/<int:pk>/narrative/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
]
