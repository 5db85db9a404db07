"""The words and codes of adoption work, each explained once: on hover (``{% abbr "ADM" %}``,
raa/templatetags/glossary.py) and on the glossary page (/glossary/)."""

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
        "Annex A",
        "the Ofsted adoption data return",
        "The lists of children and adopters each agency gives Ofsted before an inspection.",
    ),
]

BY_TERM = {term: (full, meaning) for term, full, meaning in TERMS}
