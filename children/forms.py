"""Forms for a child's record and journey. Each one checks the same date rules as the service
that saves it (children.services), so a person sees every broken rule beside its field."""

from datetime import date
from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from adopters.models import Household
from adopters.stages import StageCode
from children import selectors, services
from children.date_rules import Finding, birth_findings
from children.models import (
    ADOPTED_REASONS,
    Child,
    ClosedReason,
    EventKind,
    JourneyEvent,
    LeftCareReason,
    PeriodOfCare,
)
from children.validators import validate_child_id
from raa import access
from raa.models import Council, Role, User
from raa.validators import refuse_bidi_controls

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Names and references a person types (the child ID has its own, stricter format).
NAME_FIELDS = ("first_name", "last_name", "upn", "sibling_group_reference")


def social_workers_for(councils) -> QuerySet[User]:
    """People who may be allocated a child of these councils: social workers over one of them
    or over their whole region."""
    member_ids = access.holders_over([Role.SOCIAL_WORKER, Role.TEAM_MANAGER], councils).values(
        "user_id"
    )
    return User.objects.filter(id__in=member_ids, is_active=True).order_by("last_name", "username")


class VersionedForm(forms.Form):
    """Carries the version of the child's record the form was opened at, so a save over
    somebody else's newer change is refused (children.services.RecordChanged)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def set_version(self, child: Child) -> None:
        self.fields["version"].initial = child.version
        self.fields["loaded_at"].initial = timezone.now().isoformat()

    def add_findings(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.add_error(finding.field if finding.field in self.fields else None, finding.message)


def _helper(label: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class ChildForm(VersionedForm, forms.ModelForm):
    council = forms.ModelChoiceField(queryset=Council.objects.none())
    sibling_group_reference = forms.CharField(
        label="Sibling group",
        required=False,
        max_length=20,
        help_text="Brothers and sisters to be placed together share a reference, e.g. SG-0042. "
        "Leave empty if the child is not in a sibling group.",
    )

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
            "sibling_group_reference",
            "siblings_placed_together",
            "siblings_placed_apart",
        ]
        widgets = {"date_of_birth": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        councils = access.councils_for(user, access.CASE_EDIT_ROLES)
        self.fields["council"].queryset = councils
        if self.instance.pk:
            # A child stays with its council; moving councils is not an edit.
            del self.fields["council"]
            scope = [self.instance.council]
            self.set_version(self.instance)
            if self.instance.sibling_group:
                self.fields[
                    "sibling_group_reference"
                ].initial = self.instance.sibling_group.reference
        else:
            scope = list(councils)
            if len(scope) == 1:
                self.fields["council"].initial = scope[0]
            # No silent defaults: a new child's sex and ethnicity start empty and must be
            # chosen ("Not known" and "Information not yet obtained" are choices like any).
            for name in ("sex", "ethnicity"):
                field = self.fields[name]
                field.choices = [("", "Choose…"), *[c for c in field.choices if c[0] != ""]]
                field.initial = ""
                field.required = True
        self.fields["allocated_social_worker"].queryset = social_workers_for(scope)
        self.fields["allocated_social_worker"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        self.fields["child_id"].validators.append(validate_child_id)
        refuse_bidi_controls(self, NAME_FIELDS)
        self.helper = _helper()

    def clean_date_of_birth(self) -> date:
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError(
                f"The date of birth ({dob:%d/%m/%Y}) is in the future. Enter the date the child "
                "was born."
            )
        if self.instance.pk and dob != self.instance.date_of_birth:
            for finding in services.new_hard_findings(self.instance, date_of_birth=dob):
                self.add_error("date_of_birth", finding.message)
        elif not self.instance.pk:
            for finding in birth_findings(dob):
                self.add_error("date_of_birth", finding.message)
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

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in services.CHILD_FIELDS}
        data["sibling_group_reference"] = self.cleaned_data.get("sibling_group_reference", "")
        return data


class PeriodOfCareForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = PeriodOfCare
        fields = ["entered_care", "legal_status", "left_care", "left_care_reason"]
        widgets = {"entered_care": DATE_INPUT, "left_care": DATE_INPUT}
        labels = {"entered_care": "Date the child entered care", "left_care": "Date they left care"}

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.set_version(child)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = {k: cleaned.get(k) for k in services.PERIOD_FIELDS}
            values = {k: ("" if v is None and k != "left_care" else v) for k, v in values.items()}
            self.add_findings(
                services.period_findings(
                    self.child, values=values, period=self.instance if self.instance.pk else None
                )
            )
        return cleaned

    def _post_clean(self):
        # The date rules in clean() say what the model's constraints say, in people's words;
        # the service saves a fresh copy of the record, so the form's instance is not needed.
        pass

    def service_fields(self) -> dict:
        return {
            k: (
                self.cleaned_data[k] if self.cleaned_data[k] is not None or k == "left_care" else ""
            )
            for k in services.PERIOD_FIELDS
        }


class JourneyEventForm(VersionedForm, forms.ModelForm):
    """The form for one kind of step: its date and the details that kind holds."""

    left_care_reason = forms.ChoiceField(
        label="The child left care by",
        choices=[(c, LeftCareReason(c).label) for c in ADOPTED_REASONS],
        initial=LeftCareReason.E11,
        help_text="The adoption order ends the child's period of care on its date.",
    )

    class Meta:
        model = JourneyEvent
        fields = [
            "date",
            "ceased_reason",
            "authority",
            "household",
            "panel_date",
            "placement_provider",
            "foster_carer_adoption",
            "living_with_carers_since",
            "disruption_reason",
        ]
        widgets = {
            "date": DATE_INPUT,
            "panel_date": DATE_INPUT,
            "living_with_carers_since": DATE_INPUT,
        }

    def __init__(self, *args, child: Child, kind: str, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.kind = kind
        self.household_warnings: list[str] = []
        self.set_version(child)
        wanted = {"date", "version", "loaded_at", *services.EVENT_FIELDS[kind]}
        if kind == EventKind.ADOPTION_ORDER and not self.instance.pk:
            wanted.add("left_care_reason")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.fields["date"].label = DATE_LABELS.get(kind, "Date")
        for name in ("ceased_reason", "authority", "placement_provider", "disruption_reason"):
            if name in self.fields:
                self.fields[name].required = True
        if "household" in self.fields:
            field = self.fields["household"]
            field.queryset = households_for_child(child, self.instance)
            # Names for those who may see the household; reference and offer for anyone else.
            named = (
                set(Household.objects.visible_to(user).values_list("id", flat=True))
                if user is not None
                else set()
            )
            field.label_from_instance = partial(household_label, named=named)
            field.empty_label = "Choose a household"
            self.family_finding = (
                kind in (EventKind.LINKED, EventKind.MATCHED)
                and user is not None
                and access.may_do_family_finding(user, child.council.region_id, edit=True)
            )
            if kind in (EventKind.LINKED, EventKind.MATCHED):
                field.help_text = (
                    "Approved households still free (not matched with another child), with what "
                    "they can offer. Type in the search box to narrow the list."
                )
                field.widget.attrs.update({"data-searchable": "household", "size": "8"})
            self.fields["household"].required = kind in services.HOUSEHOLD_REQUIRED and (
                self.instance.pk is None or self.instance.household_id is not None
            )
            self.fields["household"].initial = self.instance.household_id or latest_household(child)
        if "panel_date" in self.fields:
            self.fields["panel_date"].required = True
        if kind == EventKind.PLACEMENT_ORDER and not self.instance.pk and not self.is_bound:
            self._prefill_placement_order()
        self.helper = _helper("Save" if self.instance.pk else "Record")

    def _prefill_placement_order(self) -> None:
        """A new placement order step starts with what the record already states (the period
        of care that began under the order), never a guess: nothing is filled in when the
        record says nothing, and the date only when the journey's date rules accept it."""
        known = selectors.placement_order_on_record(self.child)
        if known is None:
            return
        self.fields["authority"].initial = known.authority
        filled = ["authority"]
        clashes = services.event_findings(
            self.child,
            kind=self.kind,
            values={"date": known.date, "authority": known.authority},
        )
        if not clashes:
            self.fields["date"].initial = known.date
            filled.append("date")
        for name in filled:
            self.fields[name].help_text = f"Filled in from {known.source}: check it."

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.kind == EventKind.MATCHED and not self.instance.pk:
            self._confirm_household(cleaned)
        if not self.errors:
            values = {k: v for k, v in cleaned.items() if k in self._meta.fields}
            self.add_findings(
                services.event_findings(
                    self.child,
                    kind=self.kind,
                    values={
                        k: ("" if v is None and k in BLANK_TEXT else v) for k, v in values.items()
                    },
                    event=self.instance if self.instance.pk else None,
                    left_care_reason=cleaned.get("left_care_reason", ""),
                )
            )
        return cleaned

    def _confirm_household(self, cleaned: dict) -> None:
        """A match with a household other than the linked one, or one already matched, needs
        the person to tick that they mean it (the box appears with the warning)."""
        self.household_warnings = services.match_household_warnings(
            self.child, cleaned.get("household"), cleaned.get("date") or timezone.localdate()
        )
        if not self.household_warnings:
            return
        self.fields["confirm_household"] = forms.BooleanField(
            label="I have checked: match with this household all the same (a data-quality "
            "note is kept)",
            required=False,
        )
        if self.data.get("confirm_household") in ("on", "true", "1"):
            return
        self.add_error(
            "household",
            [*self.household_warnings, "Tick the box below to confirm, or choose another."],
        )

    _post_clean = PeriodOfCareForm._post_clean

    def service_fields(self) -> dict:
        fields = {
            k: ("" if v is None and k in BLANK_TEXT else v)
            for k, v in self.cleaned_data.items()
            if k in self._meta.fields and k in self.fields
        }
        if self.household_warnings:
            fields["household_warning"] = " ".join(self.household_warnings)
        return fields


