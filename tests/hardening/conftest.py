"""Fixtures shared by the hardening tests."""

from tests.test_browser import browser_page  # noqa: F401 (the live-server browser fixture)
