from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = "Children"
    default_auto_field = "django.db.models.BigAutoField"
