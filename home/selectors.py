"""Reads for the home page."""

from datetime import date

from children.models import Child
from children.selectors import children_for_home


def home_for(user, *, today: date | None = None) -> dict:
    """What the person's home page shows: their own children first, then counts in scope."""
    today = today or date.today()
    visible = Child.objects.visible_to(user)
    return {
        "my_children": children_for_home(user, today=today),
        # in the process, not every adopted child on record: what the children list opens on
        "children_in_scope": visible.in_process().count(),
    }
