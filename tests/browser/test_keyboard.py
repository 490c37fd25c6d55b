"""The main flow works from the keyboard alone: skip link, visible focus, labelled fields,
errors announced beside their fields."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                name: el.getAttribute('name'),
                text: (el.innerText || '').trim(),
                outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )


def tab_until(page, predicate, limit: int = 40) -> dict:
    page.wait_for_load_state("load")  # the stylesheet is applied before focus is judged
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state["outline"] != "none" and state["outlineWidth"] >= 2, (
            f"focus is not visible on {state}"
        )
        if predicate(state):
            return state
    raise AssertionError("never reached the element with Tab")


def test_skip_link_is_first_and_moves_to_the_content(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["text"] == "Skip to content"
    expect(page.get_by_role("link", name="Skip to content")).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_log_in_and_write_an_entry_with_the_keyboard_only(page):
    make_user("keys@example.com")
    page.goto(page.base_url + "/accounts/login/")
    tab_until(page, lambda s: s["name"] == "login")
    page.keyboard.type("keys@example.com")
    tab_until(page, lambda s: s["name"] == "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    tab_until(page, lambda s: s["text"] == "Write")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an entry")

    # Submitting with nothing written: the error is announced beside the body field,
    # and the cursor waits in that field.
    tab_until(page, lambda s: s["name"] == "title")
    page.keyboard.type("Typed, not clicked")
    page.keyboard.press("Enter")
    body = page.get_by_label("Your words")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_be_focused()
    expect(page.locator("#id_body_error")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
    page.keyboard.type("Every word from the keyboard.")
    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_until(page, lambda s: s["name"] == "mood")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("4 · Good")).to_be_checked()
    tab_until(page, lambda s: s["text"] == "Save entry")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Typed, not clicked")
    expect(page.locator(".prose")).to_have_text("Every word from the keyboard.")
    expect(page.locator(".entry-facts")).to_contain_text("4/5")
    assert_accessible(page, "entry written with the keyboard")
