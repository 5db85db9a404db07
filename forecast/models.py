"""Fitted forecast models and the forecasts they gave, stored by the nightly job so that pages
only read them (nothing is fitted in a request)."""

from django.db import models

from children.models import Child
from raa.models import Region


class Method(models.TextChoices):
    COX = (
        "cox",
        "Cause-specific Cox model (age, sex, ethnicity, disability, siblings, council, year)",
    )
    BASELINE = "baseline", "Region's past journeys without covariates (Aalen–Johansen)"
    NONE = "none", "Not enough history to forecast"


class ForecastModel(models.Model):
    """One fit for a region: what it was fitted on, how it scored in the backtest, which model
    the forecasts use (the Cox model only where it beat the baseline) and its parameters."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="forecast_models")
    fitted_at = models.DateTimeField()
    as_at = models.DateField(help_text="Only steps dated on or before this day were used.")
    method = models.CharField(max_length=10, choices=Method.choices)
    n_journeys = models.PositiveIntegerField()
    n_outcomes = models.PositiveIntegerField(
        help_text="Journeys that ended in a match or a change of plan."
    )
    message = models.CharField(max_length=300, blank=True)
    #: The backtest (forecast.backtest.run): C-index, Brier scores, calibration, both models.
    scores = models.JSONField(default=dict)
    #: The chosen model's parameters (forecast.model.fit): numbers only.
    params = models.JSONField(default=dict)
    #: Typical days from match to placed, and placed to adoption order, in the region's history.
    placed_lag_days = models.PositiveIntegerField(null=True)
    adoption_lag_days = models.PositiveIntegerField(null=True)
    #: The scorecard projected to the end of the current window (forecast.projection).
    projection = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-fitted_at", "-id"]
        indexes = [models.Index(fields=["region", "-fitted_at"])]

    def __str__(self) -> str:
        return f"{self.region} forecast model as at {self.as_at:%d/%m/%Y}"

    @property
    def c_index(self) -> float | None:
        chosen = "model" if self.method == Method.COX else "baseline"
        return (self.scores.get(chosen) or {}).get("c_index")


class ForecastResult(models.Model):
    """One waiting child's forecast from a model, as at the model's date."""

    model = models.ForeignKey(ForecastModel, on_delete=models.CASCADE, related_name="results")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="forecasts")
    waiting_days = models.PositiveIntegerField()
    p_91 = models.FloatField(null=True)
    p_182 = models.FloatField(null=True)
    p_365 = models.FloatField(null=True)
    median_date = models.DateField(null=True)
    low_date = models.DateField(null=True, help_text="10% chance of a match by then")
    high_date = models.DateField(null=True, help_text="90% chance of a match by then")
    p_breach_a2 = models.FloatField(null=True)
    p_breach_a1 = models.FloatField(null=True)
    likely_breach = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "child"], name="forecast_one_per_child")
        ]
        indexes = [models.Index(fields=["child", "model"])]

    def __str__(self) -> str:
        return f"Forecast for child {self.child_id}"
