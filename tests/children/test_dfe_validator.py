"""The DfE's 903 rules as a second opinion: the public validator councils run on their returns
before they submit (csc-validator-be-903, data-to-insight) and our ``import_903 --dry-run``, over
the validator's own fake 903 set, flag the same children rule by rule, or differ only as the
table below says, with the reason. A change on either side that moves a child fails here.

The set is a 2017-18 return (council 999). Its placeholder REASON_PLACED_CEASED ``XXX`` would
make us skip those 29 children whole (an unknown code is a hard error), so a temporary copy has
RD1 there instead; the validator reads the same copy. The README's table is this one.

Only children the files show in the adoption process are imported (issue 18, selection.py), so
the validator's flags are compared on those children only (988 of the 2,675; the others are
never read past the selection, so we flag nothing on them).
"""

import logging
import os
import shutil
from pathlib import Path

import pytest

from children.ssda903.importer import import_903
from children.ssda903.reading import files_from_directory, read_set
from children.ssda903.selection import shows_adoption
from raa.models import Role
from tests.conftest import PEER_DATA

PEER_SET = PEER_DATA / "csc-validator-be-903/tests/fake_data"
FILES = ("header.csv", "episodes.csv", "ad1.csv", "placed_for_adoption.csv")

#: The adoption rules both sides implement (ours as ``903-<rule>`` soft findings and as the
#: journey's date rules ``<rule>-...``). 563 is left out: for us a hard error that skips the
#: child, so never a flag beside the others.
RULES = (
    "151",
    "184",
    "217",
    "331",
    "333",
    "334",
    "335",
    "336",
    "357",
    "390",
    "408",
    "445",
    "446",
    "521",
    "522",
    "523",
    "525",
    "551",
    "552",
    "553",
    "557",
    "558",
    "579",
    "582",
    "602",
    "1003",
)
#: Our rule is two of the validator's: 553 (placement order, E1) and 555 (freeing order, D1).
THEIRS = {"553": ("553", "555")}

#: rule: (children flagged by us only, by the validator only, why). Each side is the exact set of
#: CHILD IDs, or its size where the set is long. A rule not listed flags the same children.
EXPECTED: dict[str, tuple[set[str] | int, set[str] | int, str]] = {
    "334": (
        19,
        set(),
        "no episode has RNE S: we take entered care from the first episode (A.9), the validator "
        "has no start of care to compare with",
    ),
    "335": (
        {"232351", "553789"},
        set(),
        "stricter: we compare FOSTER_CARE with the placement for adoption whatever came next, "
        "the validator only on an episode that ended in adoption",
    ),
    "390": (
        set(),
        25,
        "REC E11/E12 on an episode with no DEC: we ignore a REC without a DEC (the episode is "
        "taken as open and flagged rec-without-dec), the validator reads it as an adoption",
    ),
    "408": (
        {"232351"},
        12,
        "ours: an A4 placement with no placement order in any episode (our journey rule); "
        "theirs: A5/A6 under D1, which we accept as the authority and flag as 445 instead",
    ),
    "551": (
        {"127650", "553789", "682447"},
        set(),
        "ours also: placed after the only decision had ended (no decision in force); the "
        "validator asks only that a decision date exists",
    ),
    "553": (
        set(),
        {"988635"},
        "the validator's 555 also flags a freeing order still open (no DEC) when any decision "
        "has ended; a plan can end while the order stands, and 557/558 cover the ending",
    ),
    "557": (
        {"183392", "83008", "882662"},
        set(),
        "ours also: left care from a placement other than for adoption (nor under E1) while a "
        "decision in the files was still in force",
    ),
    "558": (
        83,
        set(),
        "ours also: adopted with no decision in force (81 have no decision in the files at all; "
        "the DfE counts those as 551), and adopted after the only decision ended (the "
        "validator's 558 needs two ended decisions, so misses them)",
    ),
    "1003": (
        26,
        set(),
        "24 with no RNE S episode (we fall back to the first episode, as for 334); 2 with "
        "overlapping episodes, where our journey rule also flags steps after leaving care",
    ),
}

#: The README's table: rule: (validator, ours, both), for the rules either side flags at all.
COUNTS = {
    "217": (265, 265, 265),
    "334": (4, 23, 4),
    "335": (0, 2, 0),
    "336": (109, 109, 109),
    "357": (3, 3, 3),  # 8 on the whole set; 5 of those children have no adoption plan
    "390": (90, 65, 65),
    "408": (290, 279, 278),
    "445": (218, 218, 218),
    "525": (29, 29, 29),
    "551": (568, 571, 568),
    "553": (442, 441, 441),
    "557": (215, 218, 215),
    "558": (0, 83, 0),
    "602": (27, 27, 27),
    "1003": (4, 30, 4),
}


