from django.urls import path

from children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create_view, name="create"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/edit/", views.child_edit_view, name="edit"),
    path("<int:pk>/history/", views.child_history, name="history"),
]
