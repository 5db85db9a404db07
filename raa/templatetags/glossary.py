"""Codes with their meaning on hover (an ``<abbr>`` whose title is from :mod:`raa.glossary`),
linked nowhere so they read as part of their sentence:

- ``{% load glossary %}{% abbr "ADM" %}``: one word of the glossary;
- ``{{ child.ethnicity|code:"ethnicity" }}``: a code of one registered list (the code alone,
  unchanged, if the glossary does not know it);
- ``{{ text|glossed }}``: running text (a label such as "C2: full care order", a message) with
  every word and code the glossary knows explained where it stands.
"""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join

from raa import glossary

register = template.Library()


def _abbr(term: str, title: str | None) -> str:
    if title is None:
        return conditional_escape(term)
    return format_html('<abbr title="{}">{}</abbr>', title, term)


@register.simple_tag
def abbr(term: str) -> str:
    """A word of :data:`raa.glossary.TERMS` (an unknown word is a KeyError: a typo shows)."""
    full, meaning = glossary.BY_TERM[term]
    return _abbr(term, f"{full}: {meaning}")


@register.filter
def code(value, key: str) -> str:
    if value in (None, ""):
        return ""
    value = str(value)
    return _abbr(value, glossary.hover_text(value, key))


@register.filter
def glossed(text) -> str:
    if text in (None, ""):
        return ""
    text = str(text)
    pieces, start = [], 0
    for found in glossary.prose_pattern().finditer(text):
        pieces.append(conditional_escape(text[start : found.start()]))
        pieces.append(_abbr(found.group(1), glossary.hover_text(found.group(1))))
        start = found.end()
    pieces.append(conditional_escape(text[start:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
