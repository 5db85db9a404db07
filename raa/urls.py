from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from raa import passwords, sso, views

urlpatterns = [
    path("", include("home.urls")),
    path(
        "accounts/login/",
        views.SignIn.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Passwords (raa/passwords.py): change from the header; reset by an emailed link.
    path("accounts/password/change/", passwords.PasswordChange.as_view(), name="password_change"),
    path(
        "accounts/password/reset/",
        passwords.PasswordResetRequest.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        passwords.PasswordResetSent.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        passwords.PasswordResetSetNew.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        passwords.PasswordResetComplete.as_view(),
        name="password_reset_complete",
    ),
    # Single sign-on (raa/sso.py): 404 unless configured.
    path("oidc/authenticate/", sso.SignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", sso.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.csv", views.audit_export_csv, name="audit_export_csv"),
    path("accounts/access-history/", views.my_access_history, name="my_access_history"),
    path("glossary/", views.glossary, name="glossary"),
    path("children/", include("children.urls")),
    path("adopters/", include("adopters.urls")),
    path("", include("scorecard.urls")),
    path("", include("tracking.urls")),
    path("", include("forecast.urls")),
    path("admin/", admin.site.urls),
    path("returns/", include("scorecard.returns.urls")),
    path("api/v1/", include("api.urls")),
]

handler403 = "raa.views.error_403"
handler404 = "raa.views.error_404"
handler500 = "raa.views.error_500"
