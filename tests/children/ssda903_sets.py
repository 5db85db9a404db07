"""Small hand-written SSDA903 sets for the import tests (synthetic)."""

import csv
import io

# The DfE column names, as the benchmark's generator writes them.
from children.ssda903.benchmark import AD1, EPISODES, HEADER, PLACED  # noqa: F401


def table(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def ep(child, decom, rne, ls, place, dec="", rec="", provider="PR1", reason=""):
    """One episode row."""
    return {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": reason,
    }


def head(child, dob="01/01/2018", sex="1", ethnic="WBRI"):
    return {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": ethnic, "UPN": ""}


def ad1(child, date_int, date_match, foster="0"):
    return {
        "CHILD": child,
        "DATE_INT": date_int,
        "DATE_MATCH": date_match,
        "FOSTER_CARE": foster,
        "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF",
    }


def placed(child, date_placed, ceased="", reason=""):
    return {
        "CHILD": child,
        "DATE_PLACED": date_placed,
        "DATE_PLACED_CEASED": ceased,
        "REASON_PLACED_CEASED": reason,
    }


def csv_set(header=(), episodes=(), ad1_rows=(), placed_rows=()) -> dict[str, bytes]:
    return {
        "header.csv": table(HEADER, list(header)),
        "episodes.csv": table(EPISODES, list(episodes)),
        "ad1.csv": table(AD1, list(ad1_rows)),
        "placed_for_adoption.csv": table(PLACED, list(placed_rows)),
    }


def adopted_by_new_family(child="C1"):
    """Entered care 01/02/2019 (S), placement order 01/08/2019 (E1), decision 10/06/2019,
    matched 01/11/2019, placed with new adopters 15/11/2019 (A6), adopted 20/05/2020 (E11)."""
    return {
        "header": [head(child)],
        "episodes": [
            ep(child, "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
            ep(child, "01/08/2019", "L", "E1", "U6", "15/11/2019", "X1"),
            ep(child, "15/11/2019", "P", "E1", "A6", "20/05/2020", "E11"),
        ],
        "ad1_rows": [ad1(child, "10/06/2019", "01/11/2019")],
        "placed_rows": [placed(child, "10/06/2019")],
    }


#: A foster-carer adoption (child F1) for the returns tests: placed 01/12/2019 (A5, PR2), living
#: with the carers since 01/03/2019, adopted 10/06/2020.
FOSTER_CARER_EPISODES_FOR_RETURNS = [
    ep("F1", "01/03/2019", "S", "C2", "U5", "01/09/2019", "X1"),
    ep("F1", "01/09/2019", "L", "E1", "U5", "01/12/2019", "X1"),
    ep("F1", "01/12/2019", "U", "E1", "A5", "01/02/2020", "X1", provider="PR2"),
    ep("F1", "01/02/2020", "L", "E1", "A5", "10/06/2020", "E12", provider="PR2"),
]
