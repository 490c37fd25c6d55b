"""A user looks back over a year on the calendar page and opens a day, in a real browser."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, email: str) -> None:
    log_in(page, email)
    page.wait_for_url(page.base_url + "/")


def test_user_opens_a_day_from_the_calendar(page):
    user = make_user("cal@example.com")
    today = user.today()
    day = today - dt.timedelta(days=1) if today.timetuple().tm_yday > 1 else today
    make_entry(user, title="The night it rained", written_on=day, mood=2, feelings=["grief"])
    make_entry(user, title="Another year", written_on=dt.date(today.year - 1, 12, 31))

    signed_in(page, "cal@example.com")
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Calendar {today.year}")
    expect(page.locator(".hm-svg svg[role=img]")).to_be_visible()
    expect(page.locator(".cal-months")).to_contain_text("Grief (1)")
    assert_accessible(page, "calendar")

    page.get_by_role("link", name="Mood", exact=True).click()
    expect(page.get_by_role("link", name="Mood", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    assert_accessible(page, "calendar (mood)")

    when = f"{day.day} {day:%B %Y}" + (" (today)" if day == today else "")
    page.get_by_role("link", name=f"{when}: 1 entry, mood 2").click()
    expect(page.locator(".entry-card")).to_have_count(1)
    expect(page.locator(".entry-card")).to_contain_text("The night it rained")

    page.go_back()
    page.get_by_role("link", name=f"{today.year - 1} (previous year)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Calendar {today.year - 1}")
    page.get_by_role("link", name=f"31 December {today.year - 1}: 1 entry").click()
    expect(page.locator(".entry-card")).to_contain_text("Another year")


def test_the_calendar_scrolls_inside_its_box_on_a_phone(phone_page):
    page = phone_page
    user = make_user("cal-phone@example.com")
    today = user.today()
    for n in range(40):
        make_entry(user, written_on=today - dt.timedelta(days=n * 3), mood=n % 5 + 1)

    signed_in(page, "cal-phone@example.com")
    page.goto(page.base_url + "/calendar/")
    assert_accessible(page, "calendar (phone)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    scroll = page.locator(".hm-scroll")
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    scroll.focus()
    assert page.evaluate("document.activeElement.classList.contains('hm-scroll')")

    page.goto(page.base_url + "/calendar/?shade=mood")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_an_empty_calendar_is_friendly_and_accessible(page):
    make_user("cal-new@example.com")
    signed_in(page, "cal-new@example.com")
    page.goto(page.base_url + "/calendar/")
    expect(page.get_by_text("Nothing written in")).to_be_visible()
    expect(page.locator(".hm-day")).not_to_have_count(0)
    assert_accessible(page, "calendar (empty)")
