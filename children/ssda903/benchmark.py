"""A large synthetic 903 set for the import benchmark: N children with four episodes each on
average, journeys that hang together (entered care, decision, placement order, match, placement
for adoption, adoption order; some still waiting, some adopted by their foster carers, a few
disruptions). Invented IDs and dates only."""

import csv
import io
import random
from datetime import date, timedelta

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
AD1 = ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR"]
PLACED = ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
ETHNIC = ["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "MWAS", "AIND", "BAFR", "BCRB", "OOTH", "NOBT"]


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def generate(children: int, *, seed: int = 903, today: date | None = None) -> dict[str, bytes]:
    """The four files of a set with ``children`` children (keys: file names)."""
    rng = random.Random(seed)
    today = today or date(2026, 3, 31)
    tables: dict[str, list[list[str]]] = {"header": [], "episodes": [], "ad1": [], "placed": []}
    for number in range(children):
        child = f"B{number:07d}"
        entered = date(2012, 4, 1) + timedelta(days=rng.randrange(0, 4800))
        born = entered - timedelta(days=rng.randrange(30, 2500))
        dob = _d(born)
        tables["header"].append([child, rng.choice("12"), dob, rng.choice(ETHNIC), "", "", ""])
        decision = entered + timedelta(days=rng.randrange(60, 200))
        order = decision + timedelta(days=rng.randrange(20, 150))
        match = order + timedelta(days=rng.randrange(30, 200))
        placed = match + timedelta(days=rng.randrange(5, 40))
        adopted = placed + timedelta(days=rng.randrange(120, 300))
        foster = rng.random() < 0.15
        first_place = "U5" if foster else "U6"
        moved = entered + (order - entered) // 2
        episodes = [[entered, "S", "C1", first_place, "PR1"]]
        # A placement move before the order: same carers for a foster-carer adoption.
        episodes.append(
            [moved, "T" if foster else "P", "C2", first_place if foster else "U4", "PR1"]
        )
        episodes.append([order, "L", "E1", episodes[-1][3], "PR1"])
        if rng.random() < 0.05 and placed + timedelta(days=200) < today:
            # A disruption, then a second placement that leads to the order.
            episodes.append([placed, "P", "E1", "A6", "PR1"])
            placed = placed + timedelta(days=rng.randrange(20, 60))
            episodes.append([placed, "P", "E1", "U6", "PR1"])
            placed = placed + timedelta(days=rng.randrange(30, 90))
            adopted = placed + timedelta(days=rng.randrange(120, 300))
            foster = False
        episodes.append([placed, "U" if foster else "P", "E1", "A5" if foster else "A6", "PR2"])
        rows = []
        for index, (start, rne, ls, place, provider) in enumerate(episodes):
            if start > today:
                break
            following = episodes[index + 1][0] if index + 1 < len(episodes) else None
            if following and following <= today:
                end, reason = following, "X1"
            elif following is None and adopted <= today:
                end, reason = adopted, "E11"
            else:
                end, reason = None, ""
            rows.append(
                [child, _d(start), rne, ls, "N1", place, provider]
                + [_d(end) if end else "", reason, "", "", "", ""]
            )
        tables["episodes"] += rows
        if decision <= today:
            tables["placed"].append([child, dob, _d(decision), "", ""])
        if adopted <= today:
            tables["ad1"].append(
                [child, dob, _d(decision), _d(match), "1" if foster else "0", "2", "MF"]
            )
    return {
        "header.csv": _csv(HEADER, tables["header"]),
        "episodes.csv": _csv(EPISODES, tables["episodes"]),
        "ad1.csv": _csv(AD1, tables["ad1"]),
        "placed_for_adoption.csv": _csv(PLACED, tables["placed"]),
    }


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()
