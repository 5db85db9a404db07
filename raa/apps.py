from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class RaaConfig(AppConfig):
    """The organisation app: the region, its partner councils, people, roles and the audit log."""

    name = "raa"
    verbose_name = "Organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from raa import security_log  # noqa: F401 (connects the security events' receivers)
        from raa import two_factor  # noqa: F401 (connects its sign-in signal receiver)


class RaaAdminConfig(AdminConfig):
    default_site = "raa.admin_site.RaaAdminSite"
