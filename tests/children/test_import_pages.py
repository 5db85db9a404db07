"""The upload page, the report page and its progress, as people use them (test client), and the
journey of a data officer: upload, read the report, open a flagged child, download Annex A and
the ASGLB return."""

import base64
import io

import pytest
from openpyxl import load_workbook

from children.models import Child, ImportRun, ImportStatus
from raa.celery import app
from raa.models import AuditEvent, Role
from tests.children.ssda903_sets import ad1, adopted_by_new_family, csv_set, ep, head, placed


@pytest.fixture
def eager_tasks():
    """Run background jobs in-process (no worker in the tests)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def upload_data(council, files, **extra):
    """The upload form's data: the council (or "la") and every file in the one files input."""
    data = {"council": getattr(council, "pk", council), **extra}
    data["files"] = []
    for name, content in files.items():
        upload = io.BytesIO(content)
        upload.name = name
        data["files"].append(upload)
    return data


def a_set():
    parts = adopted_by_new_family("W1")
    parts["ad1_rows"] = [ad1("W1", "10/06/2019", "20/11/2019")]  # 903-331: match after placed
    parts["header"].append(head("W2", dob="02/02/2019"))
    parts["episodes"].append(ep("W2", "01/03/2020", "S", "C2", "Q9"))  # an unknown PLACE code
    parts["header"].append(head("W3", dob="05/05/2019", sex="2"))
    parts["episodes"].append(ep("W3", "01/04/2020", "S", "C2", "U6"))
    parts["placed_rows"].append(placed("W3", "01/09/2020"))
    return csv_set(**parts)


def test_a_data_officer_uploads_reads_the_report_opens_a_flagged_child_and_downloads(
    world, client_for, eager_tasks, django_capture_on_commit_callbacks
):
    council = world.councils["A"]
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    page = client.get("/children/import/")
    assert page.status_code == 200 and "Import a council" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/children/import/", upload_data(council, a_set()))
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == f"/children/import/{run.pk}/"
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and run.exit_code == 1 and run.files == {}

    report = client.get(response["Location"]).content.decode()
    assert "2 children added, 0 updated, 0 unchanged, 1 skipped with errors" in report
    assert "PLACE &#x27;Q9&#x27; is not a placement type code of the 903 guide." in report
    assert "episodes.csv" in report and "code-unknown" in report
    w1 = Child.objects.get(council=council, child_id="W1")
    assert f'href="/children/{w1.pk}/"' in report and "903-331" in report

    record = client.get(f"/children/{w1.pk}/").content.decode()
    assert "The match (DATE_MATCH 20/11/2019) is after the date placed for adoption" in record

    workbook = client.get(
        "/returns/annex-a/",
        {
            "annex-council": council.pk,
            "annex-date_from": "2019-04-01",
            "annex-date_to": "2020-03-31",
        },
    )
    assert workbook.status_code == 200
    assert workbook["Content-Disposition"].startswith('attachment; filename="annex-a-801-')
    sheet = load_workbook(io.BytesIO(workbook.content))["List 10"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "W1" in ids and "W2" not in ids

    csv_response = client.get(
        "/returns/asglb/",
        {
            "asglb-council": council.pk,
            "asglb-year": "2020-21",
            "asglb-quarter": "4",
            "asglb-level": "child",
        },
    )
    assert csv_response.status_code == 200
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("child_id,family_id,date_of_birth")
    assert any(line.startswith("W3,") for line in lines)
    assert AuditEvent.objects.filter(action="exported", object_type="annex_a").exists()
    assert AuditEvent.objects.filter(action="exported", object_type="asglb_child").exists()


def test_the_report_shows_progress_until_the_run_ends(world, client_for):
    council = world.councils["A"]
    officer = world.user(Role.DATA_OFFICER, "A")
    run = ImportRun.objects.create(council=council, started_by=officer)
    client = client_for(officer)
    page = client.get(f"/children/import/{run.pk}/").content.decode()
    assert f'hx-get="/children/import/{run.pk}/progress/"' in page and "<progress" in page
    fragment = client.get(f"/children/import/{run.pk}/progress/")
    assert fragment.status_code == 200 and "Waiting to start" in fragment.content.decode()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE, report={"summary": "x"})
    assert client.get(f"/children/import/{run.pk}/progress/")["HX-Refresh"] == "true"


@pytest.mark.parametrize("name", ["import_run", "import_progress"])
def test_run_pages_anonymous_other_council_and_other_roles(world, client, name):
    run = ImportRun.objects.create(
        council=world.councils["A"], started_by=world.user(Role.DATA_OFFICER, "A")
    )
    url = f"/children/import/{run.pk}/" + ("progress/" if name == "import_progress" else "")
    assert client.get(url)["Location"].startswith("/accounts/login/")
    want = {
        (Role.DATA_OFFICER, "A"): 200,
        (Role.DATA_OFFICER, "region"): 200,
        (Role.ADMINISTRATOR, "B"): 200,
        (Role.DATA_OFFICER, "B"): 404,  # another council's run does not leak
        (Role.MANAGER, "A"): 403,
        (Role.SOCIAL_WORKER, "A"): 403,
        (Role.BOARD_MEMBER, "region"): 403,
    }
    for (role, scope), status in want.items():
        client.force_login(
            world.user(role, scope), backend="django.contrib.auth.backends.ModelBackend"
        )
        assert client.get(url).status_code == status, (role, scope)


def test_an_upload_without_files_or_for_another_council_says_what_is_wrong(world, client_for):
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    response = client.post("/children/import/", {"council": world.councils["B"].pk})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select a valid choice" in text and "This field is required" in text
    assert not ImportRun.objects.exists()


def test_a_failed_job_still_ends_with_a_report(world):
    from children.ssda903.runs import import_run_execute

    run = ImportRun.objects.create(
        council=world.councils["A"],
        started_by=world.user(Role.DATA_OFFICER, "A"),
        files={"header.csv": "not base64!"},
    )
    import_run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "unexpected error" in run.report["summary"]
    import_run_execute(run.pk)  # a second delivery does nothing


def test_the_sweep_starts_again_runs_whose_job_was_lost(world, eager_tasks):
    from datetime import timedelta

    from django.utils import timezone

    from children.ssda903.runs import import_runs_sweep
    from children.tasks import sweep_ssda903_imports

    officer = world.user(Role.DATA_OFFICER, "A")
    files = {name: base64.b64encode(data).decode() for name, data in a_set().items()}
    lost = ImportRun.objects.create(council=world.councils["A"], started_by=officer, files=files)
    killed = ImportRun.objects.create(
        council=world.councils["A"],
        started_by=officer,
        files=files,
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    fresh = ImportRun.objects.create(council=world.councils["A"], started_by=officer)
    long_ago = timezone.now() - timedelta(minutes=10)
    ImportRun.objects.filter(pk__in=[lost.pk, killed.pk]).update(created_at=long_ago)
    assert sweep_ssda903_imports.apply().get() == 2
    for run in (lost, killed):
        run.refresh_from_db()
        assert run.status == ImportStatus.DONE and run.exit_code == 1
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.QUEUED  # its job may still be on its way
    assert import_runs_sweep() == 0
