"""903 files in every shape councils hold: the DfE XML return, CSV tables under any names, a
zip, stacked return years, multi-council extracts with an LA column, and every peer sample."""

import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from children.models import Child, ImportRun, JourneyEvent
from children.ssda903.importer import EVENT_FIELDS, PERIOD_FIELDS, import_903
from children.ssda903.multi_council import import_903_each_council
from children.ssda903.reading import read_set
from raa.celery import app
from raa.models import Council, Role
from tests.children.ssda903_sets import (
    AD1,
    EPISODES,
    HEADER,
    PLACED,
    ad1,
    adopted_by_new_family,
    csv_set,
    ep,
    head,
    placed,
    table,
)
from tests.children.test_import_pages import upload_data
from tests.conftest import PEER_DATA


def run(target, *args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_903", str(target), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def write(directory: Path, files: dict[str, bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


def journeys(council) -> dict:
    """Each child's periods of care and journey steps as stored (what a user sees)."""
    result = {}
    for child in Child.objects.filter(council=council).prefetch_related(
        "periods_of_care", "events"
    ):
        periods = sorted(
            tuple(getattr(p, f) for f in PERIOD_FIELDS) for p in child.periods_of_care.all()
        )
        events = sorted(
            (e.kind, *(getattr(e, f) for f in EVENT_FIELDS))
            for e in child.events.all()
            if not e.entered_in_error
        )
        header = (child.date_of_birth, child.sex, child.ethnicity, child.upn)
        result[child.child_id] = (header, periods, events)
    return result


def some_children() -> dict:
    """Five synthetic children in both forms' terms: adopted by a new family (X1); adopted by
    their foster carers after an A5 placement (X2); a placement that disrupted (X3); a plan that
    ceased (X4); and one with an unknown legal status code (X5, skipped in both forms)."""
    parts = adopted_by_new_family("X1")
    parts["header"] += [
        head("X2", dob="04/04/2017", sex="2", ethnic="MWBC"),
        head("X3", dob="05/05/2016"),
        head("X4", dob="06/06/2018", sex="2"),
        head("X5", dob="07/07/2018"),
    ]
    parts["episodes"] += [
        ep("X2", "01/03/2018", "S", "C2", "U4", "01/09/2018", "X1"),
        ep("X2", "01/09/2018", "L", "E1", "U4", "01/12/2018", "X1"),
        ep("X2", "01/12/2018", "T", "E1", "A5", "01/07/2019", "E12"),
        ep("X3", "01/02/2018", "S", "C2", "U6", "01/10/2018", "X1"),
        ep("X3", "01/10/2018", "P", "E1", "A6", "01/01/2019", "X1"),
        ep("X3", "01/01/2019", "P", "E1", "U6", reason="CARPL"),
        ep("X4", "01/05/2019", "S", "C2", "U6"),
        ep("X5", "01/05/2019", "S", "Q7", "U6"),
    ]
    parts["ad1_rows"] += [ad1("X2", "01/10/2018", "15/11/2018", foster="1")]
    parts["placed_rows"] += [
        placed("X2", "01/10/2018"),
        placed("X3", "20/08/2018"),
        placed("X4", "01/09/2019", "01/02/2020", "RD1"),
    ]
    return parts


def _element(tag: str, value: str) -> str:
    return f"<{tag}>{value}</{tag}>" if value else f"<{tag} />"


def xml_return(header=(), episodes=(), ad1_rows=(), placed_rows=()) -> bytes:
    """The DfE XML form of the same rows, one element a line, as a case system exports it."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", "<EXPSSDA903>"]
    for row in header:
        child = row["CHILD"]
        lines += ["  <CHILD>", "    <HEADER>", f"      <CHILDID>{child}</CHILDID>"]
        lines += [f"      {_element(c, row.get(c, ''))}" for c in ("UPN", "SEX", "DOB", "ETHNIC")]
        for item in (r for r in ad1_rows if r["CHILD"] == child):
            lines += [f"      {_element(c, item.get(c, ''))}" for c in AD1[2:]]
        for item in (r for r in placed_rows if r["CHILD"] == child):
            lines.append("      <AD_PLACED>")
            lines += [f"        {_element(c, item.get(c, ''))}" for c in PLACED[2:]]
            lines.append("      </AD_PLACED>")
        lines.append("    </HEADER>")
        for item in (r for r in episodes if r["CHILD"] == child):
            lines.append("    <EPISODE>")
            lines += [
                f"      {_element('PL' if c == 'PLACE' else c, item.get(c, ''))}"
                for c in EPISODES[1:]
            ]
            lines.append("    </EPISODE>")
        lines.append("  </CHILD>")
    lines.append("</EXPSSDA903>")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def officer(world):
    return world.user(Role.DATA_OFFICER, "region")


# -- the XML return --------------------------------------------------------------------------------


def test_the_xml_return_and_the_csv_set_of_the_same_children_give_the_same_journeys(world, officer):
    parts = some_children()
    by_csv = import_903(csv_set(**parts), council=world.councils["B"], acting_user=officer)
    by_xml = import_903(
        {"return_2020.xml": xml_return(**parts)}, council=world.councils["C"], acting_user=officer
    )
    # Four children land and X5 (LS Q7) is skipped, in both forms.
    for report in (by_csv, by_xml):
        assert (report["created"], report["skipped"], report["exit_code"]) == (4, 1, 1)
    assert by_xml["files"] == [
        {
            "file": "return_2020.xml",
            "read_as": "XML return",
            "rows": 0,
            "note": "the 903 XML return (5 header, 11 episodes, 4 placed_for_adoption, 2 ad1 rows)",
        }
    ]
    from_csv, from_xml = journeys(world.councils["B"]), journeys(world.councils["C"])
    from_csv.pop("B0001")  # the world's own child of council B
    assert set(from_xml) == {"X1", "X2", "X3", "X4"}
    assert from_xml == from_csv
    assert by_xml["finding_counts"] == by_csv["finding_counts"]
    # The skipped child's problem names the XML file and the element's line.
    problem = by_xml["skipped_children"][0]["problems"][0]
    assert (problem["file"], problem["column"], problem["value"]) == ("return_2020.xml", "LS", "Q7")
    assert (
        problem["row"] == xml_return(**parts).decode().splitlines().index("      <LS>Q7</LS>") + 1
    )


def test_xml_that_is_not_well_formed_is_refused_naming_the_line_and_column(tmp_path, world):
    text = xml_return(**adopted_by_new_family("N1")).decode()
    broken = text.replace("<SEX>1</SEX>", "<SEX>1</SEXX>")  # line 7 of the file
    code, out, err = run(write(tmp_path, {"n1.xml": broken.encode()}), "--council", "803")
    assert code == 2
    # "      <SEX>1</SEXX>": the parser stops after "</SEXX" (19 characters), at column 20.
    assert (
        "n1.xml is not well-formed XML: line 7, column 20: Opening and ending tag mismatch" in err
    )
    assert not Child.objects.filter(child_id="N1").exists()
    # Cut off mid-file:
    code, _, err = run(
        write(tmp_path / "cut", {"cut.xml": text[:400].encode()}), "--council", "803"
    )
    assert code == 2 and "cut.xml is not well-formed XML: line " in err


def test_other_xml_and_the_annex_a_workbook_are_not_903_files(world, officer):
    annex = (PEER_DATA / "liia-tools/liiatools/spec/annex_a/samples/Annex_A.xlsx").read_bytes()
    report = import_903(
        {"Annex_A.xlsx": annex, "feed.xml": b"<rss><channel/></rss>"},
        council=world.councils["C"],
        acting_user=officer,
    )
    assert report["exit_code"] == 2
    message = report["refusals"][0]["message"]
    assert message.startswith("No 903 file this system reads here")
    assert "Annex_A.xlsx: an Ofsted Annex A workbook" in message
    assert "feed.xml: an XML file that is not the 903 return" in message


# -- names, zips, ambiguity ------------------------------------------------------------------------


def renamed(parts) -> dict[str, bytes]:
    files = csv_set(**parts)
    return {
        "SSDA903_2020_header.csv": files["header.csv"],
        "Episodes.CSV": files["episodes.csv"],
        "pfa extract.csv": files["placed_for_adoption.csv"],
        "AD1 2020.csv": files["ad1.csv"],
        "reviews.csv": b"CHILD,DOB,REVIEW,REVIEW_CODE\nX1,01/01/2018,01/06/2019,PN1\n",
        "notes.txt": b"Exported by the case system on Monday.\n",
    }


def test_files_are_recognised_by_their_columns_whatever_their_names(world, officer):
    parts = some_children()
    plain = import_903(csv_set(**parts), council=world.councils["B"], acting_user=officer)
    report = import_903(renamed(parts), council=world.councils["C"], acting_user=officer)
    assert (report["created"], report["skipped"]) == (plain["created"], plain["skipped"]) == (4, 1)
    said = {f["file"]: f["read_as"] or f["note"] for f in report["files"]}
    assert said == {
        "SSDA903_2020_header.csv": "header.csv",
        "Episodes.CSV": "episodes.csv",
        "pfa extract.csv": "placed_for_adoption.csv",
        "AD1 2020.csv": "ad1.csv",
        "reviews.csv": "the 903 reviews table, which this system does not need: left out",
        "notes.txt": "not a 903 table (its columns: EXPORTED BY THE CASE SYSTEM ON MONDAY.…): "
        "left out",
    }
    from_plain = journeys(world.councils["B"])
    from_plain.pop("B0001")
    assert journeys(world.councils["C"]) == from_plain


def test_a_zip_imports_through_the_command_and_the_upload_page(
    tmp_path, world, client_for, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in renamed(some_children()).items():
            archive.writestr(f"export/{name}", data)
        archive.writestr("__MACOSX/export/._header.csv", b"\x00\x05")
    (tmp_path / "council.zip").write_bytes(buffer.getvalue())
    code, out, err = run(tmp_path / "council.zip", "--council", "803")
    assert code == 1, err  # X5 skipped
    assert "council.zip/export/SSDA903_2020_header.csv: read as header.csv (5 rows)" in out
    assert "4 children added, 0 updated, 0 unchanged, 1 skipped" in out

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        client = client_for(world.user(Role.DATA_OFFICER, "A"))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/children/import/",
                upload_data(world.councils["A"], {"council.zip": buffer.getvalue()}),
            )
    finally:
        app.conf.task_always_eager = before
    run_ = ImportRun.objects.get(council=world.councils["A"])
    assert response["Location"] == f"/children/import/{run_.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "4 children added" in page
    assert "council.zip/export/Episodes.CSV</strong>: read as episodes.csv (11 rows)" in page


def test_two_files_that_could_be_the_same_table_are_refused_naming_both(world, officer):
    files = csv_set(**some_children())
    files["header copy.csv"] = files["header.csv"]
    files["kids.csv"] = files.pop("header.csv")
    report = import_903(files, council=world.councils["C"], acting_user=officer)
    assert report["exit_code"] == 2
    assert report["refusals"][0]["message"].startswith(
        "More than one file has the columns of the 903 header.csv table (header copy.csv, "
        "kids.csv). Keep one, or give each its return year"
    )
    # A table missing altogether:
    files = csv_set(**some_children())
    files.pop("episodes.csv")
    report = import_903(files, council=world.councils["C"], acting_user=officer)
    assert report["refusals"][0]["message"] == (
        "No file has the columns of the 903 episodes.csv table (CHILD, DECOM, RNE, LS, PLACE, "
        "DEC, REC); a set needs header.csv and episodes.csv."
    )


def test_a_set_without_ad1_keeps_the_match_dates_already_held_and_says_so(world, officer):
    council = world.councils["C"]
    parts = adopted_by_new_family("M1")
    import_903(csv_set(**parts), council=council, acting_user=officer)
    files = csv_set(**parts)
    files.pop("ad1.csv")
    report = import_903(files, council=council, acting_user=officer)
    assert report["exit_code"] == 0 and report["updated"] == 0
    assert report["absent_tables"] == [
        {
            "table": "ad1.csv",
            "meaning": "no match dates (DATE_MATCH) come from these files; those already held "
            "are kept as they are",
        }
    ]
    matched = JourneyEvent.objects.get(child__child_id="M1", kind="matched")
    assert not matched.entered_in_error


# -- stacked return years --------------------------------------------------------------------------


def stacked(rows_by_year: dict[int, dict]) -> dict[str, bytes]:
    """One file per table with a YEAR column, the years' rows one after another."""
    files = {}
    for name, key, columns in (
        ("header.csv", "header", HEADER),
        ("episodes.csv", "episodes", EPISODES),
        ("ad1.csv", "ad1_rows", AD1),
        ("placed_for_adoption.csv", "placed_rows", PLACED),
    ):
        rows = [
            {**row, "YEAR": year}
            for year, parts in rows_by_year.items()
            for row in parts.get(key, [])
        ]
        files[name] = table([*columns, "YEAR"], rows)
    return files


def two_years():
    """S1 in the 2019 and 2020 returns: the 2019 return has the first episode open (and the
    ethnicity not yet recorded); the 2020 return has it ended and the next episodes."""
    full = adopted_by_new_family("S1")
    year_2019 = {
        "header": [head("S1", ethnic="NOBT")],
        "episodes": [ep("S1", "01/02/2019", "S", "C1", "U6")],
        "placed_rows": [placed("S1", "10/06/2019")],
    }
    return {2019: year_2019, 2020: full}, full


def test_stacked_years_make_one_child_the_latest_header_wins_and_episodes_are_read_once(
    world, officer
):
    years, latest = two_years()
    read = read_set(stacked(years))
    assert set(read.children) == {"S1"} and not read.errors
    assert read.children["S1"].header.ethnicity == "WBRI"  # 2020's, not 2019's NOBT
    assert len(read.children["S1"].episodes) == 3  # 01/02/2019 once, as 2020 ended it
    assert (read.superseded_header_rows, read.repeated_rows) == (1, 2)  # episode + decision

    report = import_903(stacked(years), council=world.councils["B"], acting_user=officer)
    single = import_903(csv_set(**latest), council=world.councils["C"], acting_user=officer)
    assert (
        (report["created"], report["skipped"]) == (single["created"], single["skipped"]) == (1, 0)
    )
    assert journeys(world.councils["B"])["S1"] == journeys(world.councils["C"])["S1"]


def test_a_years_files_may_come_separately_named_with_their_year(world, officer):
    years, latest = two_years()
    files = {}
    for year, parts in years.items():
        for name, data in csv_set(**parts).items():
            files[f"SSDA903_{year}_{name}"] = data
    report = import_903(files, council=world.councils["B"], acting_user=officer)
    assert (report["created"], report["skipped"], report["exit_code"]) == (1, 0, 0)
    assert report["superseded_header_rows"] == 1
    child = Child.objects.get(council=world.councils["B"], child_id="S1")
    assert child.ethnicity == "WBRI"


def test_a_genuine_conflict_between_years_is_reported_naming_child_years_and_columns(
    world, officer
):
    years, _ = two_years()
    # The 2019 return says the first episode began under C2 in a U4 placement; 2020 says C1, U6.
    years[2019]["episodes"] = [ep("S1", "01/02/2019", "S", "C2", "U4")]
    report = import_903(stacked(years), council=world.councils["B"], acting_user=officer)
    assert (report["created"], report["skipped"], report["exit_code"]) == (0, 1, 1)
    problem = report["skipped_children"][0]["problems"][0]
    assert problem["rule"] == "episodes-conflict" and problem["child"] == "S1"
    assert problem["message"] == (
        "CHILD S1: the episode starting 01/02/2019 says different things in the 2019 return "
        "(episodes.csv row 2) and the 2020 return (row 3): LS C2 then C1; PLACE U4 then U6. "
        "Correct the return that is wrong and import again; the system does not guess which "
        "is right."
    )
    assert not Child.objects.filter(child_id="S1").exists()


# -- multi-council extracts ------------------------------------------------------------------------


def three_las() -> dict[str, bytes]:
    """L1 for council A (by its code 801), L2 for council B (by its name), and L3 and L4 for
    LA 999, which is not a partner council: 2 + 2 + 4 rows with an LA. Each shows an adoption
    plan (a decision row, or L2's placement order, LS E1), so each is in the adoption process."""
    rows = {"header": [], "episodes": [], "placed_rows": []}
    for child, la in (("L1", "801"), ("L2", "Council B"), ("L3", "999"), ("L4", "999")):
        rows["header"].append({**head(child), "LA": la})
        legal_status = "E1" if child == "L2" else "C2"
        rows["episodes"].append({**ep(child, "01/03/2020", "S", legal_status, "U6"), "LA": la})
    # The decisions file has no LA column: each row goes with its child's other rows.
    rows["placed_rows"] = [placed("L1", "01/06/2020"), placed("L3", "01/06/2020")]
    return {
        "header.csv": table([*HEADER, "LA"], rows["header"]),
        "episodes.csv": table([*EPISODES, "LA"], rows["episodes"]),
        "placed_for_adoption.csv": table(PLACED, rows["placed_rows"]),
    }


def test_rows_go_to_the_council_their_la_names_and_other_las_are_refused_and_counted(
    tmp_path, db, world
):
    directory = write(tmp_path, three_las())
    code, out, err = run(directory)  # no --council
    assert code == 0, err
    assert Child.objects.get(child_id="L1").council == world.councils["A"]
    assert Child.objects.get(child_id="L2").council == world.councils["B"]
    assert not Child.objects.filter(child_id__in=["L3", "L4"]).exists()
    assert "5 rows for LA 999, not a partner council: not imported." in err
    assert "Council A (801): 1 children added" in out and "Council B (802): 1 children added" in out
    l1 = Child.objects.get(child_id="L1")
    assert l1.events.filter(kind="adm_decision").count() == 1  # its decision row followed it


def test_with_a_council_named_only_its_rows_are_read_and_the_others_counted(world, officer):
    report = import_903(three_las(), council=world.councils["A"], acting_user=officer)
    assert report["created"] == 1 and report["exit_code"] == 0
    assert report["rows_for_other_las"] == {"999": 5, "Council B": 2}
    assert [entry["outcome"] for entry in report["rows_by_la"]] == [
        "3 rows for 801: read for Council A (801)",
        "5 rows for LA 999, not a partner council: not imported",
        "2 rows for Council B (Council B, 802): not imported here (this import is not for that "
        "council)",
    ]
    assert not Child.objects.filter(child_id="L2").exists()
    # A council none of whose rows are in the files: refused, saying so.
    report = import_903(three_las(), council=world.councils["C"], acting_user=officer)
    assert report["exit_code"] == 2
    assert "No row of these files is for Council C (803)" in report["refusals"][0]["message"]


def test_one_file_per_council_of_a_multi_council_extract_is_read_as_one_table(tmp_path, db, world):
    files = three_las()
    columns, *rows = files.pop("header.csv").decode().splitlines()
    files["header_801.csv"] = "\n".join(
        [columns, *(r for r in rows if r.endswith(",801"))]
    ).encode()
    files["header_rest.csv"] = "\n".join(
        [columns, *(r for r in rows if not r.endswith(",801"))]
    ).encode()
    code, out, err = run(write(tmp_path, files))
    assert code == 0, err
    assert Child.objects.get(child_id="L1").council == world.councils["A"]
    assert Child.objects.get(child_id="L2").council == world.councils["B"]
    assert "header_801.csv: read as header.csv (1 rows)" in out


def test_without_an_la_column_the_command_asks_for_the_council(tmp_path, db):
    code, _, err = run(write(tmp_path, csv_set(**some_children())))
    assert code == 2 and "Say which council they are for with --council CODE." in err


def test_a_region_officer_uploads_for_each_rows_council_and_a_council_officer_gets_only_theirs(
    world, client_for, django_capture_on_commit_callbacks
):
    files = three_las()
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        region = client_for(world.user(Role.DATA_OFFICER, "region"))
        assert (
            "Each row&#x27;s council, from its LA column"
            in region.get("/children/import/").content.decode()
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = region.post("/children/import/", upload_data("la", files))
        assert response.status_code == 302 and response["Location"] == "/children/import/"
        runs = {run.council.la_code: run for run in ImportRun.objects.all()}
        assert set(runs) == {"801", "802"}
        assert (
            "2 imports started, one for each council the LA column names: Council A, Council B."
            in region.get("/children/import/").content.decode()
        )
        page = region.get(f"/children/import/{runs['801'].pk}/").content.decode()
        assert "1 children added" in page
        assert 'data-testid="rows-by-la"' in page and "<td>999</td>" in page

        # A council-scoped officer cannot choose the LA column; choosing their council they get
        # only its rows, and the others are counted on the report.
        council_b = client_for(world.user(Role.DATA_OFFICER, "B"))
        assert "from its LA column" not in council_b.get("/children/import/").content.decode()
        assert council_b.post("/children/import/", upload_data("la", files)).status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            response = council_b.post(
                "/children/import/", upload_data(world.councils["B"], files, dry_run="on")
            )
        run_b = ImportRun.objects.filter(council=world.councils["B"]).latest("id")
        assert run_b.report["rows_for_other_las"] == {"801": 3, "999": 5}
        assert run_b.report["created"] == 0 and run_b.report["unchanged"] == 1
    finally:
        app.conf.task_always_eager = before


# -- every peer sample (README.md, "Importing 903 files") ------------------------------------------

VALIDATOR = PEER_DATA / "csc-validator-be-903/tests/fake_data"
LIIA = PEER_DATA / "liia-tools"
LIIA_PIPELINE = LIIA / "branch-school_census_pipeline/liiatools/ssda903_pipeline/spec/samples"
LIIA_S903 = LIIA / "liiatools/spec/s903/samples"
DEMAND = PEER_DATA / "cs-demand-model-regional/samples/v1"


def sample(*paths: Path) -> dict[str, bytes]:
    files = {}
    for path in paths:
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            files[file.name] = file.read_bytes()
    return files


#: name: (the files, (exit code, children read, children skipped), the first refusal's start).
#: "Children read" is every child the files give that passes the checks, plus those skipped.
SAMPLES = {
    "validator folder as it is": (
        lambda: sample(VALIDATOR),
        (2, 0, 0),
        "These files hold both the 903 XML return (fake_903.xml) and CSV tables",
    ),
    "validator CSV set": (
        lambda: sample(*(VALIDATOR / n for n in CSV_SET)),
        (1, 2675, 29),
        "",
    ),
    "validator CSV set with placed_for_adoption_errors": (
        lambda: sample(
            *(VALIDATOR / n.replace("adoption.csv", "adoption_errors.csv") for n in CSV_SET)
        ),
        (1, 2675, 29),
        "",
    ),
    "validator XML return": (lambda: sample(VALIDATOR / "fake_903.xml"), (1, 253, 3), ""),
    "validator other 903 tables": (
        lambda: sample(*(VALIDATOR / n for n in ("reviews.csv", "uasc.csv", "oc2.csv"))),
        (2, 0, 0),
        "No 903 file this system reads here",
    ),
    "validator provider workbooks": (
        lambda: sample(*sorted(VALIDATOR.glob("*.xlsx"))),
        (2, 0, 0),
        "No 903 file this system reads here",
    ),
    "validator rule catalogue": (
        lambda: sample(PEER_DATA / "csc-validator-be-903/output_data"),
        (2, 0, 0),
        "No 903 file this system reads here",
    ),
    "liia pipeline header and episodes": (lambda: sample(LIIA_PIPELINE), (1, 2, 2), ""),
    "liia s903 samples folder": (
        lambda: sample(LIIA_S903),
        (2, 0, 0),
        "No file has the columns of the 903 header.csv table",
    ),
    "liia Annex A": (
        lambda: sample(LIIA / "liiatools/spec/annex_a/samples/Annex_A.xlsx"),
        (2, 0, 0),
        "No 903 file this system reads here: none has the columns of the header, episodes, "
        "placed_for_adoption or ad1 table, or is the XML return (Annex_A.xlsx: an Ofsted Annex A "
        "workbook",
    ),
}
CSV_SET = ("header.csv", "episodes.csv", "placed_for_adoption.csv", "ad1.csv")


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_peer_sample_imports_as_the_readme_says(name, world, officer):
    files, expected, refusal = SAMPLES[name]
    report = import_903(files(), council=world.councils["C"], acting_user=officer, dry_run=True)
    assert (report["exit_code"], report["children_in_files"], report["skipped"]) == expected
    if refusal:
        assert report["refusals"][0]["message"].startswith(refusal)
    else:
        assert not report["refusals"]


def test_the_multi_council_demand_model_sample_goes_to_its_three_boroughs(world, officer):
    """Every row names Bromley, Hillingdon or Southwark; the 1,304 header rows are 572 children
    over the 2017 to 2021 returns (some twice in one year), and 910 episodes repeat across
    years, each later return only ending an episode the earlier one had open, so none
    conflicts. 248 children have episodes but no header row in the files (skipped, listed)."""
    for code, borough in (("305", "Bromley"), ("312", "Hillingdon"), ("210", "Southwark")):
        Council.objects.create(
            region=world.region, la_code=code, name=f"London Borough of {borough}"
        )
    report = import_903_each_council(sample(DEMAND), acting_user=officer, dry_run=True)
    assert report["exit_code"] == 1 and report["rows_for_other_las"] == {}
    assert {e["la"]: (e["council"], e["rows"]) for e in report["rows_by_la"]} == {
        "Bromley": ("305", 1661),
        "Hillingdon": ("312", 1118),
        "Southwark": ("210", 2262),
    }
    figures = {
        code: (part["children_in_files"], part["skipped"], part["repeated_rows"])
        for code, part in report["councils"].items()
    }
    # Repeated rows read once: the 910 episodes and the 118 header rows (457 + 338 + 233).
    assert figures == {"210": (374, 118, 457), "305": (277, 92, 338), "312": (169, 38, 233)}
    # 1,304 header rows: 572 children, 614 rows of earlier years, 118 the same row again.
    assert sum(p["superseded_header_rows"] for p in report["councils"].values()) == 614
    rules = {
        problem["rule"]
        for part in report["councils"].values()
        for skipped in part["skipped_children"]
        for problem in skipped["problems"]
    }
    assert rules == {"child-not-in-header"}
    # Into one council only: the other boroughs' rows are counted, not imported.
    one = import_903(
        sample(DEMAND),
        council=Council.objects.get(la_code="305"),
        acting_user=officer,
        dry_run=True,
    )
    assert one["rows_for_other_las"] == {"Hillingdon": 1118, "Southwark": 2262}


def test_only_the_samples_children_in_the_adoption_process_come_in(world, officer):
    """The README's figures after the selection (selection.py): of the XML return's 253
    children, 3 are skipped and 250 read: 85 show an adoption plan or outcome, 165 do not. Of
    the demand model's 572 children read, 251 come in (Southwark 101, Bromley 90, Hillingdon 60)
    and 321 do not (155 + 95 + 71)."""
    report = import_903(
        SAMPLES["validator XML return"][0](),
        council=world.councils["C"],
        acting_user=officer,
        dry_run=True,
    )
    assert (report["created"], report["not_in_process"], report["skipped"]) == (85, 165, 3)
    assert sum(report["finding_counts"].values()) == 428
    for code, borough in (("305", "Bromley"), ("312", "Hillingdon"), ("210", "Southwark")):
        Council.objects.create(
            region=world.region, la_code=code, name=f"London Borough of {borough}"
        )
    report = import_903_each_council(sample(DEMAND), acting_user=officer, dry_run=True)
    assert {
        code: (part["created"], part["not_in_process"]) for code, part in report["councils"].items()
    } == {"210": (101, 155), "305": (90, 95), "312": (60, 71)}
