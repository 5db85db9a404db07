"""Importing a multi-council 903 extract (an ``LA`` column): one import per partner council it
names, each reading only that council's rows (:func:`children.ssda903.importer.import_903`
does the filtering), and one report over them all."""

from collections.abc import Iterable, Mapping

from children.ssda903.importer import EXIT_REFUSED, Progress, import_903
from children.ssda903.routing import council_for, la_outcomes, partner_councils, split_by_la
from children.ssda903.sources import recognise
from raa.models import Council, User


def councils_named(
    files: Mapping[str, bytes], *, allowed: Iterable[Council] | None = None
) -> tuple[list[Council], list[dict], bool]:
    """The partner councils the files' LA column names (only those in ``allowed``, if given),
    each row's LA with what becomes of it, and whether the files have an LA column at all."""
    found = recognise(files)
    if found.refusals or not found.has_la_column:
        return [], [], found.has_la_column
    councils = partner_councils()
    allowed_ids = {c.pk for c in allowed} if allowed is not None else None
    by_la = split_by_la(found.rows)
    named: dict[int, Council] = {}
    for la in by_la:
        council = council_for(la, councils)
        if council is not None and (allowed_ids is None or council.pk in allowed_ids):
            named[council.pk] = council
    targets = sorted(named.values(), key=lambda c: c.la_code)
    return targets, la_outcomes(by_la, targets=targets, councils=councils), True


def import_903_each_council(
    files: Mapping[str, bytes],
    *,
    acting_user: User,
    allowed: Iterable[Council] | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    run_label: str = "",
) -> dict:
    """Import each partner council's rows of a multi-council extract, council by council (each
    all or nothing, as a single import). Returns ``{"councils": {la_code: report}, "rows_by_la",
    "rows_for_other_las", "exit_code", "summary"}``; exit 2 if no row is for a partner council
    (``allowed``: the councils this person may import for; others' rows are counted)."""
    targets, outcomes, has_la = councils_named(files, allowed=allowed)
    reports = {}
    for index, council in enumerate(targets):

        def tell(percent: int, label: str, index=index, council=council) -> None:
            if progress is not None:
                share = 100 / len(targets)
                progress(int(index * share + percent * share / 100), f"{council.name}: {label}")

        reports[council.la_code] = import_903(
            files,
            council=council,
            acting_user=acting_user,
            dry_run=dry_run,
            strict=strict,
            progress=tell,
            run_label=run_label,
        )
    other = {o["la"]: o["rows"] for o in outcomes if not o["imported"]}
    if not targets:
        reason = (
            "these files have no LA column: say which council they are for"
            if not has_la
            else "no row's LA names a partner council this import may write to"
        )
        summary = f"Refused: nothing imported ({reason})."
        code = EXIT_REFUSED
    else:
        code = max(r["exit_code"] for r in reports.values())
        summary = " ".join(
            f"{council.name} ({council.la_code}): {reports[council.la_code]['summary']}"
            for council in targets
        )
        if other:
            summary += " " + "; ".join(o["outcome"] for o in outcomes if not o["imported"]) + "."
    return {
        "councils": reports,
        "rows_by_la": outcomes,
        "rows_for_other_las": other,
        "exit_code": code,
        "summary": summary,
    }
