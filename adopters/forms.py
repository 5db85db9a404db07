"""Forms for households: the whole record, one form per step, holds, and family finding.

Each form checks the same rules as the service that saves it (adopters.rules), so a person
sees every broken rule beside its field.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from adopters import rules
from adopters.models import NOT_YET_DISCUSSED, ChildNeeds, HoldPeriod, Household
from adopters.services import HOUSEHOLD_FIELDS, household_values
from raa.models import Council
from raa.validators import refuse_bidi_controls

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FIELDS = [
    "enquiry_date",
    "information_event_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "panel_date",
    "approval_date",
    "left_date",
]
APPLICANT = ["", "_date_of_birth", "_sex", "_ethnicity", "_disabled"]
OFFER_FIELDS = [
    "children_wanted",
    "youngest_age",
    "oldest_age",
    "sibling_group",
    "sex_preference",
    "health_needs",
    "disability_needs",
    "developmental_uncertainty",
    "contact",
    "other_preferences",
]


#: Offer fields chosen from a list: they start on "Not yet discussed", never on a value.
OFFER_CHOICES = [
    "sibling_group",
    "sex_preference",
    "health_needs",
    "disability_needs",
    "developmental_uncertainty",
    "contact",
]
#: Offer fields typed as numbers: they start empty.
OFFER_NUMBERS = ["children_wanted", "youngest_age", "oldest_age"]


def offer_starts_not_discussed(form: forms.BaseForm) -> None:
    """What a household can offer starts as "not yet discussed" (issue 20): the empty choice of
    each list says so, and the number boxes start empty with that as their placeholder."""
    for name in OFFER_CHOICES:
        field = form.fields.get(name)
        if field is None:
            continue
        if name == "sibling_group":
            field.widget = forms.NullBooleanSelect()
            field.widget.choices = [
                ("unknown", NOT_YET_DISCUSSED),
                ("true", "Yes"),
                ("false", "No"),
            ]
        else:
            field.choices = [("", NOT_YET_DISCUSSED), *[c for c in field.choices if c[0] != ""]]
    for name in OFFER_NUMBERS:
        if name in form.fields:
            form.fields[name].widget.attrs["placeholder"] = NOT_YET_DISCUSSED


def _helper(label: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class HouseholdRulesMixin:
    """Checks the household as it would be after the form saves, with every broken hard rule
    put beside its field."""

    def check_rules(self, cleaned: dict) -> None:
        base = household_values(self.instance) if self.instance.pk else {}
        values = {**base, **{k: v for k, v in cleaned.items() if k in HOUSEHOLD_FIELDS}}
        for problem in rules.check_household(values, today=timezone.localdate()):
            if problem.hard:
                field = problem.field if problem.field in self.fields else None
                if field is None or field not in self.errors:
                    self.add_error(field, problem.message)

    def _post_clean(self):
        # The rules say what the model's constraints say, in people's words; the service saves.
        pass

    def service_fields(self) -> dict:
        return {
            k: ("" if v is None and k in BLANK_TEXT else v)
            for k, v in self.cleaned_data.items()
            if k in HOUSEHOLD_FIELDS
        }


BLANK_TEXT = {
    "first_applicant_sex",
    "first_applicant_ethnicity",
    "second_applicant",
    "second_applicant_sex",
    "second_applicant_ethnicity",
    "legal_status",
    "how_heard",
    "outside_agency",
    "fast_track",
    "sex_preference",
    "other_preferences",
    "stage2_late_reason",
    "left_reason",
}


class HouseholdForm(HouseholdRulesMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = list(HOUSEHOLD_FIELDS)
        widgets = {
            **dict.fromkeys(DATE_FIELDS, DATE_INPUT),
            "first_applicant_date_of_birth": DATE_INPUT,
            "second_applicant_date_of_birth": DATE_INPUT,
            "other_preferences": forms.Textarea(attrs={"rows": 3}),
            "stage2_late_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiting_council"].queryset = Council.objects.filter(region=region)
        self.fields["recruiting_council"].label = "Lives in (partner council)"
        refuse_bidi_controls(self, ("first_applicant", "second_applicant", "outside_agency"))
        offer_starts_not_discussed(self)
        # Why Stage 2 started late: asked only when it did (or any start now would be late).
        values = household_values(self.instance) if self.instance.pk else {}
        asked = rules.stage2_late_possible(values, today=timezone.localdate())
        if not asked and "stage2_late_reason" not in self.data:
            del self.fields["stage2_late_reason"]
        stages = [*DATE_FIELDS, "left_reason"]
        if "stage2_late_reason" in self.fields:
            stages.insert(stages.index("stage2_start_date") + 1, "stage2_late_reason")
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Fieldset("First applicant", *[f"first_applicant{s}" for s in APPLICANT]),
                Fieldset(
                    "Second applicant (leave empty for a single applicant)",
                    *[f"second_applicant{s}" for s in APPLICANT],
                ),
                css_class="applicants",
            ),
            Fieldset(
                "The household",
                "legal_status",
                "how_heard",
                "recruiting_council",
                "recruited_outside_region",
                "outside_agency",
                "fast_track",
                "dual_approval",
            ),
            Fieldset("What they can offer", *OFFER_FIELDS),
            Fieldset("Stages", *stages),
        )

    def clean(self):
        cleaned = super().clean()
        self.check_rules(cleaned)
        return cleaned


#: The steps of recruitment, each a small form: (fields, title, labels).
STEPS = {
    "information_event": (
        ["information_event_date"],
        "Record the information event",
        {"information_event_date": "Date they attended the information event"},
    ),
    "registration": (
        ["registration_date"],
        "Record the registration of interest (Stage 1 starts)",
        {"registration_date": "Date of the registration of interest"},
    ),
    "stage1_end": (
        ["stage1_end_date"],
        "Record the end of Stage 1",
        {"stage1_end_date": "Date Stage 1 ended"},
    ),
    "stage2_start": (
        ["stage2_start_date"],
        "Record the start of Stage 2",
        {"stage2_start_date": "Date Stage 2 started"},
    ),
    "stage2_late": (
        ["stage2_late_reason"],
        "Record why Stage 2 started late",
        {"stage2_late_reason": "Why Stage 2 started more than 6 months after Stage 1 ended"},
    ),
    "approval": (
        ["panel_date", "approval_date"],
        "Record the panel and the ADM's approval",
        {"panel_date": "Date of the approval panel", "approval_date": "Date the ADM approved"},
    ),
    "leave": (
        ["left_date", "left_reason"],
        "Record that the household left the process",
        {"left_date": "Date they left the process", "left_reason": "Why they left"},
    ),
}
#: The step buttons a household's page offers, by stage.
NEXT_STEPS = {
    "enquiry": ["information_event", "registration"],
    "information_event": ["registration"],
    "stage1": ["stage1_end"],
    "between": ["stage2_start"],
    "stage2": ["approval"],
}


#: Optional fields a step's form also offers, when they apply.
STEP_EXTRAS = {"stage2_start": ["stage2_late_reason"]}


class StepForm(HouseholdRulesMixin, forms.ModelForm):
    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        names, self.title, labels = STEPS[step]
        for name in names:
            self.fields[name].required = True
            self.fields[name].label = labels[name]
            if name.endswith("_date"):
                self.fields[name].widget = DATE_INPUT
            if name.endswith("_reason") and isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs["rows"] = 3
        if "stage2_late_reason" in self.fields and step != "stage2_late":
            # Stage 1 ended over 6 months ago: any start recorded now is late, so ask why here.
            values = household_values(self.instance)
            if rules.stage2_late_possible(values, today=timezone.localdate()):
                self.fields["stage2_late_reason"].required = False
                self.fields["stage2_late_reason"].widget.attrs["rows"] = 3
            else:
                del self.fields["stage2_late_reason"]
        self.helper = _helper("Record")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.check_rules(cleaned)
        return cleaned


def step_form_class(step: str) -> type[StepForm]:
    return forms.modelform_factory(
        Household, form=StepForm, fields=[*STEPS[step][0], *STEP_EXTRAS.get(step, [])]
    )


class HoldForm(forms.ModelForm):
    class Meta:
        model = HoldPeriod
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, ending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ending:
            self.fields["end_date"].required = True
            self.fields["end_date"].label = "Date the hold ended"
            for name in ("start_date", "reason"):
                self.fields[name].disabled = True
        else:
            del self.fields["end_date"]
        self.helper = _helper("Save")

    def _post_clean(self):
        pass


class ChildNeedsForm(forms.ModelForm):
    """What the child needs of a family, saved for ranking."""

    class Meta:
        model = ChildNeeds
        fields = ["health_needs", "disability_needs", "developmental_uncertainty", "contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.helper = _helper("Save the child's needs and rank again")

    def _post_clean(self):
        pass


class FamilyFindingForm(forms.Form):
    """Record a link, match or placement of a child (and the brothers and sisters to be
    placed with them) with a household."""

    household = forms.ModelChoiceField(queryset=Household.objects.none())
    date = forms.DateField(widget=DATE_INPUT)
    panel_date = forms.DateField(label="Matching panel date", widget=DATE_INPUT)
    with_siblings = forms.BooleanField(
        label="Also for the brothers and sisters to be placed with this child",
        required=False,
        initial=True,
    )

    DATE_LABELS = {
        "linked": "Date linked",
        "matched": "Date of the ADM match decision",
        "placed": "Date the child moved in",
    }

    def __init__(self, *args, kind: str, households, siblings: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.reference} – {h.applicants}"
            + (
                f" (approved {h.approval_date:%d/%m/%Y})"
                if h.approval_date
                else f" ({h.stage}, not yet approved: an early link)"
            )
        )
        self.fields["date"].label = self.DATE_LABELS[kind]
        if kind != "matched":
            del self.fields["panel_date"]
        if siblings < 2:
            del self.fields["with_siblings"]
        else:
            self.fields[
                "with_siblings"
            ].label = (
                f"Also for the other {siblings - 1} of the sibling group to be placed together"
            )
        self.helper = _helper("Record")
