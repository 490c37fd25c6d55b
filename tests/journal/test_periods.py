"""Periods derived from timeline events: the rules, the odd cases, and properties that hold
for any list of events. Plain objects only; no database."""

import datetime as dt
import itertools
import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.periods import Period, current_period, derive_periods, period_for

TODAY = dt.date(2025, 6, 30)


@dataclass
class Event:
    kind: str
    occurred_on: dt.date
    initiator: str = ""
    note: str = ""
    id: int = 0


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def meeting(day: str, **fields) -> Event:
    return Event("meeting", d(day), **fields)


def separation(day: str, initiator: str = "them", **fields) -> Event:
    return Event("separation", d(day), initiator, **fields)


def reunion(day: str, **fields) -> Event:
    return Event("reunion", d(day), **fields)


def contact(day: str, **fields) -> Event:
    return Event("contact", d(day), **fields)


def shape(periods: list[Period]) -> list[tuple[str, dt.date | None, dt.date | None]]:
    return [(p.kind, p.start, p.end) for p in periods]


# The rules, by example.


def test_no_events_gives_one_open_before_period() -> None:
    (period,) = derive_periods([], TODAY)

    assert (period.kind, period.start, period.end) == ("before", None, None)
    assert period.title == "Before we met"
    assert period.slug == "before"
    assert period.days(TODAY) is None
    assert period.contains(dt.date(1990, 1, 1)) and period.contains(TODAY)
    assert period.notes == ()


def test_periods_run_from_each_opening_event_to_the_day_before_the_next() -> None:
    events = [
        meeting("2024-02-01"),
        separation("2024-09-10", "them"),
        reunion("2024-12-01"),
        separation("2025-03-14", "me"),
    ]

    assert shape(derive_periods(events, TODAY)) == [
        ("before", None, d("2024-01-31")),
        ("together", d("2024-02-01"), d("2024-09-09")),
        ("separation", d("2024-09-10"), d("2024-11-30")),
        ("reunited", d("2024-12-01"), d("2025-03-13")),
        ("separation", d("2025-03-14"), None),
    ]


def test_titles_slugs_and_numbers_follow_the_story() -> None:
    events = [
        meeting("2024-01-01"),
        separation("2024-02-01", "them"),
        reunion("2024-03-01"),
        separation("2024-04-01", "me"),
        reunion("2024-05-01"),
        separation("2024-06-01", "mutual"),
    ]
    periods = derive_periods(events, TODAY)

    assert [p.title for p in periods] == [
        "Before we met",
        "Together",
        "Separation 1 — they ran",
        "Reunited",
        "Separation 2 — you ran",
        "Reunited (2)",
        "Separation 3 — mutual",
    ]
    assert [p.slug for p in periods] == [
        "before",
        "together-1",
        "separation-1",
        "reunion-1",
        "separation-2",
        "reunion-2",
        "separation-3",
    ]


@pytest.mark.parametrize(
    ("initiator", "perspective", "title"),
    [
        ("me", "runner", "Separation 1 — you ran"),
        ("them", "chaser", "Separation 1 — they ran"),
        ("mutual", "both", "Separation 1 — mutual"),
    ],
)
def test_perspective_in_a_separation_follows_who_left(
    initiator: str, perspective: str, title: str
) -> None:
    periods = derive_periods([meeting("2025-01-01"), separation("2025-02-01", initiator)], TODAY)

    assert [p.perspective for p in periods] == ["", "", perspective]
    assert periods[-1].initiator == initiator
    assert periods[-1].title == title
    assert periods[-1].notes == ()


def test_separation_that_does_not_say_who_left_has_no_perspective_and_a_note() -> None:
    sep = derive_periods([meeting("2025-01-01"), separation("2025-02-01", "")], TODAY)[-1]

    assert sep.perspective == ""
    assert sep.title == "Separation 1"
    assert sep.notes == ("This separation does not say who left.",)


def test_days_count_both_ends_and_an_open_period_runs_to_today() -> None:
    events = [meeting("2025-03-14"), separation("2025-06-01", "me")]
    _, together, sep = derive_periods(events, TODAY)

    assert together.days(TODAY) == 79  # 2025-03-14 to 2025-05-31
    assert sep.days(TODAY) == 30  # 2025-06-01 to 2025-06-30
    assert sep.days(d("2025-06-01")) == 1


