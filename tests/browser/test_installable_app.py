"""The installable app in a real Chromium with its service worker running: offline, a
journal page is never served from a cache (the offline page is), and the caches hold only
static files and the offline page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def test_offline_the_app_shows_its_offline_page_never_a_cached_journal(app_page):
    page = app_page
    user = make_user("phone@example.com")
    entry = make_entry(user, title="Under the lamp", body="Words only this journal holds.")
    log_in(page, "phone@example.com")
    page.goto(page.base_url + "/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now the worker controls the page
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.goto(page.base_url + entry.get_absolute_url())
    expect(page.get_by_role("heading", name="Under the lamp")).to_be_visible()

    page.context.set_offline(True)
    for path in (entry.get_absolute_url(), "/entries/", "/"):
        page.goto(page.base_url + path)
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_text("Under the lamp")).to_have_count(0)
    page.get_by_label("Your words").fill("Written on the train, no signal.")
    expect(page.get_by_text("Saved on this device")).to_be_visible()

    cached = page.evaluate(CACHED_URLS)
    assert "/offline/" in cached
    no_ones = {"/offline/", "/jsi18n/"}  # the offline page and the scripts' words
    assert all(url.startswith("/static/") or url in no_ones for url in cached), cached
