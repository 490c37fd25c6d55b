"""Long unbroken words (a title typed without spaces, a browser's user agent, a tag) wrap
inside the page: nothing makes a page scroll sideways, on a phone or a desktop."""

import datetime as dt

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from journal.models import EventKind, Prompt, TimelineEvent
from tests.browser.conftest import log_in
from tests.factories import make_entry, make_user, sign_in, the

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Unbroken" * 25  # 200 characters, the longest title an entry may have
LONG_TAG = "t" * 40  # the longest tag
LONG_AGENT = "Browser/" + "x" * 192  # a browser's name, as long as allauth keeps one
IPV6 = "2001:db8:85a3:0000:0000:8a2e:0370:7334"


def journal_of_long_words(email: str, language: str = "") -> dict[str, str]:
    """A journal where every piece of text is one long word; the pages that show them."""
    user = make_user(email, display_name="Display" * 7, language=language)
    today = user.today()
    TimelineEvent.objects.create(
        user=user,
        kind=EventKind.MEETING,
        occurred_on=today - dt.timedelta(days=30),
        note=LONG_WORD,
    )
    first = make_entry(
        user,
        title="A short title",
        body=f"{LONG_WORD} and more.",
        written_on=today - dt.timedelta(days=2),
        tags=[LONG_TAG, "walks"],
    )
    make_entry(
        user,
        title=LONG_WORD,
        body=f"Searchable {LONG_WORD}.",
        written_on=today - dt.timedelta(days=1),
        tags=[LONG_TAG],
    )
    prompt = Prompt.objects.create(user=user, text=LONG_WORD)
    phone = Client()  # another session, on a phone with an IPv6 address
    sign_in(phone, user)
    UserSession.objects.create(
        user=user, session_key=phone.session.session_key, ip=IPV6, user_agent=LONG_AGENT
    )
    long_title = the(user.entries.all(), title=LONG_WORD)
    return {
        "the entry whose next entry has a long title": first.get_absolute_url(),
        "the entry with a long title": long_title.get_absolute_url(),
        "its editor": reverse("journal:entry-edit", args=[long_title.pk]),
        "its deletion": reverse("journal:entry-delete", args=[long_title.pk]),
        "the prompt's deletion": reverse("journal:prompt-delete", args=[prompt.pk]),
        "writing to the prompt": f"{reverse('journal:entry-create')}?prompt={prompt.pk}",
        "the calendar": "/calendar/",
        "the print page": "/export/print/",
        "the list": "/entries/",
        "a tag's list": f"/entries/?tag={LONG_TAG}",
        "a search": "/entries/?q=Searchable",
        "home": "/",
        "the timeline": "/timeline/",
        "the prompts": "/prompts/?perspective=any",
        "the sessions": "/accounts/sessions/",
        "the profile": "/accounts/profile/",
    }


def overflow(page) -> int:
    """How far the page reaches past the window's right edge, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_no_page_scrolls_sideways(page, email: str, language: str = "") -> None:
    pages = journal_of_long_words(email, language)
    log_in(page, email)
    page.wait_for_url(page.base_url + "/")
    wide = {}
    for label, path in pages.items():
        page.goto(page.base_url + path)
        assert page.locator("main").inner_text(), label
        if path == "/accounts/sessions/":
            assert LONG_AGENT in page.locator("main").inner_text()
        if overflow(page) > 0:
            wide[label] = overflow(page)
    assert wide == {}, f"pages wider than the window ({page.viewport_size['width']} px): {wide}"


def test_long_words_wrap_on_a_phone(phone_page):
    assert_no_page_scrolls_sideways(phone_page, "phone@example.com")


@pytest.mark.parametrize("language", ["de", "fr"])  # the longest words and sentences
def test_pages_in_other_languages_fit_a_phone(phone_page, language):
    assert_no_page_scrolls_sideways(phone_page, f"phone-{language}@example.com", language)
    assert phone_page.locator("html").get_attribute("lang") == language


def test_long_words_wrap_on_a_desktop(page):
    assert_no_page_scrolls_sideways(page, "desktop@example.com")


def test_the_next_entry_link_wraps_on_a_desktop(page):
    pages = journal_of_long_words("next@example.com")
    log_in(page, "next@example.com")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + pages["the entry whose next entry has a long title"])
    link = page.locator(".neighbours a[rel=next]")
    box, nav = link.bounding_box(), page.locator(".neighbours").bounding_box()
    assert box["x"] + box["width"] <= nav["x"] + nav["width"] + 0.5
    assert box["height"] > 44  # on several lines, not one line running off the page
