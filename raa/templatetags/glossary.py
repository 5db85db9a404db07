"""Codes with their meaning on hover (an ``<abbr>`` whose title is from :mod:`raa.glossary`),
linked nowhere so they read as part of their sentence:

- ``{% load glossary %}{% abbr "ADM" %}``: one word of the glossary;
- ``{{ child.ethnicity|code:"ethnicity" }}``: a code of one registered list (the code alone,
  unchanged, if the glossary does not know it);
- ``{{ text|glossed }}``: running text (a label such as "C2: full care order", a message) with
  every word and code the glossary knows explained where it stands;
- ``{% glossed_html %}...{% endglossed_html %}``: the same over a block of a page (the
  dashboard's tables and headings), its text only: tags, attributes and what a person cannot
  hover (an existing ``<abbr>``, a select's options, scripts, the SVG charts) are left as
  they are.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

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


#: Elements whose text is not explained in place: already explained, not hoverable, or not HTML.
_LEAVE = frozenset({"abbr", "script", "style", "title", "select", "option", "textarea", "svg"})
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)")


def gloss_html(html: str) -> str:
    """``html`` with every glossary word in its text (outside :data:`_LEAVE`) in an
    ``<abbr>``. The text is already escaped HTML: the codes and words are plain letters and
    digits, so a match never falls inside an entity."""
    pattern, out, leave = glossary.prose_pattern(), [], []
    for i, piece in enumerate(_TAG.split(html)):
        if i % 2:  # a tag or a comment
            out.append(piece)
            named = _NAME.match(piece)
            if named and named.group(2).lower() in _LEAVE and not piece.endswith("/>"):
                if named.group(1):
                    if leave and leave[-1] == named.group(2).lower():
                        leave.pop()
                else:
                    leave.append(named.group(2).lower())
        elif leave or not piece.strip():
            out.append(piece)
        else:
            out.append(
                pattern.sub(
                    lambda m: str(_abbr(m.group(1), glossary.hover_text(m.group(1)))), piece
                )
            )
    return "".join(out)


class GlossedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return mark_safe(gloss_html(self.nodelist.render(context)))  # noqa: S308 (escaped by the template; the titles by _abbr)


@register.tag
def glossed_html(parser, token):
    nodelist = parser.parse(("endglossed_html",))
    parser.delete_first_token()
    return GlossedNode(nodelist)
