"""Forms of the organisation app: the second step of signing in, the audit trail's filters."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from raa.models import AuditAction, Council


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class AuditFilterForm(forms.Form):
    """The audit trail's filters: person, council, action and dates (all optional)."""

    person = forms.CharField(label="Person (username)", max_length=150, required=False, strip=True)
    council = forms.ModelChoiceField(
        queryset=Council.objects.order_by("name"), required=False, empty_label="Any council"
    )
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditAction.choices], required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if name in ("council", "action") else "form-control"
            field.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                f"The end date ({end:%d/%m/%Y}) is before the start date ({start:%d/%m/%Y}).",
            )
        return cleaned

    def describe(self) -> str:
        """The filters in words, for the export's own audit row (usernames and ids only)."""
        parts = [
            f"{name}={value.pk if hasattr(value, 'pk') else value}"
            for name, value in self.cleaned_data.items()
            if value
        ]
        return ", ".join(parts) or "no filters"


class PasswordResetRequestForm(PasswordResetForm):
    """Ask for a reset link: the address the agency holds for the person."""

    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
