"""The format of a council's child ID, checked wherever an ID enters: the child form, the 903
import (CHILD) and, later, the case-system API."""

import re

from django.core.exceptions import ValidationError

CHILD_ID = re.compile(r"[A-Za-z0-9_/-]+\Z")
CHILD_ID_MAX_LENGTH = 20


def validate_child_id(value: str) -> None:
    """Raises ValidationError (code ``child_id_format``) unless ``value`` is 1 to 20 letters,
    digits and ``-``, ``_`` or ``/``, as councils' case systems number children. This also
    keeps out anything a spreadsheet would read as a formula and hidden direction controls."""
    if not value:
        raise ValidationError("Give the child ID.", code="child_id_format")
    if len(value) > CHILD_ID_MAX_LENGTH:
        raise ValidationError(
            f"The child ID is {len(value)} characters long; it may have at most "
            f"{CHILD_ID_MAX_LENGTH}.",
            code="child_id_format",
        )
    if not CHILD_ID.match(value):
        wrong = next(c for c in value if not CHILD_ID.match(c))
        shown = (
            repr(wrong) if wrong.isprintable() and not wrong.isspace() else f"U+{ord(wrong):04X}"
        )
        raise ValidationError(
            f"The child ID may hold only letters, digits and - _ / (as in the council's case "
            f"system), not {shown}.",
            code="child_id_format",
        )
