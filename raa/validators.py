"""Checks of what people type that every app shares: no hidden characters that reverse the
direction of text in names and IDs; no date before 1990 or years ahead."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from raa.dates import implausible_date_message

#: The Unicode bidirectional embedding, override and isolate controls (U+202A–U+202E,
#: U+2066–U+2069): invisible, they make "Smith" display as something else ("Trojan Source").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class NoBidiControls:
    """Refuses text holding a bidirectional control character, naming the field (``label``) and
    the character, so a person can find it."""

    code = "bidi_control"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        found = BIDI_CONTROLS.search(str(value or ""))
        if found:
            raise ValidationError(
                f"{self.label} holds a hidden character (U+{ord(found.group()):04X}) that "
                "reverses the direction of text. Type it again without pasting it.",
                code=self.code,
            )


def refuse_bidi_controls(form, names) -> None:
    """Add :class:`NoBidiControls` to the form's fields ``names`` (those it has), each with
    the field's label."""
    for name in names:
        field = form.fields.get(name)
        if field is not None:
            field.validators.append(NoBidiControls(str(field.label or name).capitalize()))


class PlausibleDate:
    """Refuses a date before 1990 or after next year (a typing error: 0001-01-01, 2205-01-01),
    naming the field (``label``)."""

    code = "implausible_date"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: date) -> None:
        message = value and implausible_date_message(
            f"The {self.label.lower()}", value, today=timezone.localdate()
        )
        if message:
            raise ValidationError(message, code=self.code)
