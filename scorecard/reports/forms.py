from django import forms
from django.utils import timezone

from raa import access
from raa.models import Council, Region
from raa.validators import PlausibleDate
from scorecard import periods as P
from scorecard.reports.models import ReportVersion


class NewReportForm(forms.Form):
    scope = forms.ChoiceField(label="Report for")
    year = forms.CharField(
        label="Financial year", max_length=7, help_text="For example 2024-25 (April to March)."
    )
    quarter = forms.TypedChoiceField(
        choices=[(n, P.quarter_in_words(n)) for n in (1, 2, 3, 4)],
        coerce=int,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (f"region-{region.pk}", f"{region.name} (the whole region)")
            for region in Region.objects.filter(
                pk__in=access.region_ids_for(user, access.REPORT_EDIT_ROLES)
            )
        ]
        choices += [
            (f"council-{council.pk}", council.name)
            for council in access.councils_for(user, access.REPORT_EDIT_ROLES).order_by("name")
        ]
        self.fields["scope"].choices = choices
        today = timezone.localdate()
        year, quarter = P.quarter_of(today)
        self.fields["year"].initial = P.fy_label(year)
        self.fields["quarter"].initial = quarter

    def clean_year(self) -> int:
        try:
            return P.parse_year(self.cleaned_data["year"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def scope_objects(self) -> tuple[Region, Council | None]:
        kind, pk = self.cleaned_data["scope"].split("-")
        if kind == "region":
            return Region.objects.get(pk=pk), None
        council = Council.objects.select_related("region").get(pk=pk)
        return council.region, council


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = ReportVersion
        fields = ["summary", "going_well", "risks", "next_steps", "cohort_date", "correction_note"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "going_well": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "correction_note": forms.Textarea(attrs={"rows": 2}),
            "cohort_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "summary": "Aggregate figures only: never name a child or an adopter here.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.number == 1:
            del self.fields["correction_note"]
        self.fields["cohort_date"].validators.append(PlausibleDate("cohort date"))
