"""The choices a person makes for a return: council, period, quarter."""

from django import forms
from django.utils import timezone

from raa import access
from raa.dates import add_months
from raa.validators import PlausibleDate
from scorecard import periods as P

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilChoice(forms.Form):
    council = forms.ModelChoiceField(queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = access.councils_for(user, access.EXPORT_ROLES).order_by(
            "name"
        )


class AnnexAForm(CouncilChoice):
    date_from = forms.DateField(
        label="From", widget=DATE_INPUT, validators=[PlausibleDate("start of the period")]
    )
    date_to = forms.DateField(
        label="To", widget=DATE_INPUT, validators=[PlausibleDate("end of the period")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date_from"].initial = add_months(today, -12)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", f"The end ({end:%d/%m/%Y}) is before the start.")
        return data


class AsglbForm(CouncilChoice):
    year = forms.CharField(
        label="Financial year", max_length=7, help_text="For example 2024-25 (April to March)."
    )
    quarter = forms.TypedChoiceField(
        choices=list(enumerate(P.QUARTER_NAMES, 1)), coerce=int, initial=1
    )
    level = forms.ChoiceField(
        label="Return",
        choices=[("child", "Child-level"), ("adopter", "Adopter-level")],
        widget=forms.RadioSelect,
        initial="child",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = P.fy_label(P.fy_of(timezone.localdate()))

    def clean_year(self) -> str:
        year = self.cleaned_data["year"].strip()
        try:
            P.parse_financial_year(year, today=timezone.localdate())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return year