def test_contact_urge_and_milestone_never_open_a_period_but_are_listed_in_theirs() -> None:
    urge = Event("urge", d("2025-02-10"))
    call = contact("2025-02-20")
    milestone = Event("milestone", d("2024-12-24"))
    first = meeting("2025-01-01")
    left = separation("2025-02-01")

    before, together, sep = derive_periods([urge, call, milestone, first, left], TODAY)

    assert before.events == (milestone,)
    assert together.events == (first,)
    assert sep.events == (left, urge, call)
    assert sep.contacts == (call,)
    assert together.contacts == before.contacts == ()


def test_original_objects_are_carried_through_untouched() -> None:
    first = meeting("2025-01-01", note="The bookshop.", id=7)
    call = contact("2025-01-05", note="Hello again.", id=8)

    together = derive_periods([call, first], TODAY)[-1]

    assert together.opened_by is first
    assert together.events[0] is first and together.events[1] is call
    assert together.events[1].note == "Hello again."


def test_unsorted_events_give_the_same_periods_as_sorted_ones() -> None:
    events = [
        meeting("2024-01-01"),
        separation("2024-02-01", "me"),
        contact("2024-02-15"),
        reunion("2024-03-01"),
        separation("2024-04-01", "them"),
    ]
    shuffled = events[::-1]

    assert derive_periods(shuffled, TODAY) == derive_periods(events, TODAY)


def test_contact_resets_days_without_contact() -> None:
    events = [meeting("2025-01-01"), separation("2025-06-01"), contact("2025-06-20")]
    sep = derive_periods(events, TODAY)[-1]

    assert sep.days_without_contact(d("2025-06-19")) == 18
    assert sep.days_without_contact(d("2025-06-20")) == 0
    assert sep.days_without_contact(TODAY) == 10


def test_days_without_contact_count_from_the_separation_when_there_was_no_contact() -> None:
    sep = derive_periods([separation("2025-06-01")], TODAY)[-1]

    assert sep.days_without_contact(d("2025-06-01")) == 0
    assert sep.days_without_contact(TODAY) == 29


def test_days_without_contact_stop_at_the_end_of_a_closed_separation() -> None:
    events = [
        separation("2025-01-01"),
        contact("2025-01-10"),
        contact("2025-01-03"),
        reunion("2025-02-01"),
        contact("2025-02-05"),  # while reunited: not a separation contact
    ]
    before, sep, reunited = derive_periods(events, TODAY)

    assert sep.contacts == (events[2], events[1])
    assert sep.days_without_contact(TODAY) == 21  # 2025-01-10 to 2025-01-31
    assert reunited.contacts == ()
    assert reunited.days_without_contact(TODAY) is None
    assert before.days_without_contact(TODAY) is None


def test_period_for_finds_the_period_that_contains_a_date() -> None:
    periods = derive_periods([meeting("2025-01-01"), separation("2025-03-01")], TODAY)

    assert period_for(periods, d("2024-12-31")).kind == "before"
    assert period_for(periods, d("2025-01-01")).kind == "together"
    assert period_for(periods, d("2025-02-28")).kind == "together"
    assert period_for(periods, d("2025-03-01")).kind == "separation"
    assert period_for(periods, d("2030-01-01")).kind == "separation"


def test_current_period_is_the_open_one() -> None:
    periods = derive_periods([meeting("2025-01-01"), separation("2025-03-01", "me")], TODAY)

    assert current_period(periods).slug == "separation-1"
    assert current_period(periods).is_open
    assert current_period(derive_periods([], TODAY)).kind == "before"


def test_period_for_and_current_period_refuse_an_empty_list() -> None:
    with pytest.raises(ValueError):
        period_for([], TODAY)
    with pytest.raises(ValueError):
        current_period([])


# Odd input: handled, and explained in notes.


