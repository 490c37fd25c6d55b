"""Timeline events, the /timeline/ page, reviewing entries by period, and the urge button."""

import datetime as dt

import pytest
from django.urls import reverse

from journal.models import Entry, TimelineEvent
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

TIMELINE = reverse("journal:timeline")


def event(user, kind, day, initiator="", note=""):
    return TimelineEvent.objects.create(
        user=user, kind=kind, occurred_on=day, initiator=initiator, note=note
    )


@pytest.fixture
def story(alice):
    """Three years: met, she ran, reunited, they ran (with a contact), still apart."""
    today = alice.today()
    start = today - dt.timedelta(days=3 * 365)
    days = {
        "met": start,
        "sep1": start + dt.timedelta(days=200),
        "reunion": start + dt.timedelta(days=280),
        "sep2": today - dt.timedelta(days=40),
        "contact": today - dt.timedelta(days=10),
    }
    event(alice, "meeting", days["met"])
    event(alice, "separation", days["sep1"], "me")
    event(alice, "reunion", days["reunion"])
    event(alice, "separation", days["sep2"], "them")
    event(alice, "contact", days["contact"], note="A short *message*.")
    return days


# Events ---------------------------------------------------------------------------------


def test_add_edit_and_delete_an_event(alice_client, alice):
    response = alice_client.post(
        reverse("journal:event-create"),
        {"kind": "separation", "occurred_on": "2025-03-14", "initiator": "them", "note": "*gone*"},
    )
    assert response["Location"] == TIMELINE
    saved = TimelineEvent.objects.get(user=alice)
    assert (saved.kind, saved.initiator) == ("separation", "them")
    assert saved.note_html == "<p><em>gone</em></p>"

    alice_client.post(
        reverse("journal:event-edit", args=[saved.pk]),
        {"kind": "reunion", "occurred_on": "2025-04-01", "initiator": "them"},
    )
    saved.refresh_from_db()
    assert (saved.kind, saved.initiator, saved.occurred_on) == ("reunion", "", dt.date(2025, 4, 1))

    assert (
        "will be removed" in alice_client.get(reverse("journal:event-delete", args=[saved.pk])).text
    )
    alice_client.post(reverse("journal:event-delete", args=[saved.pk]))
    assert not TimelineEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "separation", "occurred_on": "2025-03-14"}, "initiator", "Say who left"),
        ({"kind": "meeting", "occurred_on": "2025-02-30"}, "occurred_on", "Enter a real date"),
        ({"kind": "meeting", "occurred_on": ""}, "occurred_on", "Give the date it happened"),
        ({"kind": "meeting", "occurred_on": "2999-01-01"}, "occurred_on", "still to come"),
        ({"kind": "breakup", "occurred_on": "2025-03-14"}, "kind", "Choose one of the kinds"),
    ],
)
def test_bad_events_are_explained_beside_the_field(alice_client, data, field, message):
    response = alice_client.post(reverse("journal:event-create"), {**data, "note": "kept note"})
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "kept note</textarea>" in response.text
    assert not TimelineEvent.objects.exists()


def test_event_notes_are_sanitized(alice_client, alice):
    saved = event(
        alice, "milestone", dt.date(2025, 1, 1), note="<script>x</script>[a](javascript:x)"
    )
    assert "<script>" not in saved.note_html
    assert "javascript:" not in saved.note_html


def test_other_users_events_answer_404(bob_client, alice):
    theirs = event(alice, "meeting", dt.date(2024, 1, 1), note="Alice's secret note")
    for name in ["journal:event-edit", "journal:event-delete"]:
        url = reverse(name, args=[theirs.pk])
        assert bob_client.get(url).status_code == 404
        assert (
            bob_client.post(url, {"kind": "milestone", "occurred_on": "2024-01-02"}).status_code
            == 404
        )
    theirs.refresh_from_db()
    assert theirs.kind == "meeting"
    page = bob_client.get(TIMELINE)
    assert "secret note" not in page.text
    assert not page.context["timeline"].has_events


def test_timeline_pages_need_login_and_the_right_method(client, alice_client, alice):
    mine = event(alice, "meeting", dt.date(2024, 1, 1))
    assert alice_client.post(TIMELINE).status_code == 405
    assert alice_client.get(reverse("journal:urge")).status_code == 405
    client.logout()
    for url in [
        TIMELINE,
        reverse("journal:event-create"),
        reverse("journal:event-edit", args=[mine.pk]),
        reverse("journal:event-delete", args=[mine.pk]),
    ]:
        assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("journal:urge"))["Location"].startswith(reverse("account_login"))
    assert TimelineEvent.objects.count() == 1


# The timeline page ----------------------------------------------------------------------


def test_empty_timeline_explains_what_to_do(alice_client):
    response = alice_client.get(TIMELINE)
    assert "Your timeline is empty." in response.text
    assert reverse("journal:event-create") in response.text


def test_timeline_page_lists_periods_that_match_the_dates(alice_client, alice, story):
    make_entry(alice, written_on=story["sep1"] + dt.timedelta(days=3), mood=2)
    make_entry(alice, written_on=story["sep1"] + dt.timedelta(days=5), mood=3)
    make_entry(alice, written_on=story["contact"], mood=4)
    response = alice_client.get(TIMELINE)
    rows = {row.period.title: row for row in response.context["rows"]}
    assert list(rows) == [
        "Separation 2 — they ran",
        "Reunited",
        "Separation 1 — you ran",
        "Together",
        "Before we met",
    ]
    first = rows["Separation 1 — you ran"]
    assert (first.period.start, first.period.end) == (
        story["sep1"],
        story["reunion"] - dt.timedelta(days=1),
    )
    assert (first.days, first.entries, first.average_mood) == (80, 2, 2.5)
    current = rows["Separation 2 — they ran"]
    assert (current.days, current.contacts, current.days_without_contact) == (41, 1, 10)
    summary = response.context["summary"]
    assert summary.separations == 2
    assert summary.longest_separation_days == 80
    assert summary.average_separation_days == 60.5
    assert summary.days_together == 200 + (story["sep2"] - story["reunion"]).days
    assert (summary.current_separation_days, summary.days_since_contact) == (41, 10)
    assert "?period=separation-1" in response.text
    assert "<em>message</em>" in response.text
    assert "<svg" in response.text


