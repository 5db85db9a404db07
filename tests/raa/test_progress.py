"""Progress bars of the long commands (issue 18): drawn on a terminal, nothing in a pipe, a file
or a test; the one-line summary at the end either way."""

import io

from django.core.management import call_command

from raa.progress import TerminalProgress
from tests.children.ssda903_sets import adopted_by_new_family, csv_set


class Terminal(io.StringIO):
    """What a command writes to, when it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_on_a_terminal_and_nothing_elsewhere():
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with TerminalProgress(stream, total=4, description="Working", unit="step") as bar:
            bar.step("one")
            bar.set(3, "three")
    assert "three" in terminal.getvalue() and "3/4" in terminal.getvalue()
    assert pipe.getvalue() == ""


def write_set(directory, files):
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


def test_import_903_shows_its_progress_on_a_terminal_then_the_summary(tmp_path, world):
    directory = write_set(tmp_path, csv_set(**adopted_by_new_family("T1")))
    terminal, pipe = Terminal(), io.StringIO()
    call_command("import_903", str(directory), "--council", "801", "--dry-run", stdout=terminal)
    shown = terminal.getvalue()
    # The bar passes through the importer's steps (per cent of the way), then the summary.
    assert "100/100" in shown or "%|" in shown
    assert "Writing the audit trail" in shown
    assert shown.rstrip().splitlines()[-1].startswith("1 children added, 0 updated")
    call_command("import_903", str(directory), "--council", "801", "--dry-run", stdout=pipe)
    # In a pipe: the findings by rule and the summary, no bar.
    assert "\r" not in pipe.getvalue() and "Writing the audit trail" not in pipe.getvalue()
    assert pipe.getvalue().splitlines()[-1].startswith("1 children added, 0 updated")


def test_recompute_scorecards_shows_its_steps_on_a_terminal(world):
    terminal, pipe = Terminal(), io.StringIO()
    call_command("recompute_scorecards", stdout=terminal)
    assert "Storing the results" in terminal.getvalue()
    assert terminal.getvalue().rstrip().splitlines()[-1].startswith("Recomputed ")
    call_command("recompute_scorecards", stdout=pipe)
    lines = pipe.getvalue().splitlines()
    assert lines[0] == "Recomputing every council and region…" and len(lines) == 2
    assert lines[1].startswith("Recomputed ") and "\r" not in pipe.getvalue()
