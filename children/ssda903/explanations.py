"""What each data-quality rule of an import means, in plain English, for the import report.

Findings carry a rule code: ``903-<n>`` (or ``903-<name>``) for the DfE 903 rules checked on the
files (children/ssda903/validate.py), and the codes of the journey's date rules
(children/date_rules.py) checked on the journey as stored. Each message names the child's own
dates; the explanation here says what the rule is about and what a data officer does about it.
"""

#: Rule code -> (title, what it means and what to do).
EXPLANATIONS: dict[str, tuple[str, str]] = {
    # -- the files (DfE 903 rules and the shape of the episodes)
    "903-no-episodes": (
        "A child with no episode",
        "The child is in header.csv but no row of episodes.csv is about them, so the journey "
        "has no period of care. Add the child's episodes or check the CHILD ID.",
    ),
    "903-357": (
        "First episode does not start care (DfE 357)",
        "A child's first episode should start with RNE S (started to be looked after). An "
        "earlier episode is probably missing from the files, or the RNE is wrong.",
    ),
    "903-episodes-open": (
        "An episode with no end date before another",
        "An episode has no DEC although a later one starts; the case system probably did not "
        "close it. Add the end date.",
    ),
    "903-episodes-chain": (
        "Episodes that do not follow on",
        "An episode ends with X1 (a new episode the same day) but the next does not start that "
        "day. A change of placement or legal status is missing or misdated.",
    ),
    "903-episodes-overlap": (
        "Overlapping episodes",
        "An episode ends after the next one starts. Correct the dates so each ends when the "
        "next begins.",
    ),
    "903-rec-without-dec": (
        "A reason for leaving without an end date",
        "The episode has REC (why it ended) but no DEC (when), so it is taken as still open. "
        "Add the end date, or clear the REC if the episode is open.",
    ),
    "903-445": (
        "Freeing order after 2005 (DfE 445)",
        "Legal status D1 (freeing order) on an episode starting after December 2005, when "
        "freeing orders ended; it is usually E1 (placement order).",
    ),
    "903-446": (
        "Placement order before December 2005 (DfE 446)",
        "Legal status E1 (placement order) on an episode starting before placement orders "
        "existed; it is usually D1 (freeing order).",
    ),
    "903-336": (
        "Unexpected placement before a placement for adoption (DfE 336)",
        "The placement before a placement for adoption with consent is expected to be a foster "
        "placement or another placement for adoption. Check the earlier placement code.",
    ),
    "903-151": (
        "AD1 half filled (DfE 151)",
        "AD1 has the date of the decision or of the match but not both. Fill the other date.",
    ),
    "903-523": (
        "AD1 decision date not among the decisions (DfE 523)",
        "AD1 DATE_INT should be the date of a decision in placed_for_adoption.csv. One of the "
        "two is wrong.",
    ),
    "903-333": (
        "Match before the decision (DfE 333)",
        "The match (AD1 DATE_MATCH) is dated before the decision that the child should be "
        "placed for adoption (DATE_INT).",
    ),
    "903-331": (
        "Match after placement (DfE 331)",
        "The match is dated after the child was placed for adoption; the match comes first.",
    ),
    "903-521": (
        "Decision after placement (DfE 521)",
        "The decision that the child should be placed for adoption is dated after the child was "
        "placed for adoption.",
    ),
    "903-334": (
        "Decision before entering care (DfE 334)",
        "The decision is dated before the child entered care (the start of the period of care).",
    ),
    "903-582": (
        "Adoption order on the match date (DfE 582)",
        "The adoption order has the same date as the match; the match is expected months "
        "earlier. Check both dates.",
    ),
    "903-335": (
        "Foster-carer adoption flag disagrees with the placement (DfE 335)",
        "AD1 FOSTER_CARE should be 1 for a placement with the child's foster carers (A3, A5) and "
        "0 for new carers (A4, A6).",
    ),
    "903-525": (
        "Adoption details after a reversed plan (DfE 525)",
        "The decision that the child should be placed for adoption was reversed, yet AD1 holds "
        "adoption details. One of them is wrong.",
    ),
    "903-602": (
        "Adoption details without an adoption (DfE 602)",
        "AD1 holds adoption details but no episode ends in an adoption order (REC E11 or E12).",
    ),
    "903-408": (
        "Placed under a placement order without one (DfE 408)",
        "A placement for adoption under a placement order (A5, A6) needs legal status E1 on "
        "that episode.",
    ),
    "903-217": (
        "Placement with foster carers that does not start right (DfE 217)",
        "A placement for adoption with the current foster carers (A3, A5) should start with "
        "RNE S, T or U (same carers).",
    ),
    "903-551": (
        "Placed for adoption without a decision (DfE 551)",
        "The child was placed for adoption but the files hold no decision that they should be "
        "placed for adoption (placed_for_adoption.csv). Add the decision.",
    ),
    "903-552": (
        "Decision after the first placement for adoption (DfE 552)",
        "The decision is dated after the child was first placed for adoption.",
    ),
    "903-553": (
        "Placement order without a decision (DfE 553)",
        "The child has a placement (or freeing) order but the files hold no decision that they "
        "should be placed for adoption.",
    ),
    "903-522": (
        "Decision ended before it was made (DfE 522)",
        "DATE_PLACED_CEASED is before DATE_PLACED in placed_for_adoption.csv.",
    ),
    "903-579": (
        "Overlapping decisions (DfE 579)",
        "A new decision was made while the previous one had not ended. End the earlier one "
        "(DATE_PLACED_CEASED and reason) or remove the duplicate.",
    ),
    "903-390": (
        "Adopted from a placement that is not for adoption (DfE 390)",
        "An adoption order ended an episode whose placement is not A3 to A6. Often a "
        "placement for adoption is missing or the placement code is wrong.",
    ),
    "903-558": (
        "Adopted after the plan ended (DfE 558)",
        "The child was adopted but the latest decision that they should be placed for adoption "
        "had ended. Check the ceased date.",
    ),
    "903-557": (
        "Left care with the adoption plan still open (DfE 557)",
        "The child left care (not by adoption) while a decision that they should be placed for "
        "adoption was in force. Record when and why the plan ended.",
    ),
}

