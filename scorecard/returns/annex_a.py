"""Ofsted Annex A List 10 (children in the adoption process) and List 11 (adopters), with the
columns of the sample workbook (liia-tools ``spec/annex_a/samples/Annex_A.xlsx``). Cells are
written through :mod:`raa.safe_export` (no formula from the data)."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from raa.safe_export import append_safe_row
from scorecard.returns.selectors import ChildRow, HouseholdRow

LIST_10_COLUMNS = [
    "Child Unique ID",
    "Family identifier",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Date the Child Entered Care",
    "Date of Decision that Child Should be Placed for Adoption",
    "Date of Placement Order",
    "Date of Matching Child and Prospective Adopters",
    "Date Placed for Adoption",
    "Date of Adoption Order ",  # sic: the sample workbook's header ends with a space
    "Date of Decision that Child Should No Longer be Placed for Adoption",
    "Reason Why Child No Longer Placed for Adoption",
    "Date the child was placed for fostering in FFA or concurrent planning placement",
]
LIST_11_COLUMNS = [
    "Individual adopter identifier",
    "Family identifier",
    "Gender",
    "Ethnicity",
    "Disability",
    "Is the (prospective) adopter fostering for adoption?",
    "Date enquiry received",
    "Date Stage 1 started",
    "Date Stage 1 ended",
    "Date Stage 2 started",
    "Date Stage 2 ended",
    "Date application submitted",
    "Date application approved",
    "Date adopter matched with child(ren)",
    "Date child/children placed with adopter(s)",
    "No. of children placed",
    "Date of Adoption Order",
    "Date of leaving adoption process",
    "Reason for leaving adoption process",
]
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
#: Annex A's lettered ethnicity list, in the order the sample workbook implies (r) OOTH,
#: s) NOBT); REFU follows.
ETHNICITY_ORDER = [
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "NOBT",
    "REFU",
]
ETHNICITY = {code: f"{chr(ord('a') + n)}) {code}" for n, code in enumerate(ETHNICITY_ORDER)}
YES_NO = {True: "a) Yes", False: "b) No"}
DATE_FORMAT = "dd/mm/yyyy"


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def list_10_row(row: ChildRow, period_end: date) -> list:
    child = row.child
    return [
        child.child_id,
        row.family or None,
        GENDER.get(child.sex, GENDER["U"]),
        ETHNICITY.get(child.ethnicity, ""),
        child.date_of_birth,
        age_in_years(child.date_of_birth, period_end),
        YES_NO[child.disabled],
        row.entered_care,
        child.adm_decision_date,
        child.placement_order_date,
        child.matched_date,
        child.placed_date,
        child.adoption_order_date,
        row.plan_ceased,
        row.ceased_reason or None,
        row.ffa_placement,
    ]


APPLICANT = {1: "first_applicant", 2: "second_applicant"}


def _applicant(household, number: int) -> tuple[str, str, str]:
    """An applicant's gender, ethnicity and disability as Annex A codes them (blank where the
    household record does not say)."""
    prefix = APPLICANT[number]
    sex = getattr(household, f"{prefix}_sex")
    return (
        GENDER.get(sex, "") if sex else "",
        ETHNICITY.get(getattr(household, f"{prefix}_ethnicity"), ""),
        YES_NO[getattr(household, f"{prefix}_disabled")],
    )


def list_11_rows(row: HouseholdRow) -> list[list]:
    """One row per adopter of the household (two for a couple), linked to the children's rows
    by the family identifier."""
    household = row.household
    applicants = [1, 2] if household.second_applicant else [1]
    rows = []
    for number in applicants:
        gender, ethnicity, disability = _applicant(household, number)
        rows.append(
            [
                f"{household.reference}-{number}",
                household.reference,
                gender,
                ethnicity,
                disability,
                "Yes" if household.dual_approval else "No",
                household.enquiry_date,
                household.registration_date,
                household.stage1_end_date,
                household.stage2_start_date,
                household.approval_date,
                household.stage2_start_date,
                household.approval_date,
                row.matched,
                row.placed,
                row.children_placed,
                row.adoption_order,
                household.left_date,
                household.get_left_reason_display() if household.left_reason else None,
            ]
        )
    return rows


def workbook(children: list[ChildRow], households: list[HouseholdRow], period_end: date) -> bytes:
    """The two lists as an .xlsx workbook (sheets "List 10" and "List 11"); dates are real
    Excel dates shown dd/mm/yyyy."""
    book = Workbook()
    sheet10 = book.active
    sheet10.title = "List 10"
    _fill(sheet10, LIST_10_COLUMNS, [list_10_row(r, period_end) for r in children])
    sheet11 = book.create_sheet("List 11")
    _fill(sheet11, LIST_11_COLUMNS, [line for r in households for line in list_11_rows(r)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, columns: list[str], rows: list[list]) -> None:
    append_safe_row(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        append_safe_row(sheet, values)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, title in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
            max(12, len(title.strip()) * 0.6), 40
        )
    sheet.freeze_panes = "A2"
