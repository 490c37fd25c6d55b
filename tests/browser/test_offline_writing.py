"""Writing offline, in a real Chromium with its network switched off and on: the words are
kept on the device and become one entry when the connection returns, whether written in the
editor or on the offline page, sent from one tab or two, or after the session expired; and
never an entry of another account signed in on the same device."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from journal.models import Entry
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "· Saved on this device; it will be sent when you are online."
DEVICE_DRAFTS = """() => Object.fromEntries(Object.keys(localStorage)
  .filter((key) => key.startsWith("mirror:draft:"))
  .map((key) => [key, JSON.parse(localStorage.getItem(key))]))"""


def signed_in(page, email: str) -> None:
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def device_drafts(page) -> dict:
    return page.evaluate(DEVICE_DRAFTS)


def entries_of(user) -> list[Entry]:
    return list(Entry.objects.for_user(user))


def test_saved_in_the_editor_offline_it_is_sent_once_when_back_online(page):
    user = make_user("train@example.com")
    signed_in(page, "train@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.context.set_offline(True)
    page.get_by_label("Title").fill("Between two tunnels")
    page.get_by_label("Your words").fill("Written where no signal reaches.")
    page.get_by_label("3 · Steady").check()
    page.get_by_role("button", name="Save entry").click()

    # No error page: the words wait on this device, and the server has nothing yet.
    expect(page.locator("[data-saved]")).to_have_text(KEPT)
    expect(page.get_by_label("Your words")).to_have_value("Written where no signal reaches.")
    assert entries_of(user) == []
    (kept,) = device_drafts(page).values()
    assert kept["pending"] and kept["body"] == "Written where no signal reaches."

    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Between two tunnels")).to_be_visible()
    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    expect(page.locator(".prose")).to_have_text("Written where no signal reaches.")
    (entry,) = entries_of(user)
    assert (entry.body, entry.mood) == ("Written where no signal reaches.", 3)
    assert device_drafts(page) == {}


def test_words_written_on_the_offline_page_become_one_entry(app_page):
    page = app_page
    user = make_user("hill@example.com")
    signed_in(page, "hill@example.com")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now the worker controls the page
    assert page.evaluate("() => !!navigator.serviceWorker.controller")

    page.context.set_offline(True)
    page.goto(page.base_url + "/entries/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.get_by_label("Your words").fill("No signal under the hill, and still the words came.")
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Saved on this device; it will be sent when you are online."
    )
    ((key, kept),) = device_drafts(page).items()
    assert re.fullmatch(r"mirror:draft:[0-9a-f]{32}", key) and kept["pending"]
    assert entries_of(user) == []

    page.context.set_offline(False)
    expect(page.locator(".prose")).to_have_text(
        "No signal under the hill, and still the words came."
    )
    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    (entry,) = entries_of(user)
    assert entry.body == "No signal under the hill, and still the words came."
    assert entry.draft_key == key.removeprefix("mirror:draft:")
    assert device_drafts(page) == {}


def test_words_the_earlier_offline_page_kept_are_sent_too(page):
    user = make_user("earlier@example.com")
    signed_in(page, "earlier@example.com")
    page.evaluate(
        """() => localStorage.setItem("mirror:draft:offline",
             JSON.stringify({ title: "", body: "Kept by last month's offline page.", at: 1 }))"""
    )
    page.goto(page.base_url + "/entries/new/")
    expect(page.locator(".prose")).to_have_text("Kept by last month's offline page.")
    assert [entry.body for entry in entries_of(user)] == ["Kept by last month's offline page."]
    assert device_drafts(page) == {}


def test_two_tabs_sending_the_same_words_make_one_entry(page):
    user = make_user("tabs@example.com")
    signed_in(page, "tabs@example.com")
    page.goto(page.base_url + "/entries/new/")
    other = page.context.new_page()  # an empty new-entry page in a second tab
    other.goto(page.base_url + "/entries/new/")
    page.context.set_offline(True)
    page.get_by_label("Your words").fill("Sent from two tabs at once.")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_role("button", name="Save entry").click()  # and pressed again
    expect(page.locator("[data-saved]")).to_have_text(KEPT)

    # Both tabs send the words when the connection returns; the answers are held until both
    # have, then let through one after the other.
    held = []
    page.context.route(
        "**/entries/new/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.context.set_offline(False)
    for _ in range(100):
        if len(held) >= 2:
            break
        page.wait_for_timeout(50)
    assert len(held) == 2, "each tab sent the words"
    for route in held:
        tab = route.request.frame.page
        route.continue_()
        expect(tab.locator(".prose")).to_have_text("Sent from two tabs at once.")
    (entry,) = entries_of(user)
    assert page.url.startswith(page.base_url + entry.get_absolute_url())
    assert other.url.startswith(page.base_url + entry.get_absolute_url())
    assert device_drafts(page) == {}


def test_words_sent_again_after_a_lost_answer_lead_to_the_entry_already_saved(page):
    """The entry was saved but the answer never came back: the device still holds the words
    as waiting, and sending them again finds the entry instead of making a second."""
    user = make_user("lost@example.com")
    signed_in(page, "lost@example.com")
    key = "5" * 32
    saved = make_entry(user, title="", body="The answer was lost.", draft_key=key)
    page.evaluate(
        """(key) => localStorage.setItem("mirror:draft:" + key, JSON.stringify({
             title: "", body: "The answer was lost.", at: Date.now(), pending: true,
             owner: document.body.dataset.owner }))""",
        key,
    )
    page.goto(page.base_url + "/entries/new/")
    expect(page.locator(".prose")).to_have_text("The answer was lost.")
    assert page.url.startswith(page.base_url + saved.get_absolute_url())
    assert entries_of(user) == [saved]
    assert device_drafts(page) == {}


def test_after_the_session_expired_the_words_wait_for_their_own_account(page):
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    signed_in(page, "alice@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.context.set_offline(True)
    page.get_by_label("Your words").fill("Only mine to send.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator("[data-saved]")).to_have_text(KEPT)

    Session.objects.all().delete()  # the session expires meanwhile
    page.context.set_offline(False)
    expect(page.locator("[data-saved]")).to_have_text(
        "· You were signed out. Your words are kept on this device and will be sent after "
        "you sign in."
    )
    expect(page.get_by_role("link", name="Sign in again")).to_be_visible()
    assert entries_of(alice) == []

    # Someone else signs in on this device: the words are neither sent nor offered to them.
    other = page.context.new_page()
    other.base_url = page.base_url
    signed_in(other, "bob@example.com")
    other.goto(page.base_url + "/entries/new/")
    expect(other.get_by_label("Your words")).to_have_value("")
    expect(other.locator("[data-restore]")).to_be_hidden()
    assert entries_of(bob) == []
    other.close()
    Session.objects.all().delete()

    # Alice signs in again: the new-entry page she is brought back to sends them.
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.locator(".prose")).to_have_text("Only mine to send.")
    assert [entry.body for entry in entries_of(alice)] == ["Only mine to send."]
    assert entries_of(bob) == []
    assert device_drafts(page) == {}


def test_a_refused_entry_shows_what_to_change_and_keeps_the_words(page):
    user = make_user("future@example.com")
    signed_in(page, "future@example.com")
    page.goto(page.base_url + "/entries/new/")
    page.get_by_label("Your words").fill("A letter to a day still to come.")
    soon = dt.date.today() + dt.timedelta(days=7)
    page.get_by_label("Date", exact=True).fill(soon.isoformat())
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("is still to come")).to_be_visible()
    expect(page.get_by_label("Your words")).to_have_value("A letter to a day still to come.")
    assert entries_of(user) == []
    (kept,) = device_drafts(page).values()
    assert not kept.get("pending")  # kept, and not sent again by itself
