from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from raa import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("children/", include("children.urls")),
    path("adopters/", include("adopters.urls")),
    path("", include("scorecard.urls")),
    path("admin/", admin.site.urls),
    path("returns/", include("scorecard.returns.urls")),
]

handler403 = "raa.views.error_403"
handler404 = "raa.views.error_404"
handler500 = "raa.views.error_500"
