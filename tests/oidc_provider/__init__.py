"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in a second
Django process with its own SQLite file (tests/test_sso_browser.py starts it)."""
