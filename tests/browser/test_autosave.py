"""Autosave and edit conflicts, in a real browser: nothing typed is ever lost."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import Draft, Entry
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, email: str) -> None:
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_text_survives_a_closed_tab(page):
    make_user("crash@example.com")
    signed_in(page, "crash@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.get_by_label("Your words").fill("Twenty minutes of writing I cannot lose.")
    expect(page.locator("[data-saved]")).to_contain_text("Saved", timeout=10_000)
    expect(page.locator("[data-words]")).to_have_text("7 words")
    assert Draft.objects.get().body == "Twenty minutes of writing I cannot lose."

    context = page.context
    page.close(run_before_unload=False)  # the tab is gone, as in a crash
    again = context.new_page()
    again.goto(page.base_url + "/entries/new/")
    again.get_by_role("link", name=re.compile("7 words")).click()
    expect(again.get_by_label("Your words")).to_have_value(
        "Twenty minutes of writing I cannot lose."
    )
    again.get_by_role("button", name="Save entry").click()
    expect(again.locator(".prose")).to_have_text("Twenty minutes of writing I cannot lose.")
    assert not Draft.objects.exists()
    assert (
        again.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mirror:draft:'))") == []
    )


def test_text_written_offline_is_kept_in_the_browser_and_restored(page):
    make_user("offline@example.com")
    signed_in(page, "offline@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.context.set_offline(True)
    page.get_by_label("Your words").fill("Written on a train without signal.")
    expect(page.locator("[data-saved]")).to_contain_text("Offline", timeout=10_000)
    assert not Draft.objects.exists()
    context = page.context
    page.close(run_before_unload=False)
    context.set_offline(False)

    again = context.new_page()
    again.goto(page.base_url + "/entries/new/")
    banner = again.locator("[data-restore]")
    expect(banner).to_be_visible()
    assert_accessible(again, "new entry with text to restore")
    again.get_by_role("button", name="Restore it").click()
    expect(again.get_by_label("Your words")).to_have_value("Written on a train without signal.")
    again.get_by_role("button", name="Save entry").click()
    expect(again.locator(".prose")).to_have_text("Written on a train without signal.")

    # Logging out leaves no diary text in this browser.
    again.goto(page.base_url + "/entries/new/")
    again.get_by_label("Your words").fill("Something private.")
    again.get_by_role("button", name="Log out").click()
    expect(again.get_by_role("link", name="Start your journal")).to_be_visible()
    assert (
        again.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mirror:draft:'))") == []
    )


def test_preview_and_keyboard_save(page):
    make_user("preview@example.com")
    signed_in(page, "preview@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.get_by_label("Your words").fill("Some *soft* words\n\n<script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("[data-preview]")
    expect(preview.locator("em")).to_have_text("soft")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text
    page.get_by_role("button", name="Write", exact=True).click()
    page.get_by_label("Your words").press("Control+Enter")
    expect(page.locator(".prose em")).to_have_text("soft")


def test_editing_in_two_tabs_shows_both_versions(page):
    user = make_user("tabs@example.com")
    entry = make_entry(user, title="Shared", body="The original words.")
    signed_in(page, "tabs@example.com")
    edit_url = f"{page.base_url}/entries/{entry.pk}/edit/"
    page.goto(edit_url)
    other = page.context.new_page()
    other.goto(edit_url)

    page.get_by_label("Your words").fill("Written in the first tab.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".prose")).to_have_text("Written in the first tab.")

    other.get_by_label("Your words").fill("Written in the second tab.")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "This entry changed while you were writing"
    )
    expect(other.locator("#theirs-text")).to_have_text("Written in the first tab.")
    expect(other.get_by_label("Your words")).to_have_value("Written in the second tab.")
    assert_accessible(other, "edit conflict")
    entry.refresh_from_db()
    assert entry.body == "Written in the first tab."

    other.get_by_role("button", name="Save my version").click()
    expect(other.locator(".prose")).to_have_text("Written in the second tab.")
    other.get_by_role("link", name="Earlier versions").click()
    expect(other.locator(".revision").first).to_contain_text("Written in the first tab.")
    assert Entry.objects.get().body == "Written in the second tab."
