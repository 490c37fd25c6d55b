"""Dates Mirror takes in: 1900 to a year from today, on every path in (the editor,
autosave, the timeline, filters, import). A slip like 0025 or 9999 is refused with a message
and everything typed is kept; an entry about a day still to come asks first."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from journal.archive.importing import journal_import
from journal.archive.reading import ImportRejected
from journal.dates import latest_date
from journal.models import Draft, Entry, TimelineEvent
from tests.factories import make_entry
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db

CREATE = reverse("journal:entry-create")
AUTOSAVE = reverse("journal:autosave")


def make_zip(files: dict[str, str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    buffer.seek(0)
    return buffer


def entry_file(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\nWords from the archive.\n"


# The editor --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0025-03-14", "9999-12-31", "1899-12-31"])
def test_an_entry_date_outside_the_span_is_refused_and_what_was_typed_kept(alice_client, typed):
    response = alice_client.post(CREATE, {**VALID, "written_on": typed})
    assert response.status_code == 200
    errors = response.context["form"].errors["written_on"]
    assert any("Check the year: Mirror keeps dates from 1 January 1900" in e for e in errors)
    assert f'value="{typed}"' in response.text
    assert "I woke early" in response.text
    assert not Entry.objects.exists()


def test_the_first_day_of_1900_is_a_date_an_entry_can_have(alice_client):
    response = alice_client.post(CREATE, {**VALID, "written_on": "1900-01-01"})
    assert response.status_code == 302
    assert Entry.objects.get().written_on == dt.date(1900, 1, 1)


def test_an_entry_about_a_day_still_to_come_is_saved_once_confirmed(alice_client, alice):
    tomorrow = alice.today() + dt.timedelta(days=1)
    asked = alice_client.post(CREATE, {**VALID, "written_on": tomorrow.isoformat()})
    assert asked.status_code == 200
    assert not Entry.objects.exists()
    assert "is still to come" in asked.context["form"].errors["written_on"][0]
    assert 'name="confirm_future"' in asked.text
    assert "I woke early" in asked.text
    saved = alice_client.post(
        CREATE, {**VALID, "written_on": tomorrow.isoformat(), "confirm_future": "on"}
    )
    assert saved.status_code == 302
    assert Entry.objects.get().written_on == tomorrow


def test_the_confirmation_box_is_not_shown_for_an_ordinary_date(alice_client, alice):
    assert 'name="confirm_future"' not in alice_client.get(CREATE).text
    refused = alice_client.post(CREATE, {**VALID, "body": ""})
    assert 'name="confirm_future"' not in refused.text


def test_editing_an_entry_dated_ahead_does_not_ask_again(alice_client, alice):
    tomorrow = alice.today() + dt.timedelta(days=1)
    entry = make_entry(alice, written_on=tomorrow)
    response = alice_client.post(
        reverse("journal:entry-edit", args=[entry.pk]),
        {**VALID, "written_on": tomorrow.isoformat(), "version": "1"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == VALID["title"]


def test_more_than_a_year_ahead_is_refused_even_when_confirmed(alice_client, alice):
    too_late = latest_date(alice.today()) + dt.timedelta(days=1)
    response = alice_client.post(
        CREATE, {**VALID, "written_on": too_late.isoformat(), "confirm_future": "on"}
    )
    assert response.status_code == 200
    assert "Check the year" in response.context["form"].errors["written_on"][0]
    assert not Entry.objects.exists()


# The timeline --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0025-03-14", "1899-12-31"])
def test_an_event_before_1900_is_refused_beside_the_field(alice_client, typed):
    response = alice_client.post(
        reverse("journal:event-create"), {"kind": "meeting", "occurred_on": typed, "note": "n"}
    )
    assert response.status_code == 200
    assert "Check the year" in response.context["form"].errors["occurred_on"][0]
    assert not TimelineEvent.objects.exists()


# Filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("param", "field"), [("from", "date_from"), ("to", "date_to")])
def test_a_filter_date_outside_the_span_is_explained_and_left_out(
    alice_client, alice, param, field
):
    make_entry(alice, title="Still listed")
    response = alice_client.get(reverse("journal:entry-list"), {param: "0001-01-01"})
    assert response.status_code == 200
    assert "Check the year" in response.context["filters"].errors[field][0]
    assert "Still listed" in response.text


def test_an_export_range_outside_the_span_goes_back_to_the_choices(alice_client):
    response = alice_client.get(reverse("journal:export-zip"), {"to": "9999-12-31"}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("journal:export"))
    assert "Check the year" in response.context["form"].errors["date_to"][0]


# Autosave ------------------------------------------------------------------------------------


def test_autosave_keeps_the_words_but_not_a_date_outside_the_span(alice_client, alice):
    response = alice_client.post(
        AUTOSAVE, {"draft_key": "a" * 32, "body": "Words", "written_on": "0025-03-14"}
    )
    assert response.status_code == 200
    draft = Draft.objects.get(user=alice)
    assert (draft.body, draft.fields["written_on"]) == ("Words", "")


def test_autosave_keeps_a_date_inside_the_span(alice_client, alice):
    alice_client.post(AUTOSAVE, {"draft_key": "a" * 32, "body": "W", "written_on": "2025-03-14"})
    assert Draft.objects.get(user=alice).fields["written_on"] == "2025-03-14"


# Import --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("date: 0025-03-14", "the date 0025-03-14 is outside the dates Mirror keeps"),
        ("date: 9999-12-31", "the date 9999-12-31 is outside the dates Mirror keeps"),
        ("created: 0001-01-01T00:00:00+00:01", "the created time 0001-01-01T00:00:00+00:01 is"),
        ("updated: 9999-12-31T23:59:00-23:59", "the updated time 9999-12-31T23:59:00-23:59 is"),
    ],
)
def test_import_refuses_dates_outside_the_span_and_imports_nothing(alice, line, problem):
    archive = make_zip({"entries/a.md": entry_file("date: 2025-03-14", line)})
    with pytest.raises(ImportRejected) as rejected:
        journal_import(user=alice, archive_file=archive)
    assert any(problem in text for text in rejected.value.problems)
    assert not Entry.objects.exists()


def test_import_refuses_a_timeline_event_outside_the_span(alice):
    archive = make_zip({"timeline.md": "- 0025-03-14 meeting: a slip\n"})
    with pytest.raises(ImportRejected) as rejected:
        journal_import(user=alice, archive_file=archive)
    assert any("outside the dates Mirror keeps" in text for text in rejected.value.problems)
    assert not TimelineEvent.objects.exists()


def test_import_keeps_a_moment_written_with_any_offset(alice):
    line = "created: 2025-03-14T07:00:00-23:59"  # a real moment; PostgreSQL refuses the offset
    files = {"entries/a.md": entry_file("date: 2025-03-14", line)}
    journal_import(user=alice, archive_file=make_zip(files))
    moment = dt.datetime(2025, 3, 14, 7, tzinfo=dt.timezone(-dt.timedelta(hours=23, minutes=59)))
    assert Entry.objects.get().created_at == moment
