from django.urls import path

from children import views
from children.ssda903 import views as import_views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create_view, name="create"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/edit/", views.child_edit_view, name="edit"),
    path("<int:pk>/history/", views.child_history, name="history"),
    path("<int:pk>/close/", views.child_close_view, name="close"),
    path("<int:pk>/reopen/", views.child_reopen_view, name="reopen"),
    path("<int:pk>/care/new/", views.period_form_view, name="period_add"),
    path("<int:pk>/care/<int:period_pk>/", views.period_form_view, name="period_edit"),
    path("<int:pk>/steps/new/<slug:kind>/", views.event_add_view, name="event_add"),
    path("<int:pk>/steps/<int:event_pk>/", views.event_edit_view, name="event_edit"),
    path(
        "<int:pk>/steps/<int:event_pk>/withdraw/",
        views.event_withdraw_view,
        name="event_withdraw",
    ),
    path("import/", import_views.import_page, name="import"),
    path("import/<int:pk>/", import_views.import_run_detail, name="import_run"),
    path("import/<int:pk>/progress/", import_views.import_run_progress, name="import_progress"),
    path(
        "import/<int:pk>/findings.csv",
        import_views.import_run_findings_csv,
        name="import_findings_csv",
    ),
]
