"""Which children of a 903 set come in: only those the files show in the adoption process.

A council's 903 return covers every looked-after child; the agency needs only the children with
an adoption plan or outcome (DOMAIN.md A.10: we hold only what the agency needs). A child comes
in when the files show any of:

- a PlacedAdoption row (an ADM decision that the child should be placed for adoption);
- an episode with legal status E1 (placement order) or D1 (freeing order);
- an episode with placement A3, A4, A5 or A6 (placed for adoption);
- an episode that ended with REC E11 or E12 (adopted), also on an episode with no end date
  (the reader sets such a REC aside and flags it, but it still says the child was adopted);
- an AD1 row.

The others are only counted: their rows are dropped here, before anything is derived, stored,
reported by ID or logged. An import never deletes a child already held: a held child these
files show without a plan is left as it is, and the report says how many there are.
"""

from dataclasses import dataclass, field

from children.models import Child
from children.ssda903.reading import ADOPTION_PLACEMENTS, ChildRows, ReadResult
from raa.models import Council

#: Legal statuses that are a court's authority to place for adoption.
ADOPTION_LEGAL_STATUSES = frozenset({"E1", "D1"})
#: Reasons an episode ceased that are an adoption order.
ADOPTION_ORDER_RECS = frozenset({"E11", "E12"})


def shows_adoption(rows: ChildRows) -> bool:
    """Whether one child's rows show an adoption plan or outcome (the rules above)."""
    if rows.placed or rows.ad1 is not None:
        return True
    return any(
        episode.ls in ADOPTION_LEGAL_STATUSES
        or episode.place in ADOPTION_PLACEMENTS
        or episode.rec in ADOPTION_ORDER_RECS
        or episode.ignored_rec in ADOPTION_ORDER_RECS
        for episode in rows.episodes
    )


@dataclass
class Selection:
    """The children to import, and what is said about the rest (counts only)."""

    children: dict[str, ChildRows] = field(default_factory=dict)
    #: children in the files (read without error) that show no adoption plan
    not_in_process: int = 0
    #: CHILD IDs of children the council already holds that these files show without a plan
    #: (kept as they are; their IDs are already held, so naming them tells nothing new)
    held_without_plan: list[str] = field(default_factory=list)


def select_adoption_children(read: ReadResult, *, council: Council) -> Selection:
    """Split the children read from the files into those to import and a count of the rest.

    Costs one query (which of the left-out children the council already holds)."""
    selection = Selection()
    left_out: list[str] = []
    for child_id, rows in read.children.items():
        if shows_adoption(rows):
            selection.children[child_id] = rows
        else:
            left_out.append(child_id)
    selection.not_in_process = len(left_out)
    if left_out:
        selection.held_without_plan = sorted(
            Child.objects.filter(council=council, child_id__in=left_out).values_list(
                "child_id", flat=True
            )
        )
    return selection
