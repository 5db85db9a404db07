from django.urls import path

from adopters import views

app_name = "adopters"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create_view, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit_view, name="edit"),
    path("<int:pk>/history/", views.household_history, name="history"),
]
