"""Figures other apps add to a board report, through a hook: the report never imports them.

An app above the scorecard (the forecast: its projection of the current window) registers an
:class:`ExtraFigures` from its ``AppConfig.ready()``. When the report builds its raw figures
(:func:`scorecard.reports.figures.build_figures`) it calls each provider's ``build``; when it
presents them (:func:`scorecard.reports.presentation.present`) each provider's ``present``
turns its raw part into one section of the published figures (aggregates only, small numbers
suppressed as the provider's figures need). The section then goes wherever the other sections
go: frozen with the version, on the web page, in the PDF and in the workbook; a published
version keeps what it froze, whatever the provider says later.
"""

from collections.abc import Callable
from dataclasses import dataclass

from raa.models import Council, Region


@dataclass(frozen=True)
class ExtraFigures:
    """A provider of one extra section.

    ``build(region=, council=, year=, quarter=)`` returns the raw figures (JSON-ready) for the
    report's scope and quarter; ``present(raw, suppress)`` returns the section (key, title,
    intro, tables, charts: as :mod:`scorecard.reports.presentation` builds them), or None to
    leave it out. ``after`` names the section it follows."""

    key: str
    build: Callable[..., dict]
    present: Callable[[dict, bool], dict | None]
    after: str = "scorecard"


_PROVIDERS: dict[str, ExtraFigures] = {}


def register(provider: ExtraFigures) -> None:
    """Add (or replace: ``ready()`` may run twice) the provider of a section."""
    _PROVIDERS[provider.key] = provider


def providers() -> list[ExtraFigures]:
    return list(_PROVIDERS.values())


def build_extras(*, region: Region, council: Council | None, year: int, quarter: int) -> dict:
    """Every provider's raw figures, by key."""
    return {
        p.key: p.build(region=region, council=council, year=year, quarter=quarter)
        for p in providers()
    }


def present_extras(raw: dict, suppress: bool) -> list[tuple[str, dict]]:
    """(the section each follows, the section) for the raw figures' extras whose provider is
    registered."""
    out = []
    for key, part in (raw.get("extras") or {}).items():
        provider = _PROVIDERS.get(key)
        if provider is None or part is None:
            continue
        section = provider.present(part, suppress)
        if section:
            out.append((provider.after, section))
    return out
