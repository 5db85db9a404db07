from django.apps import AppConfig


class AdoptersConfig(AppConfig):
    name = "adopters"
    verbose_name = "Prospective adopters"
    default_auto_field = "django.db.models.BigAutoField"
