from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The case-system API: councils' case systems push children, periods and steps."""

    name = "api"
    verbose_name = "Case-system API"
    default_auto_field = "django.db.models.BigAutoField"