def test_odd_timelines_are_explained_not_crashed(alice_client, alice):
    event(alice, "reunion", dt.date(2024, 1, 1))
    event(alice, "separation", dt.date(2024, 2, 1), "me")
    event(alice, "separation", dt.date(2024, 3, 1), "them")
    event(alice, "meeting", dt.date(2024, 3, 1))
    response = alice_client.get(TIMELINE)
    assert response.status_code == 200
    assert "How Mirror read your timeline" in response.text


def test_timeline_query_count_does_not_grow(alice_client, alice, django_assert_max_num_queries):
    start = dt.date(2020, 1, 1)
    for n in range(25):
        event(
            alice,
            "separation" if n % 2 == 0 else "reunion",
            start + dt.timedelta(days=60 * n),
            "me",
        )
        make_entry(alice, written_on=start + dt.timedelta(days=60 * n + 3), mood=3)
    alice_client.get(TIMELINE)  # the first request after login also records the session
    with django_assert_max_num_queries(6):
        alice_client.get(TIMELINE)


# Reviewing by period --------------------------------------------------------------------


def test_entries_of_one_period(alice_client, alice, story):
    make_entry(alice, title="while together", written_on=story["met"] + dt.timedelta(days=1))
    make_entry(alice, title="first day apart", written_on=story["sep1"])
    make_entry(alice, title="last day apart", written_on=story["reunion"] - dt.timedelta(days=1))
    make_entry(alice, title="reunited", written_on=story["reunion"])
    response = alice_client.get("/entries/", {"period": "separation-1"})
    titles = [e.title for e in response.context["page"].object_list]
    assert titles == ["last day apart", "first day apart"]
    assert "Separation 1 — you ran" in response.text
    unknown = alice_client.get("/entries/", {"period": "separation-9"})
    assert unknown.context["filters"].errors
    assert len(unknown.context["page"].object_list) == 4


def test_perspective_filter_uses_the_separations_and_prompts(alice_client, alice, story):
    make_entry(alice, title="as runner", written_on=story["sep1"] + dt.timedelta(days=1))
    make_entry(alice, title="as chaser", written_on=story["sep2"] + dt.timedelta(days=1))
    make_entry(alice, title="together", written_on=story["reunion"] + dt.timedelta(days=1))

    def titles(**query):
        return [e.title for e in alice_client.get("/entries/", query).context["page"].object_list]

    assert titles(perspective="runner") == ["as runner"]
    assert titles(perspective="chaser") == ["as chaser"]
    assert titles(perspective="chaser", period="separation-1") == []
    assert titles(stage="crisis", period="separation-2") == []


def test_entry_page_shows_its_period_day_and_neighbours(alice_client, alice, story):
    first = make_entry(alice, title="one", written_on=story["sep1"])
    middle = make_entry(alice, title="two", written_on=story["sep1"] + dt.timedelta(days=13))
    last = make_entry(alice, title="three", written_on=story["sep1"] + dt.timedelta(days=20))
    make_entry(alice, title="outside", written_on=story["reunion"])
    response = alice_client.get(middle.get_absolute_url())
    assert "Separation 1 — you ran — day 14" in response.text
    assert response.context["previous_entry"] == first
    assert response.context["next_entry"] == last
    assert alice_client.get(last.get_absolute_url()).context["next_entry"] is None


# Home page ------------------------------------------------------------------------------


def test_home_shows_the_current_period_and_its_day(alice_client, alice, story):
    response = alice_client.get(reverse("home"))
    assert "Day 41 of separation 2 — they ran" in response.text
    assert "10 days without contact" in response.text
    assert "I feel the urge to reach out" in response.text


def test_prompt_perspective_follows_the_current_separation(alice_client, alice, story):
    alice.perspective = "runner"
    alice.save()
    for n in range(5):
        prompt = alice_client.get(reverse("home"), {"another": n}).context["prompt"]
        assert prompt.perspective in {"chaser", "any"}  # they ran: she is the chaser now


def test_on_this_day_of_the_last_separation(alice_client, alice, story):
    same_day = story["sep1"] + dt.timedelta(days=40)  # today is day 41 of separation 2
    make_entry(alice, title="Back then", written_on=same_day)
    response = alice_client.get(reverse("home"))
    assert "Day 41 of separation 1 — you ran" in response.text
    assert [e.title for e in response.context["last_separation_entries"]] == ["Back then"]


def test_urge_is_recorded_and_leads_to_a_prompt_not_to_contact(alice_client, alice, story):
    response = alice_client.post(reverse("journal:urge"))
    urge = TimelineEvent.objects.get(user=alice, kind="urge")
    assert urge.occurred_on == alice.today()
    assert response["Location"].startswith(reverse("journal:entry-create") + "?prompt=")
    page = alice_client.get(response["Location"])
    assert "The urge is noted" in page.text
    assert page.context["form"].prompt_text
    rows = alice_client.get(TIMELINE).context["rows"]
    assert rows[0].urges == 1


def test_no_urge_button_outside_a_separation(alice_client, alice):
    event(alice, "meeting", dt.date(2024, 1, 1))
    assert "I feel the urge" not in alice_client.get(reverse("home")).text
    assert Entry.objects.count() == 0
