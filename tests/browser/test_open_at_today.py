"""On a phone the pictures that scroll sideways (the timeline, the calendar's year and its
mood by month) open with today in view, not at the oldest date, in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone

from journal.models import EventKind, Initiator, TimelineEvent
from tests.browser.conftest import log_in
from tests.factories import make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mid_june(monkeypatch) -> None:
    """For the app (the live server runs in this process), it is 15 June of last year:
    today is far from either end of its year, as on most days."""
    real_now = timezone.now
    offset = dt.datetime(real_now().year - 1, 6, 15, 12, tzinfo=dt.UTC) - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)


def long_journal(email: str):
    """Six years of entries and timeline events, up to today."""
    user = make_user(email)
    today = user.today()
    for n in range(0, 6 * 365, 9):
        make_entry(user, written_on=today - dt.timedelta(days=n), mood=n % 5 + 1)
    events = [
        (EventKind.MEETING, 6 * 365, ""),
        (EventKind.SEPARATION, 4 * 365, Initiator.ME),
        (EventKind.REUNION, 3 * 365, ""),
        (EventKind.SEPARATION, 200, Initiator.THEM),
        (EventKind.CONTACT, 20, ""),
    ]
    for kind, days_ago, initiator in events:
        TimelineEvent.objects.create(
            user=user,
            kind=kind,
            occurred_on=today - dt.timedelta(days=days_ago),
            initiator=initiator,
        )
    return user


def visible_in_its_box(page, box: str, mark: str) -> dict:
    """Where `mark` lies against the visible part of its scrolling `box`, once loaded."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """([box, mark]) => {
            const frame = document.querySelector(box);
            const seen = frame.getBoundingClientRect();
            const spot = frame.querySelector(mark).getBoundingClientRect();
            return {
                scrolls: frame.scrollWidth > frame.clientWidth,
                scrolled: frame.scrollLeft,
                inside: spot.left >= seen.left && spot.right <= seen.right,
            };
        }""",
        [box, mark],
    )


@pytest.mark.parametrize(
    ("path", "box", "mark"),
    [
        ("/timeline/", ".tl-scroll", ".tl-today"),
        ("/calendar/", ".hm-scroll", ".hm-today"),
        ("/calendar/?shade=mood", ".hm-scroll", ".hm-today"),
        ("/calendar/", ".mo-scroll", "text[data-today]"),  # this month's label
    ],
)
def test_pictures_open_at_today_on_a_phone(phone_page, mid_june, path, box, mark):
    user = long_journal("long@example.com")
    assert user.today().month == 6
    log_in(phone_page, "long@example.com")
    phone_page.wait_for_url(phone_page.base_url + "/")
    phone_page.goto(phone_page.base_url + path)
    where = visible_in_its_box(phone_page, box, mark)
    assert where["scrolls"], "the picture fits the phone: nothing to test"
    assert where["inside"], where
