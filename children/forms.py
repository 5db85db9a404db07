from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q, QuerySet

from children.models import Child
from raa import access
from raa.models import Council, Membership, Role, User


def social_workers_for(councils) -> QuerySet[User]:
    """People who may be allocated a child of these councils: social workers over one of them
    or over their whole region."""
    council_ids = [c.pk for c in councils]
    region_ids = {c.region_id for c in councils}
    member_ids = (
        Membership.objects.active()
        .filter(role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
        .filter(Q(council_id__in=council_ids) | Q(council__isnull=True, region_id__in=region_ids))
        .values("user_id")
    )
    return User.objects.filter(id__in=member_ids, is_active=True).order_by("last_name", "username")


class ChildForm(forms.ModelForm):
    council = forms.ModelChoiceField(queryset=Council.objects.none())

    class Meta:
        model = Child
        fields = [
            "council",
            "child_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "disabled",
            "upn",
            "allocated_social_worker",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        councils = access.councils_for(user, access.CASE_EDIT_ROLES)
        self.fields["council"].queryset = councils
        if self.instance.pk:
            # A child stays with its council; moving councils is not an edit.
            del self.fields["council"]
            scope = [self.instance.council]
        else:
            scope = list(councils)
            if len(scope) == 1:
                self.fields["council"].initial = scope[0]
        self.fields["allocated_social_worker"].queryset = social_workers_for(scope)
        self.fields["allocated_social_worker"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))

    def clean_date_of_birth(self) -> date:
        dob = self.cleaned_data["date_of_birth"]
        if dob > date.today():
            raise forms.ValidationError(
                f"The date of birth ({dob:%d/%m/%Y}) is in the future. Enter the date the child "
                "was born."
            )
        return dob

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("council") or getattr(self.instance, "council", None)
        child_id = cleaned.get("child_id")
        if council and child_id:
            clash = Child.objects.filter(council=council, child_id=child_id).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "child_id",
                    f"{council.name} already has a child with ID {child_id}. Each child ID is "
                    "used once within a council.",
                )
        return cleaned

    def validate_unique(self):
        # Uniqueness of (council, child_id) is checked in clean() with a message for people.
        pass