BLANK_TEXT = {"ceased_reason", "authority", "placement_provider", "disruption_reason"}

DATE_LABELS = {
    EventKind.PERMANENCE_DECISION: "Date of the second review",
    EventKind.ADM_DECISION: "Date of the ADM decision that the child should be placed",
    EventKind.PLAN_CEASED: "Date of the decision that the child should no longer be placed",
    EventKind.FFA_DECISION: "Date of the FfA / concurrent planning decision",
    EventKind.FFA_PLACEMENT: "Date the child moved to the FfA / concurrent planning carers",
    EventKind.PLACEMENT_ORDER: "Date of the placement order (or consent)",
    EventKind.LINKED: "Date linked",
    EventKind.MATCHED: "Date of the ADM match decision",
    EventKind.PLACED: "Date the child moved in",
    EventKind.DISRUPTION: "Date the placement ended",
    EventKind.ADOPTION_APPLICATION: "Date of the adoption application",
    EventKind.ADOPTION_ORDER: "Date of the adoption order",
}


#: A household's derived stages in which it is still free for another child.
FREE_STAGES = (StageCode.APPROVED, StageCode.LINKED)


def households_for_child(child: Child, event: JourneyEvent | None = None) -> QuerySet[Household]:
    """Households a step may name: approved households of the child's region still free (in
    the process, approved and waiting or only linked: not matched with, placed with or having
    adopted another child), those with a step with this child or a brother or sister in the
    same group, and the one the step already names."""
    own = JourneyEvent.objects.filter(household__isnull=False).filter(
        Q(child=child)
        | Q(child__sibling_group_id=child.sibling_group_id, child__sibling_group__isnull=False)
    )
    choices = Q(
        approval_date__isnull=False, left_date__isnull=True, derived_stage__in=FREE_STAGES
    ) | Q(id__in=own.values("household_id"))
    if event is not None and event.household_id:
        choices |= Q(id=event.household_id)
    return (
        Household.objects.filter(region_id=child.council.region_id)
        .with_progress()
        .filter(choices)
        .order_by("reference")
    )


