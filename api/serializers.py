"""The API's bodies: what a case system sends and what it gets back (the schema is generated
from these)."""

from datetime import date

from rest_framework import serializers

from children.models import (
    ADOPTED_REASONS,
    Authority,
    CeasedReason,
    DisruptionReason,
    Ethnicity,
    EventKind,
    LeftCareReason,
    LegalStatus,
    PlacementProvider,
    Stage,
)
from children.services import EVENT_FIELDS

#: Dates outside these are a typing mistake, not a journey (and keep date arithmetic in range).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)

#: 903 SEX codes.
SEX_FROM_903 = {"1": "M", "2": "F"}
SEX_TO_903 = {"M": "1", "F": "2"}

REF_PATTERN = r"^[A-Za-z0-9_.:-]{1,40}$"
CHILD_PATTERN = r"^[A-Za-z0-9_-]{1,20}$"


class Date(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(
                f"{day:%d/%m/%Y} is not a date of a child's journey.", code="date_range"
            )
        return day


def choice(values, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[str(v) for v in values], **kwargs)


# -- what a case system sends ---------------------------------------------------------------------


class ChildIn(serializers.Serializer):
    dob = Date(help_text="Date of birth (903 DOB).")
    sex = choice(SEX_FROM_903, required=False, help_text="903 SEX: 1 male, 2 female.")
    ethnic = choice(Ethnicity.values, required=False, help_text="903 ETHNIC code.")
    upn = serializers.RegexField(
        r"^[A-Za-z0-9]{0,13}$", required=False, allow_blank=True, help_text="Unique pupil number."
    )
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)

    def service_fields(self) -> dict:
        data = self.validated_data
        names = {
            "dob": "date_of_birth",
            "ethnic": "ethnicity",
            "upn": "upn",
            "given_name": "first_name",
            "family_name": "last_name",
        }
        fields = {names[k]: v for k, v in data.items() if k in names}
        if "sex" in data:
            fields["sex"] = SEX_FROM_903[data["sex"]]
        return fields


class PeriodIn(serializers.Serializer):
    entered_care = Date(help_text="903 DECOM of the period's first episode.")
    left_care = Date(required=False, allow_null=True, help_text="903 DEC; null while in care.")
    reason_left = choice(
        LeftCareReason.values, required=False, allow_null=True, help_text="903 REC."
    )
    legal_status = choice(
        LegalStatus.values, required=False, allow_null=True, help_text="903 LS on entering care."
    )

    def service_fields(self) -> dict:
        data = self.validated_data
        names = {
            "entered_care": "entered_care",
            "left_care": "left_care",
            "reason_left": "left_care_reason",
            "legal_status": "legal_status",
        }
        return {
            names[k]: ("" if v is None and k != "left_care" else v)
            for k, v in data.items()
            if k in names
        }


#: The details a step may carry, besides its kind and date.
DETAILS = (
    "household",
    "ceased_reason",
    "authority",
    "panel_date",
    "placement_provider",
    "foster_carer_adoption",
    "living_with_carers_since",
    "disruption_reason",
)
#: Details a kind cannot do without (the forms ask for them too).
REQUIRED_DETAILS = {
    EventKind.PLAN_CEASED: ("ceased_reason",),
    EventKind.PLACEMENT_ORDER: ("authority",),
}


class EventIn(serializers.Serializer):
    kind = choice(EventKind.values, help_text="The journey step.")
    date = Date()
    household = serializers.RegexField(
        r"^[A-Za-z0-9_/-]{1,20}$",
        required=False,
        allow_null=True,
        help_text="The agency's household reference (link, match, placement, …). Optional: "
        "the adoption team links the household later if the case system does not know it.",
    )
    ceased_reason = choice(CeasedReason.values, required=False, help_text="plan_ceased: RD1-RD4.")
    authority = choice(Authority.values, required=False, help_text="placement_order.")
    panel_date = Date(required=False, allow_null=True, help_text="matched: the panel's date.")
    placement_provider = choice(PlacementProvider.values, required=False, help_text="placed.")
    foster_carer_adoption = serializers.BooleanField(required=False, help_text="placed.")
    living_with_carers_since = Date(required=False, allow_null=True, help_text="placed.")
    disruption_reason = choice(DisruptionReason.values, required=False, help_text="disruption.")
    left_care_reason = choice(
        [str(r) for r in ADOPTED_REASONS],
        required=False,
        help_text="adoption_order: E11 (default) or E12; the order ends the period of care.",
    )

    def validate(self, data):
        kind = data["kind"]
        allowed = set(EVENT_FIELDS[kind])
        if kind == EventKind.ADOPTION_ORDER:
            allowed.add("left_care_reason")
        errors = {}
        for name in (*DETAILS, "left_care_reason"):
            if name in data and name not in allowed and data[name] not in (None, False):
                errors[name] = serializers.ErrorDetail(
                    f"A {kind} step has no {name}.", code="not_for_kind"
                )
        for name in REQUIRED_DETAILS.get(kind, ()):
            if not data.get(name):
                errors[name] = serializers.ErrorDetail(
                    f"A {kind} step needs its {name}.", code="required"
                )
        if errors:
            raise serializers.ValidationError(errors)
        return data


