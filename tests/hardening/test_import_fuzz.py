"""Hostile input for the SSDA903 importer (`import_903 DIR --council CODE`, INTERFACES.md): random,
truncated and mangled files never crash it, and it always reports.

Every run must end the way the interface says: exit 0, 1 (children skipped, each listed on
stderr) or 2 (nothing imported, the reason on stderr), with the one-line summary on stdout; never
a traceback. Examples are derandomised so CI is stable.
"""

from io import StringIO

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.children.ssda903_sets import adopted_by_new_family, csv_set, ep, head, placed

FILES = ("header.csv", "episodes.csv", "placed_for_adoption.csv", "ad1.csv")
COUNCIL = "803"  # council C of the test world
TRIED: dict = {}  # runs by exit code


def good_set() -> dict[str, bytes]:
    parts = adopted_by_new_family("F1")
    parts["header"].append(head("F2", dob="03/03/2019", sex="2", ethnic="MWBC"))
    parts["episodes"].append(ep("F2", "01/04/2020", "S", "C2", "U6"))
    parts["placed_rows"].append(placed("F2", "01/09/2020"))
    return csv_set(**parts)


GOOD = good_set()


def run_import(directory, *args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "import_903", str(directory), "--council", COUNCIL, *args, stdout=out, stderr=err
        )
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    TRIED.setdefault(code, 0)
    TRIED[code] += 1
    return code, out.getvalue(), err.getvalue()


def check_reported(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), f"exit {code}"
    summary = out.strip().splitlines()[-1] if out.strip() else ""
    assert "children added" in summary or "Refused: nothing imported" in summary, out + err
    if code == 2:
        assert err.strip(), "a refusal says why"
    if code == 1:
        assert "Skipped CHILD" in err, "each skipped child is listed"
    assert "Traceback" not in out + err


def write(directory, files: dict[str, bytes]):
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    name=st.sampled_from(FILES),
    keep=st.floats(min_value=0, max_value=1),
    dry_run=st.booleans(),
)
def test_truncated_files_never_crash_the_import_and_are_reported(
    tmp_path_factory, world, name, keep, dry_run
):
    files = dict(GOOD)
    files[name] = files[name][: int(len(files[name]) * keep)]  # cut anywhere, mid-row included
    directory = write(tmp_path_factory.mktemp("cut"), files)
    check_reported(*run_import(directory, *(["--dry-run"] if dry_run else [])))


CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "31/02/2020", "00/00/0000", "2020-13-45", "99/99/9999", "01/01/1800", "01/01/3000"]
        + ["\x00", '"', '""x', "a,b", "\n", "\r", "\ufeff", "\xff", "-1", "9" * 40, "E11", "E1"]
    ),
)


@FUZZ
@given(
    name=st.sampled_from(FILES),
    edits=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 15), CELL), max_size=6),
    strict=st.booleans(),
)
def test_mangled_cells_never_crash_the_import_and_are_reported(
    tmp_path_factory, world, name, edits, strict
):
    files = dict(GOOD)
    rows = [line.split(",") for line in files[name].decode().splitlines()]
    for row_i, col_i, value in edits:
        row = rows[row_i % len(rows)]
        row[col_i % len(row)] = value
    files[name] = ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8", "surrogatepass")
    directory = write(tmp_path_factory.mktemp("cells"), files)
    check_reported(*run_import(directory, *(["--strict"] if strict else [])))


@FUZZ
@given(
    replaced=st.dictionaries(st.sampled_from(FILES), st.binary(max_size=300), max_size=4),
    dropped=st.sets(st.sampled_from(FILES), max_size=2),
)
def test_random_bytes_and_missing_files_never_crash_the_import_and_are_reported(
    tmp_path_factory, world, replaced, dropped
):
    files = {**GOOD, **replaced}
    for name in dropped:
        files.pop(name)
    directory = write(tmp_path_factory.mktemp("bytes"), files)
    code, out, err = run_import(directory)
    check_reported(code, out, err)
    if dropped & {"header.csv", "episodes.csv"}:
        assert code == 2  # a missing header or episodes table refuses the whole set


def test_the_good_set_imports_cleanly(tmp_path, world):
    """The sets above are damaged copies of a set that imports with exit 0."""
    code, out, err = run_import(write(tmp_path, GOOD), "--dry-run")
    assert code == 0, out + err
    assert "2 children added" in out
