"""The recovery key in a real browser: shown once after sign-up, kept, and then opening a
journal whose password was reset by email."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "keeper@example.com"
PASSWORD = "a-long-and-quiet-password"


def test_the_recovery_key_is_shown_once_kept_and_opens_the_journal_after_a_reset(page):
    page.goto(page.base_url + "/accounts/signup/")
    expect(page.get_by_text("only the recovery key gives you back your journal")).to_be_visible()
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # Writing is open at once; a calm reminder waits on the home page.
    reminder = page.get_by_role("heading", name="Keep your recovery key")
    expect(reminder).to_be_visible()
    page.get_by_role("link", name="Keep your recovery key").click()
    key = page.locator("#recovery-key")
    expect(key).to_be_visible()
    assert_accessible(page, "recovery key")
    recovery = key.inner_text()
    assert len(recovery.split("-")) == 13
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a text file").click()
    assert recovery in open(download.value.path(), encoding="utf-8").read()
    page.get_by_role("button", name="I have saved my recovery key").click()
    expect(page.get_by_role("heading", name="Keep your recovery key")).to_have_count(0)
    page.goto(page.base_url + "/accounts/recovery-key/")
    expect(page.locator("#recovery-key")).to_have_count(0)  # shown once

    # A reset by email (done here directly) gives back the account, not the journal.
    from accounts.models import User

    user = User.objects.get(email=EMAIL)
    user.set_password("the password after the reset")
    user.save()
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("the password after the reset")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_text("Your journal is locked in this session")).to_be_visible()
    page.get_by_role("link", name="Unlock your journal").click()
    assert_accessible(page, "unlock")
    page.get_by_label("Your password", exact=True).fill("the password after the reset")
    page.get_by_label("Your recovery key", exact=True).fill(recovery.lower())
    page.get_by_role("button", name="Unlock my journal").click()
    expect(page.get_by_text("Your journal is open again.")).to_be_visible()
    expect(page.get_by_text("Your journal is locked in this session")).to_have_count(0)
