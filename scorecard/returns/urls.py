from django.urls import path

from scorecard.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.returns_page, name="index"),
    path("annex-a/", views.annex_a_download, name="annex_a"),
    path("asglb/", views.asglb_download, name="asglb"),
]
