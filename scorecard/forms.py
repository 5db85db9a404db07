"""The dashboard's cohort comparison choices (DOMAIN.md A.7): the date to compare around and
the two thresholds the manager picks, each checked with a message that names the field."""

from dataclasses import dataclass
from datetime import date

from django import forms

from scorecard.cohorts import (
    DEFAULT_IN_CARE_MONTHS,
    DEFAULT_ORDER_MONTHS,
    THRESHOLD_MONTHS_MAX,
    THRESHOLD_MONTHS_MIN,
)

#: The earliest cohort comparison date a person may choose (the latest is today).
COHORT_DATES_FROM = date(2000, 1, 1)

IN_CARE_LABEL = "Less than N months in care to placed"
ORDER_LABEL = "Less than N months from placement order to placed"


def _months_field(label: str, default: int) -> forms.IntegerField:
    bounds = f"a whole number of months from {THRESHOLD_MONTHS_MIN} to {THRESHOLD_MONTHS_MAX}"
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=THRESHOLD_MONTHS_MIN,
        max_value=THRESHOLD_MONTHS_MAX,
        initial=default,
        error_messages={
            "invalid": f"{label}: enter {bounds}.",
            "min_value": f"{label}: enter {bounds}; %(limit_value)s is the smallest.",
            "max_value": f"{label}: enter {bounds}; %(limit_value)s is the largest.",
        },
    )


@dataclass(frozen=True)
class CohortChoice:
    pivot: date
    in_care_months: int
    order_months: int


class CohortForm(forms.Form):
    """``cohort_date``, ``in_care_months``, ``order_months`` from the query string. A field
    left empty takes its default; a field with a problem takes its default too, and
    :meth:`problems` says which and why (the page still shows the comparison)."""

    cohort_date = forms.DateField(
        label="Children placed before and after",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    in_care_months = _months_field(IN_CARE_LABEL, DEFAULT_IN_CARE_MONTHS)
    order_months = _months_field(ORDER_LABEL, DEFAULT_ORDER_MONTHS)

    def __init__(
        self,
        data,
        *,
        today: date,
        default_date: date,
        default_in_care_months: int = DEFAULT_IN_CARE_MONTHS,
    ):
        super().__init__(data)
        self.today = today
        self.default_date = default_date
        self.default_in_care_months = default_in_care_months
        self.fields["in_care_months"].initial = default_in_care_months
        self.fields["cohort_date"].error_messages["invalid"] = self._date_message()

    def _date_message(self) -> str:
        return (
            "The cohort date must be a date between "
            f"{COHORT_DATES_FROM:%d/%m/%Y} and today, like {self.default_date:%d/%m/%Y}."
        )

    def clean_cohort_date(self):
        value = self.cleaned_data.get("cohort_date")
        if value is not None and not COHORT_DATES_FROM <= value <= self.today:
            raise forms.ValidationError(self._date_message())
        return value

    def choice(self) -> CohortChoice:
        """The choices to show: each valid one as given, else its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def pick(name: str, default):
            value = data.get(name) if name not in self.errors else None
            return default if value is None else value

        return CohortChoice(
            pivot=pick("cohort_date", self.default_date),
            in_care_months=pick("in_care_months", self.default_in_care_months),
            order_months=pick("order_months", DEFAULT_ORDER_MONTHS),
        )

    def problems(self) -> list[str]:
        """One message per field with a problem, saying what the page shows instead."""
        self.is_valid()
        out = []
        for name, errors in self.errors.items():
            default = {
                "cohort_date": f"{self.default_date:%d/%m/%Y}",
                "in_care_months": f"{self.default_in_care_months} months",
                "order_months": f"{DEFAULT_ORDER_MONTHS} months",
            }[name]
            out += [f"{error} Showing {default} instead." for error in errors]
        return out