def test_separation_as_first_event_is_separation_one_after_before() -> None:
    before, sep = derive_periods([contact("2025-01-10"), separation("2025-01-01", "me")], TODAY)

    assert (before.kind, before.end) == ("before", d("2024-12-31"))
    assert before.title == "Before the first separation"
    assert (sep.title, sep.slug, sep.perspective) == (
        "Separation 1 — you ran",
        "separation-1",
        "runner",
    )
    assert sep.contacts == (sep.events[1],)
    assert sep.notes == ()


def test_same_day_opening_events_let_the_last_one_decide_without_a_zero_length_period() -> None:
    first = meeting("2025-01-01")
    left = separation("2025-02-01", "me")
    back = reunion("2025-02-01")

    periods = derive_periods([first, left, back], TODAY)

    assert shape(periods) == [
        ("before", None, d("2024-12-31")),
        ("together", d("2025-01-01"), None),
    ]
    assert periods[-1].events == (first, left, back)
    assert periods[-1].notes == (
        "A separation on 2025-02-01 was followed by a reunion the same day; the later one counts.",
        "A reunion was recorded on 2025-02-01 without a separation before it. "
        "This period continues.",
    )


def test_reunion_then_separation_on_one_day_while_apart_keeps_the_separation() -> None:
    events = [
        meeting("2025-01-01"),
        separation("2025-02-01", "them"),
        reunion("2025-03-01"),
        separation("2025-03-01", "them"),
    ]

    periods = derive_periods(events, TODAY)

    assert [p.slug for p in periods] == ["before", "together-1", "separation-1"]
    assert periods[-1].events == (events[1], events[2], events[3])
    assert periods[-1].notes == (
        "A reunion on 2025-03-01 was followed by a separation the same day; the later one counts.",
        "Another separation was recorded on 2025-03-01 while already apart; "
        "it is counted as part of this one.",
    )


def test_meeting_and_separation_on_the_same_first_day_start_with_the_separation() -> None:
    periods = derive_periods([meeting("2025-01-01"), separation("2025-01-01", "mutual")], TODAY)

    assert [p.slug for p in periods] == ["before", "separation-1"]
    assert periods[-1].perspective == "both"
    assert len(periods[-1].notes) == 1


def test_reunion_without_a_separation_continues_together_with_a_note() -> None:
    periods = derive_periods([meeting("2025-01-01"), reunion("2025-02-01")], TODAY)

    assert [p.slug for p in periods] == ["before", "together-1"]
    assert periods[-1].notes == (
        "A reunion was recorded on 2025-02-01 without a separation before it. "
        "This period continues.",
    )


def test_reunion_as_first_event_opens_reunited_with_a_note() -> None:
    before, reunited = derive_periods([reunion("2025-02-01")], TODAY)

    assert before.title == "Before the first reunion"
    assert (reunited.title, reunited.slug, reunited.start) == (
        "Reunited",
        "reunion-1",
        d("2025-02-01"),
    )
    assert reunited.notes == (
        "A reunion was recorded on 2025-02-01 without a separation before it.",
    )


def test_separation_while_apart_continues_the_same_separation() -> None:
    events = [
        meeting("2025-01-01"),
        separation("2025-02-01", "them"),
        separation("2025-03-01", "them"),
    ]

    periods = derive_periods(events, TODAY)

    assert [p.slug for p in periods] == ["before", "together-1", "separation-1"]
    assert periods[-1].start == d("2025-02-01")
    assert periods[-1].events == (events[1], events[2])
    assert periods[-1].notes == (
        "Another separation was recorded on 2025-03-01 while already apart; "
        "it is counted as part of this one.",
    )


def test_separation_while_apart_naming_another_initiator_keeps_the_first() -> None:
    events = [
        meeting("2025-01-01"),
        separation("2025-02-01", "them"),
        separation("2025-03-01", "me"),
    ]

    sep = derive_periods(events, TODAY)[-1]

    assert (sep.initiator, sep.perspective, sep.title) == (
        "them",
        "chaser",
        "Separation 1 — they ran",
    )
    assert sep.notes == (
        "Another separation was recorded on 2025-03-01 while already apart; "
        "it is counted as part of this one. It records “you left” where the first said "
        "“they left”; the first is kept.",
    )


