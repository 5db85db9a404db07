from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class RaaConfig(AppConfig):
    """The organisation app: the region, its partner councils, people, roles and the audit log."""

    name = "raa"
    verbose_name = "Organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signal receivers: the security events' and two-factor sign-in's.
        from raa import security_log, two_factor  # noqa: F401


class RaaAdminConfig(AdminConfig):
    default_site = "raa.admin_site.RaaAdminSite"
