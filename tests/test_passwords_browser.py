"""A forgotten password in the browser: ask for a link, open it from the email, set a new one,
sign in with it; then change it from the header."""

import re

from django.core import mail
from playwright.sync_api import expect

from raa.models import Role, User
from tests.test_browser import browser_page  # noqa: F401  (the shared browser fixture)

NEW_PASSWORD = "a-brand-new-passphrase-93"
NEWER_PASSWORD = "another-new-passphrase-57"


def test_forgotten_password_by_email_then_changed_from_the_header(browser_page, tmp_path):  # noqa: F811
    page, world, base = browser_page
    worker = world.user(Role.SOCIAL_WORKER, "A")
    User.objects.filter(pk=worker.pk).update(email="ada.worker@council-a.example")
    mail.outbox.clear()

    page.goto(base + "/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.screenshot(path=str(tmp_path / "reset-form.png"))
    page.get_by_label("Your work email address").fill("ada.worker@council-a.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.screenshot(path=str(tmp_path / "reset-sent.png"))

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    page.get_by_label("New password").first.fill("password")
    page.get_by_label("New password confirmation").fill("password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "reset-set-new.png"), full_page=True)
    page.get_by_label("New password").first.fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    page.screenshot(path=str(tmp_path / "reset-done.png"))

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(worker.username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Social Worker")).to_be_visible()

    page.get_by_role("button", name="Account").click()  # the header's account menu
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Old password").fill(NEW_PASSWORD)
    page.get_by_label("New password").first.fill(NEWER_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEWER_PASSWORD)
    page.screenshot(path=str(tmp_path / "change-form.png"), full_page=True)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(base + "/")
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    page.goto(link)  # the emailed link worked once
    expect(
        page.get_by_role("heading", name="This link has expired or has been used")
    ).to_be_visible()
    page.screenshot(path=str(tmp_path / "reset-expired.png"))
