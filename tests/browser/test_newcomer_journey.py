"""What a first-time user does, end to end, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "newcomer@example.com"
PASSWORD = "a-long-and-quiet-password"


def sign_up(page) -> None:
    page.goto(page.base_url + "/")
    assert_accessible(page, "home (signed out)")
    page.get_by_role("link", name="Start your journal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign Up")
    assert_accessible(page, "sign up")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("I’m the one left behind").check()
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, newcomer.")


def log_in(page) -> None:
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page, "log in")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def test_newcomer_signs_up_writes_edits_filters_and_comes_back(page):
    sign_up(page)
    assert_accessible(page, "today")
    # The first question fits the perspective chosen at sign-up.
    expect(page.get_by_role("heading", name="Today’s question")).to_be_visible()
    expect(page.locator(".today-prompt .prompt-text")).not_to_be_empty()
    heading = page.get_by_role("heading", name="Today’s question").inner_text()
    assert "runner" not in heading

    page.get_by_role("link", name="Write", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an entry")
    assert_accessible(page, "new entry")
    page.get_by_label("Title").fill("First light")
    page.get_by_label("Your words").fill(
        "I felt *calm* today.\n\n- tea by the window\n- a long walk\n\n"
        "Read [this poem](https://poems.example/quiet)."
    )
    page.get_by_text("3 · Steady").click()
    page.get_by_label("Hope").check()
    page.get_by_label("Kind").select_option("reflection")
    page.get_by_label("Tags").fill("beginnings, walks")
    page.get_by_role("button", name="Save entry").click()

    # The entry's own page shows the Markdown rendered.
    expect(page.get_by_role("heading", level=1)).to_have_text("First light")
    prose = page.locator(".prose")
    expect(prose.locator("em")).to_have_text("calm")
    expect(prose.locator("li")).to_have_text(["tea by the window", "a long walk"])
    link = prose.get_by_role("link", name="this poem")
    expect(link).to_have_attribute("href", "https://poems.example/quiet")
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer")
    expect(page.get_by_role("status")).to_contain_text("Your entry is saved.")
    assert_accessible(page, "entry")
    entry_url = page.url

    page.get_by_role("link", name="Edit").click()
    assert_accessible(page, "edit entry")
    expect(page.get_by_label("Tags")).to_have_value("beginnings, walks")
    page.get_by_label("Your words").fill("I felt *calm* today, and later **brave**.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".prose strong")).to_have_text("brave")

    # A second entry, so that filtering has something to leave out.
    page.get_by_role("link", name="Write", exact=True).click()
    page.get_by_label("Your words").fill("A dream of the sea.")
    page.get_by_label("Kind").select_option("dream")
    page.get_by_role("button", name="Save entry").click()

    page.get_by_role("link", name="Entries", exact=True).click()
    assert_accessible(page, "entries")
    expect(page.locator(".entry-card")).to_have_count(2)
    page.get_by_text("Filter entries").click()
    page.get_by_label("Kind").select_option("dream")
    page.get_by_role("button", name="Show entries").click()
    expect(page).to_have_url(re.compile(r"kind=dream"))
    expect(page.locator(".entry-card")).to_have_count(1)
    expect(page.locator(".entry-card")).to_contain_text("Dream")
    assert_accessible(page, "entries, filtered")
    page.get_by_role("link", name="#walks").click()
    expect(page.locator(".entry-card")).to_have_count(1)
    expect(page.locator(".entry-card")).to_contain_text("First light")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Start your journal")).to_be_visible()
    page.goto(entry_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("First light")).to_have_count(0)

    log_in(page)
    page.goto(entry_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("First light")


def test_newcomer_answers_todays_prompt_and_browses_the_library(page):
    sign_up(page)
    question = page.locator(".today-prompt .prompt-text").inner_text()
    page.get_by_role("link", name="Ask me something else").click()
    other = page.locator(".today-prompt .prompt-text").inner_text()
    assert other != question
    page.get_by_label("Your answer").fill("Answered in *one* step.")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.locator(".prompt-answered")).to_have_text(other)
    expect(page.locator(".prose em")).to_have_text("one")
    page.get_by_role("link", name="Today", exact=True).click()
    expect(page.locator(".stats")).to_contain_text("1 day in a row")

    page.get_by_role("link", name="Prompts", exact=True).click()
    assert_accessible(page, "prompts")
    page.get_by_label("For", exact=True).first.select_option("runner")
    page.get_by_role("button", name="Show prompts").click()
    expect(page.locator(".prompt-item .badge").first).to_have_text("Runner")
    page.get_by_text("Add a prompt of your own").click()
    page.get_by_label("Your question").fill("What did the sea say today?")
    page.get_by_role("button", name="Add prompt").click()
    own = page.locator("#own .prompt-item")
    expect(own).to_contain_text("What did the sea say today?")
    own.get_by_role("link", name="Write about this").click()
    expect(page.locator(".prompt-answered")).to_contain_text("What did the sea say today?")
    assert_accessible(page, "new entry from a prompt")


def test_mistakes_are_shown_beside_the_field_and_nothing_is_lost(page):
    sign_up(page)
    page.goto(page.base_url + "/entries/new/")
    page.get_by_label("Title").fill("A title I must not lose")
    page.get_by_label("Grief").check()
    page.get_by_role("button", name="Save entry").click()
    body = page.get_by_label("Your words")
    expect(body).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_body_error")
    expect(error).to_contain_text("Write a few words before saving")
    assert "id_body_error" in (body.get_attribute("aria-describedby") or "")
    expect(page.get_by_label("Title")).to_have_value("A title I must not lose")
    expect(page.get_by_label("Grief")).to_be_checked()
    expect(page.get_by_role("alert")).to_contain_text("Nothing you wrote is lost.")
    assert_accessible(page, "new entry with errors")


def test_the_journal_works_on_a_phone(phone_page):
    page = phone_page
    sign_up(page)
    assert_accessible(page, "today (phone)")
    page.get_by_role("link", name="Write", exact=True).click()
    page.get_by_label("Your words").fill("Written on a small screen.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".prose")).to_contain_text("Written on a small screen.")
    # Nothing is wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Inputs are at least 16px so phones do not zoom in on focus.
    page.get_by_role("link", name="Edit").click()
    font_size = page.get_by_label("Your words").evaluate("el => getComputedStyle(el).fontSize")
    assert float(font_size.rstrip("px")) >= 16