def test_meeting_during_a_separation_counts_as_a_reunion() -> None:
    events = [meeting("2025-01-01"), separation("2025-02-01"), meeting("2025-03-01")]

    periods = derive_periods(events, TODAY)

    assert [p.slug for p in periods] == ["before", "together-1", "separation-1", "reunion-1"]
    assert periods[-1].opened_by is events[2]
    assert periods[-1].notes == (
        "A meeting was recorded on 2025-03-01 during a separation; it counts as a reunion.",
    )


def test_second_meeting_while_together_is_noted_and_changes_nothing() -> None:
    periods = derive_periods([meeting("2025-01-01"), meeting("2025-02-01")], TODAY)

    assert [p.slug for p in periods] == ["before", "together-1"]
    assert periods[-1].notes == (
        "Another meeting was recorded on 2025-02-01; it does not start a new period.",
    )


def test_events_after_today_are_left_out_and_noted_on_the_last_period() -> None:
    events = [meeting("2025-01-01"), separation("2025-07-01"), contact("2025-08-01")]

    periods = derive_periods(events, TODAY)

    assert shape(periods) == [
        ("before", None, d("2024-12-31")),
        ("together", d("2025-01-01"), None),
    ]
    assert periods[-1].events == (events[0],)
    assert periods[-1].notes == ("Not counted yet: 2 events dated after today.",)


def test_only_future_events_leave_one_open_before_period() -> None:
    (before,) = derive_periods([meeting("2025-07-01")], TODAY)

    assert (before.kind, before.end, before.events) == ("before", None, ())
    assert before.notes == ("Not counted yet: 1 event dated after today.",)


def test_event_of_unknown_kind_is_listed_and_noted() -> None:
    odd = Event("birthday", d("2025-02-01"))

    together = derive_periods([meeting("2025-01-01"), odd], TODAY)[-1]

    assert together.events[-1] is odd
    assert together.notes == (
        "An event of unknown kind “birthday” on 2025-02-01 is listed here "
        "but does not change the period.",
    )


def test_datetimes_and_missing_dates_do_not_crash() -> None:
    moment = Event("meeting", dt.datetime(2025, 1, 1, 21, 30))  # type: ignore[arg-type]
    undated = Event("contact", None)  # type: ignore[arg-type]

    periods = derive_periods([undated, moment, separation("2025-02-01")], TODAY)

    assert shape(periods)[1] == ("together", d("2025-01-01"), d("2025-01-31"))
    assert periods[-1].notes == ("Left out: 1 event without a date.",)


def test_opening_event_on_the_first_possible_day_leaves_no_before_period() -> None:
    periods = derive_periods([meeting("0001-01-01")], TODAY)

    assert shape(periods) == [("together", dt.date.min, None)]


# Properties that hold for any list of events.

KINDS = ["meeting", "separation", "contact", "urge", "reunion", "milestone"]
FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2024, 3, 31)

events_strategy = st.lists(
    st.builds(
        Event,
        kind=st.sampled_from([*KINDS, *KINDS, "birthday"]),  # known kinds far likelier
        occurred_on=st.dates(FIRST_DAY, LAST_DAY),
        initiator=st.sampled_from(["me", "them", "mutual", ""]),
        id=st.integers(0, 10_000),
    ),
    max_size=40,
)
today_strategy = st.dates(FIRST_DAY, LAST_DAY + dt.timedelta(days=30))
fast = settings(max_examples=200, deadline=None)


def sample_dates(events: list[Event], periods: list[Period], today: dt.date) -> set[dt.date]:
    """Every event date up to today, each period boundary and its neighbours, and today."""
    days = {e.occurred_on for e in events if e.occurred_on <= today} | {today, FIRST_DAY}
    for period in periods:
        for boundary in (period.start, period.end):
            if boundary is not None:
                days |= {boundary - dt.timedelta(days=1), boundary, boundary + dt.timedelta(days=1)}
    return days


