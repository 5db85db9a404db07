"""The words and codes of adoption work, each explained once: on hover (``{% abbr "ADM" %}``,
``{{ text|glossed }}``, raa/templatetags/glossary.py) and on the glossary page (/glossary/).

The fixed words are :data:`TERMS`. The code lists that belong to other apps (the 903 codes of
legal status, reasons care ended, ethnicity; the data-quality rules) are registered by those
apps when Django starts (:func:`register_codes`, called from their ``AppConfig.ready``), since
this base layer may not import them."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html

#: (term, in full, what it means). Sorted by term on the page.
TERMS: list[tuple[str, str, str]] = [
    (
        "A1",
        "Adoption Scorecard measure A1",
        "Mean days from a child entering care to moving in with the family who adopt them, for "
        "children adopted in the window.",
    ),
    (
        "A2",
        "Adoption Scorecard measure A2",
        "Mean days from the court's placement order to the decision matching the child with a "
        "family.",
    ),
    (
        "A3",
        "Adoption Scorecard measure A3",
        "The percentage of adopted children placed within the window's number of months "
        "(for example 14) of entering care.",
    ),
    (
        "A10",
        "Adoption Scorecard measure A10",
        "Mean days from entering care to moving in, counting a foster carer's adoption from the "
        "day the child moved in with them.",
    ),
    (
        "ADM",
        "agency decision maker",
        "The senior officer who decides that a child should be placed for adoption, and later "
        "decides the match with a family.",
    ),
    (
        "ASGLB",
        "Adoption and Special Guardianship Leadership Board",
        "The national board that collects RAAs' quarterly data return.",
    ),
    (
        "FfA",
        "Fostering for Adoption",
        "A child lives with approved adopters as foster carers before the court's placement "
        "order, so that they move as few times as possible.",
    ),
    ("LA", "local authority", "A partner council of the regional adoption agency."),
    (
        "PO",
        "placement order",
        "The court's order that allows the council to place a child for adoption.",
    ),
    (
        "RAA",
        "regional adoption agency",
        "The agency that the partner councils pool their adoption work into.",
    ),
    (
        "SHOBPA",
        "should be placed for adoption",
        "The ADM's decision that adoption is the plan for the child.",
    ),
    (
        "SSDA903",
        "the children looked after return (903)",
        "The data every council sends the Department for Education each year about the children "
        "it looks after; imported here.",
    ),
    (
        "Stage 1",
        "pre-assessment stage of adopter approval",
        "Registration, checks and preparation: two months in the statutory guidance.",
    ),
    (
        "Stage 2",
        "assessment stage of adopter approval",
        "The home study and the adoption panel: four months in the statutory guidance.",
    ),
    (
        "UPN",
        "unique pupil number",
        "A child's number in the school system; in the 903 return it tells which child is which "
        "across councils.",
    ),
    (
        "AD1",
        "the 903's adopters table",
        "One row per child adopted or placed for adoption, about the adopters: their legal "
        "status, sex and whether they were the child's foster carers.",
    ),
    ("DfE", "Department for Education", "The government department the 903 return goes to."),
    (
        "CHILD",
        "the 903's child ID column",
        "The council's own ID for the child, in every table of the 903 files.",
    ),
    (
        "RNE",
        "reason for new episode (903)",
        "Why an episode of care started: S when the child started to be looked after.",
    ),
    ("DEC", "date episode ceased (903)", "The day an episode of care ended."),
    (
        "REC",
        "reason episode ceased (903)",
        "Why an episode of care ended, for example E11 (adopted) or X1 (a new episode follows).",
    ),
    (
        "X1",
        "episode ceased, a new one starts the same day (903)",
        "The care continues with a change of placement or legal status.",
    ),
    ("CYPA", "Children and Young Persons Act", "The Children and Young Persons Act 1969."),
    ("Q1", "first quarter", "April to June of the financial year."),
    ("Q2", "second quarter", "July to September of the financial year."),
    ("Q3", "third quarter", "October to December of the financial year."),
    ("Q4", "fourth quarter", "January to March of the financial year."),
    (
        "SGO",
        "special guardianship order",
        "A court order giving a carer parental responsibility for a child until 18, without "
        "ending the birth parents' legal relationship.",
    ),
    (
        "CPR",
        "child permanence report",
        "The social worker's report on a child for the agency decision maker and the panel.",
    ),
    (
        "Annex A",
        "the Ofsted adoption data return",
        "The lists of children and adopters each agency gives Ofsted before an inspection.",
    ),
]

BY_TERM = {term: (full, meaning) for term, full, meaning in TERMS}


@dataclass
class CodeList:
    """One list of codes: its title on the glossary page, what the codes are (the start of
    each code's hover text) and each (code, meaning). ``in_prose``: whether the codes are
    looked for in running text (:func:`gloss_words`); not for codes that are also plain words
    (the 903's disruption reason CHILD) or that never show without their label."""

    key: str
    title: str
    what: str
    codes: list[tuple[str, str]] = field(default_factory=list)
    in_prose: bool = True

    def hover(self, code: str) -> str | None:
        for found, meaning in self.codes:
            if found == code:
                return f"{self.what} {code}: {meaning}"
        return None


#: The registered code lists by key, in the order registered.
CODE_LISTS: dict[str, CodeList] = {}


def register_codes(
    key: str, title: str, what: str, codes: Iterable[tuple[str, str]], *, in_prose: bool = True
) -> None:
    """Add (or replace: registering twice is harmless) a list of codes. A code's meaning loses
    a leading "CODE: " (labels such as "C2: full care order")."""
    cleaned = []
    for code, label in codes:
        label = str(label)
        cleaned.append((code, label.removeprefix(f"{code}: ")))
    CODE_LISTS[key] = CodeList(key, title, what, cleaned, in_prose)
    prose_pattern.cache_clear()


def hover_text(term: str, key: str = "") -> str | None:
    """The hover text of a word (``"ADM"``) or, with ``key``, of a code in that list; None if
    the glossary does not know it."""
    if key:
        found = CODE_LISTS.get(key)
        return found.hover(term) if found else None
    if term in BY_TERM:
        full, meaning = BY_TERM[term]
        return f"{full}: {meaning}"
    for codes in CODE_LISTS.values():
        if codes.in_prose and (text := codes.hover(term)):
            return text
    return None


def abbr_html(term: str) -> str:
    """``<abbr title="…">ADM</abbr>`` for a word the glossary knows (safe HTML, for help texts
    built in Python)."""
    return format_html('<abbr title="{}">{}</abbr>', hover_text(term), term)


def prose_terms() -> list[str]:
    """Every word and code looked for in running text, longest first."""
    words = set(BY_TERM)
    for codes in CODE_LISTS.values():
        if codes.in_prose:
            words |= {code for code, _ in codes.codes}
    return sorted(words, key=lambda w: (-len(w), w))


@functools.cache
def prose_pattern() -> re.Pattern:
    """Finds any prose term as a whole word (not inside "A10", "PR1-x", a date or a reference)."""
    alternatives = "|".join(re.escape(w) for w in prose_terms())
    return re.compile(rf"(?<![\w/-])({alternatives})(?![\w/-])")
