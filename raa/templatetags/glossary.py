"""``{% load glossary %}{% abbr "ADM" %}``: a code with its meaning on hover (an ``<abbr>``
whose title is from :mod:`raa.glossary`), linked nowhere so it reads as part of its sentence."""

from django import template
from django.utils.html import format_html

from raa.glossary import BY_TERM

register = template.Library()


@register.simple_tag
def abbr(term: str) -> str:
    full, meaning = BY_TERM[term]
    return format_html('<abbr title="{}: {}">{}</abbr>', full, meaning, term)
