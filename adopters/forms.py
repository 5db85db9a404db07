from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms

from adopters.models import STAGE_ORDER, Household
from raa.models import Council

DATE_FIELDS = [
    "enquiry_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "panel_date",
    "approval_date",
    "left_date",
]


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "first_applicant",
            "second_applicant",
            "recruiting_council",
            "recruited_outside_region",
            "fast_track",
            "dual_approval",
            "children_wanted",
            *DATE_FIELDS,
            "left_reason",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in DATE_FIELDS
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiting_council"].queryset = Council.objects.filter(region=region)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "The household",
                "first_applicant",
                "second_applicant",
                "recruiting_council",
                "recruited_outside_region",
                "fast_track",
                "dual_approval",
                "children_wanted",
            ),
            Fieldset("Stages", *DATE_FIELDS, "left_reason"),
        )
        self.helper.add_input(Submit("save", "Save"))

    def clean(self):
        cleaned = super().clean()
        today = date.today()
        for name in DATE_FIELDS:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(
                    name, f"{self.fields[name].label} ({value:%d/%m/%Y}) is in the future."
                )
        # Read every date first: add_error() drops a field from cleaned_data, and each rule
        # broken should be reported at once.
        dates = {name: cleaned.get(name) for name in DATE_FIELDS}
        for earlier, later in STAGE_ORDER:
            a, b = dates[earlier], dates[later]
            if a and b and b < a:
                self.add_error(
                    later,
                    f"{self.fields[later].label} ({b:%d/%m/%Y}) is before "
                    f"{self.fields[earlier].label.lower()} ({a:%d/%m/%Y}).",
                )
        if cleaned.get("left_date") and not cleaned.get("left_reason"):
            self.add_error("left_reason", "Say why the household left the process.")
        return cleaned