# -- what it gets back ----------------------------------------------------------------------------


class ChildOut(serializers.Serializer):
    child = serializers.CharField(help_text="The council's CHILD id.")
    council = serializers.CharField(help_text="The council's LA code.")
    dob = serializers.DateField()
    sex = serializers.CharField(allow_null=True, help_text="903 SEX, null if not known.")
    ethnic = serializers.CharField()
    upn = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(required=False, help_text="What the PUT did.")


class PeriodOut(serializers.Serializer):
    ref = serializers.CharField(allow_null=True, help_text="null: recorded by hand.")
    entered_care = serializers.DateField()
    left_care = serializers.DateField(allow_null=True)
    reason_left = serializers.CharField(allow_null=True)
    legal_status = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(
        required=False,
        help_text="What the PUT did (adopted: a period typed by hand took the reference).",
    )


class EventOut(serializers.Serializer):
    ref = serializers.CharField(allow_null=True, help_text="null: recorded by hand.")
    kind = serializers.CharField()
    date = serializers.DateField()
    household = serializers.CharField(
        allow_null=True, help_text="null: not linked yet (the adoption team links it)."
    )
    ceased_reason = serializers.CharField(allow_null=True)
    authority = serializers.CharField(allow_null=True)
    panel_date = serializers.DateField(allow_null=True)
    placement_provider = serializers.CharField(allow_null=True)
    foster_carer_adoption = serializers.BooleanField()
    living_with_carers_since = serializers.DateField(allow_null=True)
    disruption_reason = serializers.CharField(allow_null=True)
    withdrawn = serializers.BooleanField(help_text="Withdrawn as entered in error (kept).")
    outcome = serializers.CharField(
        required=False,
        help_text="What the PUT or DELETE did (adopted: a step typed by hand took the reference).",
    )


class FindingOut(serializers.Serializer):
    rule = serializers.CharField()
    hard = serializers.BooleanField()
    message = serializers.CharField()
    ref = serializers.CharField(allow_null=True, help_text="The step it is about, if any.")


class ChildRecordOut(ChildOut):
    stage = serializers.ChoiceField(choices=Stage.values, help_text="Derived from the journey.")
    closed_on = serializers.DateField(allow_null=True)
    periods = PeriodOut(many=True)
    events = EventOut(many=True)
    findings = FindingOut(many=True, help_text="Open data-quality findings.")


class ErrorItem(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    rule = serializers.CharField()
    message = serializers.CharField()


class ProblemOut(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    errors = ErrorItem(many=True)


class OperationIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=["PUT", "DELETE"])
    path = serializers.CharField(
        max_length=200,
        help_text="Below the council: children/<child>, children/<child>/periods/<ref> or "
        "children/<child>/events/<ref>.",
    )
    body = serializers.DictField(required=False, allow_null=True)


class BatchIn(serializers.Serializer):
    operations = OperationIn(many=True, allow_empty=False)


class OperationOut(serializers.Serializer):
    index = serializers.IntegerField()
    method = serializers.CharField()
    path = serializers.CharField()
    status = serializers.IntegerField(
        help_text="As the single request would answer; 424: not applied because another "
        "operation for the same child was refused (each child's operations are all or nothing)."
    )
    body = serializers.DictField(required=False, allow_null=True)
    problem = ProblemOut(required=False, allow_null=True)


class BatchOut(serializers.Serializer):
    applied = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = OperationOut(many=True)
