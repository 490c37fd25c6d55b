"""Search in the reader's language: accents and case are ignored, and other forms of a word
are found through its stem (Snowball's stemmers), the same on SQLite and PostgreSQL."""

import pytest
from django.utils import translation

from journal.search import cut_snippet, parse
from tests.factories import make_entry


@pytest.mark.parametrize(
    ("language", "query", "written"),
    [
        ("es", "señales", "Hoy vi una señal en el cielo."),
        ("es", "señal", "Las señales estaban ahí."),
        ("es", "caminar", "Caminé sola junto al mar."),
        ("de", "laufen", "Er läuft immer noch weg."),
        ("de", "Träume", "Ein Traum von dir."),
        ("fr", "marcher", "J'ai marché longtemps."),
        ("pt-br", "saudades", "Sinto uma saudade enorme."),
        ("en", "walks", "Walking by the sea."),
        ("en", "memory", "A memory came back."),  # its stem is "memori"
        ("en", "memory", "Old memories."),
        ("en", "happy", "Happiness, briefly."),
        ("fr", "cafe", "Nous étions au CAFÉ."),
    ],
)
def test_other_forms_of_a_word_are_found_in_the_readers_language(language, query, written):
    terms = parse(query, language).terms
    assert cut_snippet(written, terms), f"{query!r} ({language}) does not find {written!r}"


def test_a_quoted_phrase_keeps_its_words_as_typed():
    assert not cut_snippet("Caminé sola.", parse('"caminar sola"', "es").terms)
    assert cut_snippet("Caminé sola.", parse('"camine sola"', "es").terms)


def test_the_search_page_uses_the_users_language(alice_client, alice):
    alice.language = "es"
    alice.save()
    make_entry(alice, title="Un día", body="Vi tres señales seguidas.")
    with translation.override("en"):
        page = alice_client.get("/entries/?q=señal").content.decode()
    assert "tres <mark>señales</mark>" in page