@fast
@given(events_strategy, today_strategy)
def test_periods_are_consecutive_ordered_and_only_the_last_is_open(
    events: list[Event], today: dt.date
) -> None:
    periods = derive_periods(events, today)

    assert periods[0].kind == "before" and periods[0].start is None
    assert all(p.start is not None for p in periods[1:])
    assert [p.end is None for p in periods] == [False] * (len(periods) - 1) + [True]
    for earlier, later in itertools.pairwise(periods):
        assert earlier.end is not None and later.start is not None
        assert later.start == earlier.end + dt.timedelta(days=1)
    for period in periods:
        if period.start is not None and period.end is not None:
            assert period.end >= period.start
        if period.start is not None:
            assert period.start <= today
            assert period.opened_by is not None and period.opened_by.occurred_on == period.start


@fast
@given(events_strategy, today_strategy)
def test_every_date_falls_in_exactly_one_period(events: list[Event], today: dt.date) -> None:
    periods = derive_periods(events, today)

    for day in sample_dates(events, periods, today):
        containing = [p for p in periods if p.contains(day)]
        assert len(containing) == 1, day
        assert period_for(periods, day) is containing[0]
    assert current_period(periods).contains(today)


@fast
@given(events_strategy, today_strategy)
def test_every_past_event_is_listed_once_in_the_period_of_its_date(
    events: list[Event], today: dt.date
) -> None:
    periods = derive_periods(events, today)

    listed = [id(e) for p in periods for e in p.events]
    assert sorted(listed) == sorted(id(e) for e in events if e.occurred_on <= today)
    for period in periods:
        assert all(period.contains(e.occurred_on) for e in period.events)
        assert set(map(id, period.contacts)) <= set(map(id, period.events))
        assert all(c.kind == "contact" for c in period.contacts)
        if period.kind != "separation":
            assert period.contacts == ()
    if any(e.occurred_on > today for e in events):
        assert any(n.startswith("Not counted yet") for n in periods[-1].notes)


@fast
@given(events_strategy, today_strategy)
def test_separations_and_reunions_are_numbered_one_to_n(
    events: list[Event], today: dt.date
) -> None:
    periods = derive_periods(events, today)

    for kind in ("separation", "reunited", "together"):
        numbers = [p.number for p in periods if p.kind == kind]
        assert numbers == list(range(1, len(numbers) + 1))
    slugs = [p.slug for p in periods]
    assert len(set(slugs)) == len(slugs)


@fast
@given(events_strategy, today_strategy)
def test_the_last_opening_event_of_a_day_decides_that_day(
    events: list[Event], today: dt.date
) -> None:
    periods = derive_periods(events, today)
    last_opener: dict[dt.date, str] = {}
    for event in sorted(events, key=lambda e: e.occurred_on):
        if event.kind in ("meeting", "separation", "reunion") and event.occurred_on <= today:
            last_opener[event.occurred_on] = event.kind

    allowed = {
        "separation": {"separation"},
        "reunion": {"reunited", "together"},
        "meeting": {"together", "reunited"},
    }
    for day, kind in last_opener.items():
        assert period_for(periods, day).kind in allowed[kind]


@fast
@given(events_strategy, today_strategy, st.randoms(use_true_random=False))
def test_order_of_input_matters_only_within_a_day(
    events: list[Event], today: dt.date, rng: random.Random
) -> None:
    by_date_keeping_given_order = sorted(events, key=lambda e: e.occurred_on)
    # Shuffle whole days, keeping the order of events within each day.
    days = sorted({e.occurred_on for e in events})
    rng.shuffle(days)
    days_shuffled = [e for day in days for e in events if e.occurred_on == day]

    expected = derive_periods(by_date_keeping_given_order, today)
    assert derive_periods(events, today) == expected
    assert derive_periods(days_shuffled, today) == expected


@fast
@given(events_strategy, today_strategy)
def test_day_counts_are_positive_and_contact_counts_stay_inside_the_separation(
    events: list[Event], today: dt.date
) -> None:
    for period in derive_periods(events, today):
        days = period.days(today)
        if period.start is None:
            assert days is None
            continue
        assert days is not None and days >= 1
        without = period.days_without_contact(today)
        if period.kind == "separation":
            assert without is not None and 0 <= without < days
        else:
            assert without is None
