"""Small helpers for our management commands' options."""

from datetime import date

from django.core.management.base import CommandError


def date_option(text: str, option: str) -> date:
    """The ISO date given to ``option``, or a CommandError saying what to give."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text}: give a date as YYYY-MM-DD.") from None
