"""The list of entries: newest first, paginated, filtered, friendly when empty."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_entry

pytestmark = pytest.mark.django_db

LIST = reverse("journal:entry-list")


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["page"].object_list]


def test_empty_journal_shows_a_first_step(alice_client):
    response = alice_client.get(LIST)
    assert response.context["journal_is_empty"]
    assert "Your journal is waiting for its first page." in response.text
    assert reverse("journal:entry-create") in response.text


def test_entries_are_newest_first(alice_client, alice):
    make_entry(alice, title="old", written_on=dt.date(2024, 1, 1))
    make_entry(alice, title="new", written_on=dt.date(2025, 1, 1))
    make_entry(alice, title="middle", written_on=dt.date(2024, 6, 1))
    assert titles(alice_client.get(LIST)) == ["new", "middle", "old"]


def test_pagination_keeps_filters(alice_client, alice, settings):
    settings.ENTRIES_PER_PAGE = 3
    for day in range(1, 8):
        make_entry(alice, title=f"d{day}", kind="dream", written_on=dt.date(2025, 1, day))
    make_entry(alice, title="reflection", written_on=dt.date(2025, 2, 1))
    first = alice_client.get(LIST, {"kind": "dream"})
    assert titles(first) == ["d7", "d6", "d5"]
    assert "kind=dream&amp;page=2" in first.text
    third = alice_client.get(LIST, {"kind": "dream", "page": 3})
    assert titles(third) == ["d1"]
    assert "Page 3 of 3" in third.text
    # A page past the end shows the last page rather than an error.
    assert titles(alice_client.get(LIST, {"kind": "dream", "page": 99})) == ["d1"]
    assert titles(alice_client.get(LIST, {"kind": "dream", "page": "x"})) == ["d7", "d6", "d5"]


@pytest.fixture
def journal(alice):
    make_entry(alice, title="dream", kind="dream", mood=4, written_on=dt.date(2025, 1, 5))
    make_entry(
        alice,
        title="letter",
        kind="letter",
        mood=1,
        stage="crisis",
        tags=["family"],
        written_on=dt.date(2025, 2, 10),
    )
    make_entry(
        alice,
        title="sign",
        kind="sign",
        stage="surrender",
        tags=["family", "signs"],
        written_on=dt.date(2025, 3, 20),
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "dream"}, ["dream"]),
        ({"stage": "crisis"}, ["letter"]),
        ({"stage": "running/chasing"}, []),
        ({"mood": "1"}, ["letter"]),
        ({"tag": "family"}, ["sign", "letter"]),
        ({"tag": "#Family"}, ["sign", "letter"]),
        ({"tag": "signs"}, ["sign"]),
        ({"from": "2025-02-01"}, ["sign", "letter"]),
        ({"to": "2025-02-10"}, ["letter", "dream"]),
        ({"from": "2025-02-01", "to": "2025-02-28"}, ["letter"]),
        ({"tag": "family", "kind": "sign"}, ["sign"]),
        ({}, ["sign", "letter", "dream"]),
    ],
)
def test_filters(alice_client, journal, params, expected):
    assert titles(alice_client.get(LIST, params)) == expected


@pytest.mark.parametrize(
    "params",
    [{"kind": "novel"}, {"mood": "9"}, {"from": "2025-02-30"}, {"stage": "<script>"}],
)
def test_invalid_filters_are_explained_and_ignored(alice_client, journal, params):
    response = alice_client.get(LIST, params)
    assert response.status_code == 200
    assert titles(response) == ["sign", "letter", "dream"]
    assert response.context["filters"].errors
    assert 'aria-invalid="true"' in response.text


def test_reversed_dates_are_explained(alice_client, journal):
    response = alice_client.get(LIST, {"from": "2025-03-01", "to": "2025-01-01"})
    assert "swap the two dates" in response.text


def test_filters_with_no_match_say_so(alice_client, journal):
    response = alice_client.get(LIST, {"kind": "dream", "mood": "1"})
    assert titles(response) == []
    assert "No entries match these filters." in response.text
    assert not response.context["journal_is_empty"]


def test_list_shows_tags_with_counts(alice_client, journal):
    tags = dict(alice_client.get(LIST).context["tags"])
    assert tags == {"family": 2, "signs": 1}


def test_list_query_count_does_not_grow_with_the_journal(
    alice_client, alice, django_assert_max_num_queries
):
    for day in range(1, 21):
        make_entry(alice, title=f"d{day}", tags=["a", "b"], written_on=dt.date(2025, 1, day))
    alice_client.get(LIST)  # the first request after login also records the session
    with django_assert_max_num_queries(8):
        alice_client.get(LIST)
