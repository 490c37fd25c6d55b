"""A user records their separations and reunions and re-reads a period, in a real browser."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_event(page, kind: str, day: dt.date, initiator: str | None = None) -> None:
    page.get_by_role("link", name="Add an event").first.click()
    page.get_by_label("What happened").select_option(kind)
    page.get_by_label("Date").fill(day.isoformat())
    if initiator:
        page.get_by_label(initiator).check()
    page.get_by_role("button", name="Add event").click()
    expect(page.get_by_role("status")).to_contain_text("Your timeline is updated.")


def test_user_builds_a_timeline_and_reads_a_period(page):
    user = make_user("tl@example.com")
    today = user.today()
    met = today - dt.timedelta(days=900)
    ran = today - dt.timedelta(days=500)
    back = today - dt.timedelta(days=420)
    left = today - dt.timedelta(days=30)
    make_entry(user, title="The first week apart", written_on=ran + dt.timedelta(days=3), mood=2)
    make_entry(user, title="Lighter now", written_on=today - dt.timedelta(days=2), mood=4)

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill("tl@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(page.get_by_text("Your timeline is empty.")).to_be_visible()
    assert_accessible(page, "timeline (empty)")

    add_event(page, "meeting", met)
    add_event(page, "separation", ran, "I left")
    add_event(page, "reunion", back)
    add_event(page, "separation", left, "They left")
    assert_accessible(page, "timeline")

    picture = page.locator("svg[role=img]")
    expect(picture).to_be_visible()
    expect(page.locator(".period-card h3")).to_have_text(
        [
            "Separation 2 — they ran",
            "Reunited",
            "Separation 1 — you ran",
            "Together",
            "Before we met",
        ]
    )
    expect(page.locator(".figures")).to_contain_text("Separations2")

    page.get_by_role("link", name="Separation 1 — you ran", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Separation 1 — you ran")
    expect(page.locator(".entry-card")).to_have_count(1)
    page.get_by_role("link", name="The first week apart").click()
    expect(page.locator(".period-now")).to_have_text("Separation 1 — you ran — day 4")

    page.get_by_role("link", name="Today", exact=True).click()
    expect(page.locator(".period-now")).to_contain_text("Day 31 of separation 2 — they ran")
    page.get_by_role("button", name="I feel the urge to reach out").click()
    expect(page.locator(".prompt-answered")).to_be_visible()
    assert_accessible(page, "writing through an urge")


def test_timeline_picture_scrolls_on_a_phone(phone_page):
    page = phone_page
    user = make_user("phone-tl@example.com")
    from journal.models import TimelineEvent

    today = user.today()
    for n, kind in enumerate(["meeting", "separation", "reunion", "separation"]):
        TimelineEvent.objects.create(
            user=user,
            kind=kind,
            occurred_on=today - dt.timedelta(days=800 - 200 * n),
            initiator="them" if kind == "separation" else "",
        )
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill("phone-tl@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.goto(page.base_url + "/timeline/")
    assert_accessible(page, "timeline (phone)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
