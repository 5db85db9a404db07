"""Fixtures shared by the hardening tests."""

from tests.test_browser import browser_page  # noqa: F401 (the live-server browser fixture)


def pytest_terminal_summary(terminalreporter):
    """Say how many hostile submissions were sent, when the hostile-input tests ran."""
    from tests.hardening.test_hostile_input import TRIED

    if TRIED["requests"]:
        terminalreporter.write_line(
            f"hostile input: {TRIED['requests']} malformed submissions sent"
        )
    from tests.hardening.test_import_fuzz import TRIED as IMPORTS

    if IMPORTS:
        terminalreporter.write_line(
            "import_903 fuzz: "
            + ", ".join(f"{n} runs exited {code}" for code, n in sorted(IMPORTS.items()))
        )
