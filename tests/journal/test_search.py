"""Full-text search, on SQLite and on PostgreSQL (CI runs this file on both)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Entry
from journal.search import START, STOP, cut_snippet, fold, parse
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

LIST = reverse("journal:entry-list")


@pytest.fixture
def journal(alice, bob):
    make_entry(
        alice,
        title="The lighthouse",
        body="We walked to the lighthouse and I felt the old fear return.",
        written_on=dt.date(2025, 1, 3),
        kind="dream",
    )
    make_entry(
        alice,
        title="Quiet morning",
        body="Tea, rain on the window, and no message. I am learning patience.",
        written_on=dt.date(2025, 2, 1),
        tags=["patience", "mornings"],
    )
    make_entry(
        alice,
        title="",
        body="A letter I will not send: the lighthouse keeps its light for nobody.",
        written_on=dt.date(2025, 3, 1),
        kind="letter",
    )
    make_entry(bob, title="Bob's lighthouse", body="Bob wrote about a lighthouse too.")


def found(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(entry.body[:12] for entry in _entries(response))


def _entries(response):
    return [Entry.objects.get(pk=e.pk) for e in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lighthouse", ["A letter I w", "We walked to"]),
        ("LIGHTHOUSE", ["A letter I w", "We walked to"]),
        ("rain", ["Tea, rain on"]),
        ("lighthouse fear", ["We walked to"]),  # every word must match
        ('"no message"', ["Tea, rain on"]),  # a quoted phrase
        ("mornings", ["Tea, rain on"]),  # tags are searched
        ("quiet", ["Tea, rain on"]),  # titles are searched
        ("nothing-like-this", []),
    ],
)
def test_search_finds_plain_words_and_phrases(alice_client, journal, query, expected):
    assert found(alice_client, q=query) == expected


def test_search_combines_with_other_filters(alice_client, journal):
    assert found(alice_client, q="lighthouse", kind="letter") == ["A letter I w"]
    assert found(alice_client, q="lighthouse", to="2025-02-01") == ["We walked to"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!! ??? ...",
        '"',
        "'; DROP TABLE journal_entry; --",
        "lighthouse' OR 1=1 --",
        "a" * 10_000,
        "(((",
        "& | ! :*",
        "-",
        "or",
    ],
)
def test_odd_queries_never_fail(alice_client, journal, query):
    response = alice_client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert Entry.objects.count() == 4  # nothing was dropped


def test_a_nul_character_in_the_query_is_refused_not_a_500(alice_client, journal):
    # PostgreSQL cannot compare text with a NUL in it: the request never reaches the search.
    assert alice_client.get(LIST, {"q": "a\x00b"}).status_code == 400


def test_search_only_sees_the_users_entries(bob_client, journal):
    assert found(bob_client, q="lighthouse") == ["Bob wrote ab"]


def test_results_show_highlighted_snippets_that_are_escaped(alice_client, alice):
    make_entry(alice, body="Before <script>alert(1)</script> the tide came in slowly.")
    response = alice_client.get(LIST, {"q": "tide"})
    (entry,) = response.context["page"].object_list
    assert "<mark>tide</mark>" in str(entry.snippet)
    assert "<script>" not in response.text


def test_search_is_ranked_the_same_on_every_database(alice_client, alice):
    make_entry(alice, title="once", body="The sea. Then other things entirely.")
    make_entry(alice, title="often", body="The sea, the sea, the sea and the sea again.")
    make_entry(alice, title="By the sea", body="Nothing else here.")
    titles = [e.title for e in alice_client.get(LIST, {"q": "sea"}).context["page"].object_list]
    assert titles == ["By the sea", "often", "once"]  # a title counts most, then each time


def test_a_tag_counts_more_than_the_body_and_the_body_counts_up_to_a_point(alice_client, alice):
    make_entry(alice, title="a", body="tide " * 40)  # ten times at most: 10
    make_entry(alice, title="b", body="tide once, and a tag", tags=["tide"])  # 4 + 1
    make_entry(alice, title="c", body="tide, tide, tide and tide.")  # 4
    make_entry(alice, title="tide", body="and nothing else")  # 8
    make_entry(alice, title="d", body="the riptide is not the word")
    titles = [e.title for e in alice_client.get(LIST, {"q": "tide"}).context["page"].object_list]
    assert titles == ["a", "tide", "b", "c"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Plain ASCII, Mixed Case", "plain ascii, mixed case"),
        ("CAFÉ crème", "cafe creme"),  # accented letters written whole
        ("CAFE\u0301 cre\u0300me", "cafe creme"),  # …or as a letter and a mark
        ("Straße", "strasse"),  # case folding may lengthen a word
        ("ΟΔΟΣ", "οδοσ"),  # a final sigma is a sigma
        ("the ﬁrst ①", "the first 1"),  # compatibility forms come apart
        ("“quoted” — said", "“quoted” — said"),  # punctuation stays
        ("夜の海 Umi", "夜の海 umi"),
    ],
)
def test_search_folds_case_and_accents_wherever_they_are(text, folded):
    assert fold(text) == folded
    # The same whether a text is folded whole or word by word.
    assert fold(text) == " ".join(fold(word) for word in text.split(" "))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", ["Café at noon"]),  # accents are ignored, both ways
        ("CAFÉ", ["Café at noon"]),
        ("naïve", ["naive hope, "]),
        ("walk", ["We walked to"]),  # a word's beginning finds its other endings
        ("alked", []),  # …but not its middle
        ("lighthouse -fear", ["A letter I w"]),  # -word leaves out what holds it
        ('lighthouse -"old fear"', ["A letter I w"]),
        ("rain or dream", ["Tea, rain on"]),  # either will do
        ("patience or keeps", ["A letter I w", "Tea, rain on"]),
        ('"rain on the window"', ["Tea, rain on"]),
        ('"window rain"', []),  # a phrase keeps its order
    ],
)
def test_search_ignores_accents_and_understands_the_search_box(
    alice_client, alice, journal, query, expected
):
    make_entry(alice, title="", body="Café at noon, alone.", written_on=dt.date(2025, 4, 1))
    make_entry(alice, title="", body="naive hope, again", written_on=dt.date(2025, 4, 2))
    assert found(alice_client, q=query) == expected


def test_a_search_reads_no_more_queries_for_a_longer_journal(alice_client, alice):
    for n in range(3):
        make_entry(alice, body=f"The lighthouse, {n}.")
    with CaptureQueriesContext(connection) as few:
        alice_client.get(LIST, {"q": "lighthouse"})
    for n in range(40):
        make_entry(alice, body=f"The lighthouse again, {n}.")
    with CaptureQueriesContext(connection) as many:
        response = alice_client.get(LIST, {"q": "lighthouse"})
    assert response.context["page"].paginator.count == 43
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_snippet_from_deep_in_a_long_entry_is_cut_around_the_word():
    body = "calm " * 2000 + "the tide\n\n  turned " + "still " * 2000
    snippet = cut_snippet(body, parse("tide").terms)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert f"the {START}tide{STOP} turned" in snippet
    assert len(snippet) < 200
    # A phrase broken across lines is found once whitespace is folded.
    assert f"{START}tide turned{STOP}" in cut_snippet(body, parse('"tide turned"').terms)
    assert cut_snippet(body, parse("absent").terms) == ""


def test_a_snippet_marks_the_words_as_written_whatever_their_accents():
    snippet = cut_snippet("Nous étions au CAFÉ, près de l'église.", parse("cafe eglise").terms)
    assert snippet == f"Nous étions au {START}CAFÉ{STOP}, près de l'{START}église{STOP}."


def test_a_snippet_marks_the_right_letters_when_folding_changes_lengths():
    # ß folds to two letters and a combining mark to none: the mark is still put around
    # the word as written.
    text = "Die Straße war leer, und das Cafe\u0301 auch."
    snippet = cut_snippet(text, parse("leer", "de").terms)
    assert snippet == f"Die Straße war {START}leer{STOP}, und das Cafe\u0301 auch."


def test_a_page_of_results_is_read_by_id_for_its_owner_only(alice, bob):
    mine, theirs = make_entry(alice), make_entry(bob)
    assert list(Entry.objects.for_user_with_ids(alice, [mine.pk, theirs.pk])) == [mine]
    assert not Entry.objects.for_user_with_ids(AnonymousUser(), [mine.pk]).exists()
    if connection.vendor == "sqlite":  # without statistics, by key and not by owner
        sql, params = Entry.objects.for_user_with_ids(alice, [mine.pk]).query.sql_with_params()
        with connection.cursor() as cursor:
            plan = cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        assert "(id=?)" in str(plan)