def household_offer(household: Household) -> str:
    """What a household can offer, in a few words: '2 children aged 0–4, siblings'; what is not
    yet discussed says so."""
    count, young, old = household.children_wanted, household.youngest_age, household.oldest_age
    if count is None:
        children = "number of children not yet discussed"
    else:
        children = "1 child" if count == 1 else f"up to {count} children"
    if young is None and old is None:
        ages = "ages not yet discussed"
    else:
        ages = "aged " + "–".join(str(a) if a is not None else "?" for a in (young, old))
    words = [f"{children}, {ages}" if count is None else f"{children} {ages}"]
    if household.sibling_group:
        words.append("siblings")
    if household.sex_preference in ("M", "F"):
        words.append(household.get_sex_preference_display().lower())
    return ", ".join(words)


def household_label(household: Household, named: frozenset | set = frozenset()) -> str:
    """A household by reference, its applicants' names (only for people who may see the
    household: ``named`` holds its id), its stage or approval date and what it can offer."""
    parts = [household.reference]
    if household.pk in named:
        parts.append(household.applicants)
    stage = household.__dict__.get("derived_stage")
    if household.approval_date:
        approved = f"approved {household.approval_date:%d/%m/%Y}"
        if stage and stage not in (StageCode.APPROVED,):
            approved += f", {StageCode(stage).label.lower()}"
        parts.append(approved)
    else:
        parts.append(StageCode(stage).label if stage else "not approved")
    parts.append(household_offer(household))
    return " · ".join(parts)


def latest_household(child: Child) -> int | None:
    return (
        JourneyEvent.objects.filter(child=child, household__isnull=False)
        .order_by("-date", "-id")
        .values_list("household_id", flat=True)
        .first()
    )


class WithdrawEventForm(VersionedForm):
    reason = forms.CharField(
        label="Why was this step recorded in error?",
        max_length=200,
        help_text="For example: recorded on the wrong child, or the decision was not made. "
        "Do not write names.",
    )

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_version(child)
        self.helper = _helper("Withdraw this step")
        self.helper.inputs[0].field_classes = "btn btn-danger"


class CloseChildForm(VersionedForm):
    reason = forms.ChoiceField(
        label="Why is the record being closed?", choices=ClosedReason.choices
    )

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_version(child)
        self.helper = _helper("Close the record")
        self.helper.inputs[0].field_classes = "btn btn-warning"
