from django.urls import path

from adopters import views

app_name = "adopters"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create_view, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit_view, name="edit"),
    path("<int:pk>/history/", views.household_history, name="history"),
    path("<int:pk>/steps/<slug:step>/", views.household_step_view, name="step"),
    path("<int:pk>/hold/", views.household_hold_view, name="hold"),
    path("family-finding/<int:pk>/", views.family_finding, name="family_finding"),
    path("family-finding/<int:pk>/needs/", views.child_needs_view, name="child_needs"),
    path(
        "family-finding/<int:pk>/<slug:kind>/",
        views.family_finding_record_view,
        name="family_finding_record",
    ),
]
