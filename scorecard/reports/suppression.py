"""Suppression of small numbers in board outputs (DOMAIN.md A.10, Part B §5.6).

A count of children (or households) from 1 to 5 is shown as ``"c"``. Where a total and the
other cells of its group would give a suppressed cell away (total minus the shown cells), one
more cell of the group is suppressed too (*secondary suppression*): the smallest non-zero cell
still shown, else a zero, else the total. A value derived from suppressed counts (a mean over
1 to 5 children, a percentage whose numerator, denominator or complement is suppressed) is
suppressed with them. Zero is never suppressed on its own: "none" discloses no one.

Pure functions over plain numbers: the figures dict goes in, the published dict comes out.
"""

from collections.abc import Sequence

SUPPRESSED = "c"
SMALLEST_SHOWN = 6  # counts 1..5 are suppressed


def is_small(count: int | None) -> bool:
    """True for a count that must not be published: 1 to 5."""
    return count is not None and not isinstance(count, str) and 0 < count < SMALLEST_SHOWN


def suppress_count(count: int | None) -> int | str | None:
    return SUPPRESSED if is_small(count) else count


def suppress_group(
    cells: Sequence[int | None], total: int | None, *, total_suppressed: bool = False
) -> tuple[list[int | str | None], int | str | None]:
    """Suppress a group of counts that add up to ``total`` (a row of quarters and its year to
    date, a column of councils and the region).

    Primary: every count from 1 to 5, the total included. Secondary: while exactly one member of
    the group (cells and total) is suppressed, it could be worked out from the others, so the
    smallest other non-zero cell is suppressed as well (then a zero cell, then the total).
    ``total_suppressed`` says the total is already hidden elsewhere (another table), so the group
    must protect it too. Cells that are ``None`` (not applicable) are left alone and do not take
    part. Returns (cells, total) with suppressed values replaced by ``"c"``.
    """
    hidden = [is_small(c) for c in cells]
    total_hidden = total_suppressed or is_small(total)
    while sum(hidden) + total_hidden == 1 and total is not None:
        candidates = [
            (c == 0, c, i) for i, c in enumerate(cells) if c is not None and not hidden[i]
        ]
        if candidates:
            hidden[min(candidates)[2]] = True
        elif not total_hidden:
            total_hidden = True
        else:
            break
    out = [SUPPRESSED if h else c for c, h in zip(cells, hidden, strict=True)]
    return out, (SUPPRESSED if total_hidden else total)


def suppress_mean(mean, count: int | None):
    """A mean over 1 to 5 children tells about those children: suppress it with the count."""
    return SUPPRESSED if is_small(count) or count == SUPPRESSED else mean


def suppress_share(
    percent, numerator: int | None, denominator: int | None
) -> tuple[object, int | str | None, int | str | None]:
    """A percentage with its numerator and denominator: the numerator and the rest
    (denominator minus numerator) are a group whose total is the denominator. Returns
    (percent, numerator, denominator), suppressed as the group needs."""
    if numerator is None or denominator is None:
        return percent, numerator, suppress_count(denominator)
    (shown_numerator, _rest), shown_denominator = suppress_group(
        [numerator, denominator - numerator], denominator
    )
    if SUPPRESSED in (shown_numerator, shown_denominator):
        percent = SUPPRESSED
    return percent, shown_numerator, shown_denominator
