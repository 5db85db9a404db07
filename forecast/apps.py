from django.apps import AppConfig


class ForecastConfig(AppConfig):
    """Forecasts: how long each waiting child is likely to wait for a match, from the region's
    own past journeys (a competing-risks survival model), the scorecard projected to the end of
    the current window, and managers' what-if questions."""

    name = "forecast"
    verbose_name = "Forecasts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The board report's projection, through the report's hook: the scorecard never
        # imports the forecast.
        from forecast.board_report import PROVIDER
        from scorecard.reports.extras import register

        register(PROVIDER)
