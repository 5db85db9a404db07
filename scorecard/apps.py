from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Scorecard and reports"
    default_auto_field = "django.db.models.BigAutoField"
