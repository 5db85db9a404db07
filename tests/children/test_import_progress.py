"""Progress while an import runs (issue 18): the page polls a fragment that moves from running
to done; without a worker (the embedded demo) the upload's import runs in a thread, so the
request returns at once and the page can follow it; and polling never renews the session.

Transactional: the import thread has its own database connection and must see committed data.
"""

import threading

import pytest

from children.models import Child, ImportRun, ImportStatus
from children.ssda903 import runs
from raa.models import Role
from tests.children.test_import_pages import a_set, upload_data
from tests.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_a_worker_the_upload_runs_in_a_thread_and_the_page_follows_it(
    settings, client, monkeypatch
):
    world = build_world()  # a transactional test starts from an empty database
    settings.SSDA903_IMPORT_IN_THREAD = True
    council = world.councils["A"]
    client.force_login(
        world.user(Role.DATA_OFFICER, "A"), backend="django.contrib.auth.backends.ModelBackend"
    )
    # Hold the import at its first step, to look at the pages while it runs.
    reached, release = threading.Event(), threading.Event()
    started: list[threading.Thread] = []
    real_import, real_start = runs.import_903, runs.start_in_thread

    def held_import(files, *, progress, **options):
        def tell(percent: int, label: str) -> None:
            progress(percent, label)
            if not reached.is_set():
                reached.set()
                release.wait(30)

        return real_import(files, progress=tell, **options)

    monkeypatch.setattr(runs, "import_903", held_import)
    monkeypatch.setattr(runs, "start_in_thread", lambda run_id: started.append(real_start(run_id)))

    response = client.post("/children/import/", upload_data(council, a_set()))
    assert response.status_code == 302  # answered while the import is still running
    run = ImportRun.objects.get()
    assert started and started[0].name == f"ssda903-import-{run.pk}"
    assert reached.wait(30)

    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING
    page = client.get(f"/children/import/{run.pk}/").content.decode()
    assert "Running: Reading the files" in page and 'value="5"' in page
    upload_page = client.get("/children/import/").content.decode()
    assert f'id="import-progress-{run.pk}"' in upload_page  # the upload page shows it too
    fragment = client.get(f"/children/import/{run.pk}/progress/")
    assert "Reading the files" in fragment.content.decode() and "HX-Refresh" not in fragment
    # Polling reads the session but never saves or renews it (the 30-minute idle timeout).
    assert "sessionid" not in fragment.cookies
    assert "sessionid" in client.get(f"/children/import/{run.pk}/").cookies

    release.set()
    started[0].join(60)
    assert not started[0].is_alive()
    run.refresh_from_db()
    assert (run.status, run.progress, run.exit_code) == (ImportStatus.DONE, 100, 1)
    assert client.get(f"/children/import/{run.pk}/progress/")["HX-Refresh"] == "true"
    report = client.get(f"/children/import/{run.pk}/").content.decode()
    assert "2 children added, 0 updated, 0 unchanged, 1 skipped with errors" in report
    assert Child.objects.filter(council=council, child_id__in=["W1", "W3"]).count() == 2
