"""The ASGLB quarterly returns as CSV: one row per child (DOMAIN.md Part B §5.3) and one per
adopter household (§5.4), for the financial year to the end of the quarter (Q4: the whole
year). Dates are dd/mm/yyyy; codes are the 903 / DfE codes. Cells are written through
:mod:`raa.safe_export` (no formula from the data)."""

import io
from datetime import date

from raa.safe_export import SafeCsvWriter
from scorecard import periods as P
from scorecard.returns.selectors import ChildRow, HouseholdRow

CHILD_COLUMNS = [
    "child_id",
    "family_id",
    "date_of_birth",
    "gender",
    "ethnicity",
    "disability",
    "date_entered_care",
    "date_adm_decision",
    "date_ffa_decision",
    "date_ffa_placement",
    "date_placement_order",
    "date_matched",
    "date_placed",
    "placed_with_foster_carers",
    "date_started_living_with_carers",
    "date_no_longer_to_be_placed",
    "reason_no_longer_to_be_placed",
    "sibling_group",
    "siblings_placed_together",
    "siblings_placed_apart",
    "date_of_order",
    "order_type",
    "placement_provider",
    "date_disruption",
]
ADOPTER_COLUMNS = [
    "family_id",
    "number_of_adopters",
    "recruiting_council",
    "approved_by_another_agency",
    "fast_track",
    "fostering_for_adoption",
    "date_enquiry",
    "date_stage1_start",
    "date_stage1_end",
    "date_stage2_start",
    "date_approval_panel",
    "date_approved",
    "date_matched",
    "date_placed",
    "children_placed",
    "date_adoption_order",
    "date_left_process",
    "reason_left_process",
]


def quarter_period(year: str, quarter: int) -> tuple[date, date]:
    """Financial year "2024-25", quarter 1..4 -> (1 April, the quarter's last day): the year to
    date, as the ASGLB collects it."""
    to_date = P.year_to_date(int(year[:4]), quarter)
    return to_date.start, to_date.end


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def child_level(rows: list[ChildRow]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(CHILD_COLUMNS)
    for row in rows:
        child = row.child
        group = child.sibling_group
        writer.writerow(
            [
                child.child_id,
                row.family,
                _d(child.date_of_birth),
                child.sex,
                child.ethnicity,
                _flag(child.disabled),
                _d(row.entered_care),
                _d(child.adm_decision_date),
                _d(row.ffa_decision),
                _d(row.ffa_placement),
                _d(child.placement_order_date),
                _d(child.matched_date),
                _d(child.placed_date),
                _flag(row.foster_carer_adoption) if child.placed_date else "",
                _d(row.living_with_carers_since),
                _d(row.plan_ceased),
                row.ceased_reason,
                _flag(group is not None and group.to_be_placed_together),
                child.siblings_placed_together
                if child.siblings_placed_together is not None
                else "",
                child.siblings_placed_apart if child.siblings_placed_apart is not None else "",
                _d(child.adoption_order_date),
                "Adoption" if child.adoption_order_date else "",
                row.placement_provider,
                _d(child.disruption_date),
            ]
        )
    return out.getvalue()


def adopter_level(rows: list[HouseholdRow]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(ADOPTER_COLUMNS)
    for row in rows:
        household = row.household
        writer.writerow(
            [
                household.reference,
                2 if household.second_applicant else 1,
                household.recruiting_council.la_code if household.recruiting_council else "",
                _flag(household.recruited_outside_region),
                household.fast_track,
                _flag(household.dual_approval),
                _d(household.enquiry_date),
                _d(household.registration_date),
                _d(household.stage1_end_date),
                _d(household.stage2_start_date),
                _d(household.panel_date),
                _d(household.approval_date),
                _d(row.matched),
                _d(row.placed),
                row.children_placed,
                _d(row.adoption_order),
                _d(household.left_date),
                household.left_reason,
            ]
        )
    return out.getvalue()