#: Prefixes of the journey's own date rules (children/date_rules.py): what the group is about.
_DATE_RULE_TITLES: dict[str, str] = {
    "551-placed-needs-decision": "Placed for adoption without a decision in force",
    "553-authority-needs-decision": "Placement order without a decision in force",
    "445-freeing-order": "Freeing order after 2005",
    "558-adopted-plan-ceased": "Adopted after the plan ended",
    "390-adopted-not-placed": "Adopted without a placement for adoption",
    "ao-without-application": "Adoption order with no adoption application recorded",
    "already-placed": "Placed again while already placed",
    "periods-overlap": "Overlapping periods of care",
    "after-adoption-order": "A step after the adoption order",
    "ao-10-weeks": "Adoption order less than 10 weeks after placement",
    "1003-in-care": "Decision before entering care",
    "disruption-without-placement": "Disruption with no placement for adoption",
    "date-before-1990": "A date before 1990",
    "future-date": "A date in the future",
    "birth-long-before-care": "Born long before entering care",
    "care-before-birth": "Entered care before birth",
    "left-before-entered": "Left care before entering it",
    "left-care-reason": "Left care with no reason given",
    "184-before-birth": "A step before the child's birth",
    "permanence-after-adm": "Permanence decision after the ADM decision",
    "579-decisions-overlap": "Two adoption decisions in force at once",
    "563-ceased-reason": "Decision ended with no reason",
    "522-ceased-before-decision": "Decision ended before it was made",
    "ffa-placement-before-decision": "FfA placement before the FfA decision",
    "authority-kind": "Authority to place not said",
    "446-placement-order": "Placement order dated before placement orders began",
    "link-needs-decision": "Linked without a decision in force",
    "333-match-before-decision": "Matched before the ADM decision",
    "match-before-authority": "Matched before the authority to place",
    "match-household-confirmed": "Matched with another household than the linked one, confirmed",
    "panel-after-match": "Matching panel after the ADM match decision",
    "panel-before-decision": "Matching panel before the adoption decision",
    "331-placed-before-match": "Placed before the match",
    "placed-other-household": "Placed with another household than the matched one",
    "408-placed-without-authority": "Placed without a placement order or consent",
    "foster-carer-since": "Foster-carer adoption: the date living with the carers missing or late",
    "335-foster-carer": "Date living with the carers without a foster-carer adoption",
    "application-without-placement": "Adoption application with no placement",
    "application-10-weeks": "Adoption application less than 10 weeks after placement",
    "582-order-on-match-date": "Adoption order on the match date",
    "386-adopted-over-18": "Adopted aged 18 or over",
    "557-left-care-plan-open": "Left care with the adoption plan still open",
    "left-care-adopted-no-order": "Left care as adopted with no adoption order",
}

DATE_RULE_EXPLANATION = (
    "A rule of the child's journey as it is now stored (the same rules as the child's record "
    "and its forms). Each row names the dates that break it; correct the council's files, or "
    "the record, and the finding clears."
)


def explain(rule: str) -> tuple[str, str]:
    """(title, plain-English explanation) for a rule code; never fails for an unknown code."""
    if rule in EXPLANATIONS:
        return EXPLANATIONS[rule]
    if rule in _DATE_RULE_TITLES:
        return _DATE_RULE_TITLES[rule], DATE_RULE_EXPLANATION
    if rule.startswith("903-"):
        return (
            f"DfE 903 rule {rule.removeprefix('903-')}",
            "A DfE 903 validation rule the files break; each row says what to check.",
        )
    return rule.replace("-", " ").capitalize(), DATE_RULE_EXPLANATION