@pytest.fixture(scope="module")
def peer_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("peer903")
    for name in FILES:
        shutil.copy(PEER_SET / name, copy / name)
    placed = copy / "placed_for_adoption.csv"
    placed.write_bytes(placed.read_bytes().replace(b",XXX", b",RD1"))
    return copy


@pytest.fixture(scope="module")
def validator_flags(peer_copy) -> dict[str, set[str]]:
    """The children each DfE rule flags, from one in-process run of the validator's 2024-25
    rules (plus 445 and 555, which that year dropped: freeing orders ended in 2005) over the
    four files, for the set's collection year."""
    root = logging.getLogger()
    handlers, level, environ = list(root.handlers), root.level, dict(os.environ)
    # The validator configures the root logger and sets an environment variable on import.
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.lac2023_24 import registry as registry_2023_24
    from lac_validator.rules.lac2024_25 import registry as registry_2024_25

    registry = {**registry_2024_25, "445": registry_2023_24["445"]}
    registry["555"] = registry_2023_24["555"]
    year = read_set(files_from_directory(peer_copy)).collection_year
    codes = [code for rule in RULES for code in THEIRS.get(rule, (rule,))]
    try:
        logging.disable(logging.CRITICAL)
        run = LacValidator(
            metadata={"collectionYear": str(year.end.year), "localAuthority": "E09000027"},
            files=[
                {
                    "name": name,
                    "file_content": (peer_copy / name).read_bytes(),
                    "description": "This year",
                }
                for name in FILES
            ],
            registry={code: registry[code] for code in codes},
        )
    finally:
        logging.disable(logging.NOTSET)
        root.handlers[:], root.level = handlers, level
        os.environ.clear()
        os.environ.update(environ)
    assert run.fails == [], f"validator rules that crashed: {run.fails}"
    adoption = {
        child
        for child, rows in read_set(files_from_directory(peer_copy)).children.items()
        if shows_adoption(rows)
    }
    flagged: dict[str, set[str]] = {code: set() for code in codes}
    for table in run.ds_results.values():
        for column in getattr(table, "columns", ()):
            if column.startswith("ERR_"):
                hits = table.loc[table[column] == True, "CHILD"]  # noqa: E712 (pandas)
                flagged[column[4:]] |= {str(child) for child in hits} & adoption
    return {rule: set().union(*(flagged[c] for c in THEIRS.get(rule, (rule,)))) for rule in RULES}


def our_flags(directory: Path, world) -> dict[str, set[str]]:
    report = import_903(
        files_from_directory(directory),
        council=world.councils["C"],
        acting_user=world.user(Role.DATA_OFFICER, "region"),
        dry_run=True,
    )
    assert report["skipped"] == 0, report["skipped_children"][:3]
    flagged: dict[str, set[str]] = {rule: set() for rule in RULES}
    for finding in report["findings"]:
        number = finding["rule"].removeprefix("903-").split("-")[0]
        if number in flagged:
            flagged[number].add(finding["child"])
    return flagged


def test_our_903_rules_flag_the_children_the_dfe_validator_flags_or_differ_as_explained(
    peer_copy, validator_flags, world
):
    ours = our_flags(peer_copy, world)

    def side(children: set[str], expected: set[str] | int) -> set[str] | int:
        return children if isinstance(expected, set) else len(children)

    differences = {}
    for rule in RULES:
        only_ours, only_theirs, _ = EXPECTED.get(rule, (set(), set(), ""))
        differences[rule] = (
            side(ours[rule] - validator_flags[rule], only_ours),
            side(validator_flags[rule] - ours[rule], only_theirs),
        )
    assert differences == {rule: EXPECTED.get(rule, (set(), set(), ""))[:2] for rule in RULES}, (
        "\n".join(
            f"{rule}: validator {len(validator_flags[rule])}, ours {len(ours[rule])}, both "
            f"{len(validator_flags[rule] & ours[rule])}; only ours "
            f"{sorted(ours[rule] - validator_flags[rule])[:8]}, only theirs "
            f"{sorted(validator_flags[rule] - ours[rule])[:8]}"
            for rule in RULES
        )
    )
    # And the counts stay the README's (a run where both sides read nothing would agree).
    assert {
        rule: (
            len(validator_flags[rule]),
            len(ours[rule]),
            len(validator_flags[rule] & ours[rule]),
        )
        for rule in RULES
    } == {rule: COUNTS.get(rule, (0, 0, 0)) for rule in RULES}
