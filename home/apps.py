from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page and the demo region: the one app that may import every other."""

    name = "home"
    verbose_name = "Home"
    default_auto_field = "django.db.models.BigAutoField"
