"""Search over an entry's title, body and tags, in Python.

The words are sealed in the database (journal/sealed.py), so it holds no index of them: a
search reads the entries its filters leave, opens each one's search text (models.SearchText:
its title, tags and body, folded when they were written, one sealed value) and looks. A
ten-year journal (3,650 entries, about 11 MB) takes well under 100 ms (`bench/search.py`);
nothing about the words is kept between requests outside the database's sealed values.

What a query can say, as in a web search box:
- words: each must begin a word of the entry (`walk` finds "walking"; `art` does not find
  "heart"), in any case and with or without accents (`cafe` finds "Café"); a word is
  first cut to its stem in the reader's language (Snowball's stemmers), so other forms of
  it are found too: `señales` finds "señal", `laufen` finds "läuft", `walks` finds
  "walking" (forms that change their stem, like "lief", are not);
- "a quoted phrase": its words in that order;
- `-word` or `-"a phrase"`: entries without it;
- `or` between two terms: either will do.

Results are ranked: a term in the title counts most, then in the tags, then each time in
the body (up to a point); equal ranks come newest first. Snippets are cut around the first
term found and mark every term. Any input is safe: it only ever becomes escaped patterns.
"""

import codecs
import re
import unicodedata
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache

import psycopg
import snowballstemmer
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from psycopg.adapt import Loader
from psycopg.pq import Format

from .markdown import highlight
from .sealing import keyring_for, opener

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
START, STOP = "\x02", "\x03"  # markers the highlighter turns into <mark>

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_CHARS = re.compile(r"\w")
# Accents and other marks that combine with the letter before them, once NFKD has taken
# them apart: dropped, so `cafe` and `café` are one word.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Where words are not separated by spaces (Chinese, Japanese, Thai…), a term may start
# anywhere; elsewhere it must start a word.
_SPACED_SCRIPTS_END = 0x0E00

# How much each place counts towards the rank, and how many hits in each count at most.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 8, 4, 1
MAX_BODY_HITS = 10


# Snowball's stemmer for each language of settings.LANGUAGES.
STEMMERS = {
    "en": "english",
    "es": "spanish",
    "pt-br": "portuguese",
    "de": "german",
    "fr": "french",
}
MIN_STEM = 3  # a shorter stem would find too much ("ran" stays "ran")


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = STEMMERS.get(language) or STEMMERS[settings.LANGUAGE_CODE]
    return snowballstemmer.stemmer(name)


def stem(word: str, language: str) -> str:
    """The word's stem in `language`, folded; the folded word when the stem is too short."""
    cut = _stemmer(language).stemWord(word.casefold())
    return fold(cut) if len(cut) >= MIN_STEM else fold(word)


# Which `fold` made a stored search text (models.SearchText): a change to folding bumps it,
# and searches make the older ones again.
FOLDED_BY = 1


def searched_words(title: str, tags: str, body: str) -> str:
    """An entry's words as a search reads them: folded, its title, tags and body apart by
    NUL, which no stored words hold (refused on the way in: config/middleware.py;
    PostgreSQL cannot store it) and no term matches."""
    return fold(f"{title}\0{tags}\0{body}")


def fold(text: str) -> str:
    """Text as search compares it: case folded, accents dropped.

    Only the characters that are not ASCII need the Unicode work, and in a journal they are
    a few accented letters and typographic quotes among thousands of plain ones: encoding
    to ASCII hands each run of them to `_fold_run` (an error handler, registered below) and
    copies the rest in C, four times faster over a journal than folding the whole text. A
    run is everything between two ASCII characters, so combining marks stay with each other
    and are ordered and dropped as when the whole text is folded."""
    if text.isascii():
        return text.lower()
    return text.encode("ascii", _FOLD_ERRORS).decode().lower()


@lru_cache(maxsize=4096)
def _folded_run(run: str) -> bytes:
    return _MARKS.sub("", unicodedata.normalize("NFKD", run.casefold())).encode()


def _fold_run(error: UnicodeEncodeError) -> tuple[bytes, int]:
    return _folded_run(error.object[error.start : error.end]), error.end


_FOLD_ERRORS = "mirror-search-fold"
codecs.register_error(_FOLD_ERRORS, _fold_run)


@dataclass(frozen=True)
class Term:
    """A word or a phrase, folded, and the pattern that finds it in folded text."""

    text: str
    pattern: re.Pattern
    needle: str  # text every match holds: its longest word (a stemmed word's start)

    @classmethod
    def of(cls, raw: str, language: str = "", *, phrase: bool = False) -> "Term | None":
        """A term of the query; a single word (not a quoted phrase) is cut to its stem in
        `language`, so that it finds the other forms of the word."""
        words = fold(raw).split()
        endings = [""]  # what may follow the first word's literal start
        if language and not phrase and len(words) == 1 and len(raw.split()) == 1:
            # The stem, or the word as typed where the stemmer changed its end (memory is
            # cut to "memori", which finds "memories" but not "memory").
            cut = stem(raw.strip(), language)
            start = _common_start(cut, words[0])
            if start:
                tails = {cut[len(start) :], words[0][len(start) :]}
                words, endings = [start], ([""] if "" in tails else sorted(tails))
        text = " ".join(words)
        if not text or not _WORD_CHARS.search(text):
            return None
        escaped = [re.escape(word) for word in words]
        first = text[0]
        if first.isalnum() and ord(first) < _SPACED_SCRIPTS_END:
            # "Starts a word", checked once the first word is found: a pattern that begins
            # with its literal lets the regex engine jump from one candidate to the next
            # (30 times faster over a journal than a look-behind in front).
            escaped[0] = f"{escaped[0]}(?<!\\w{escaped[0]})"
        if endings != [""]:
            escaped[0] += "(?:" + "|".join(map(re.escape, endings)) + ")"
        if len(escaped) == 1 and not phrase:
            escaped[0] += r"\w*"  # the whole word it begins, marked whole in a snippet
        return cls(text, re.compile(r"\s+".join(escaped)), max(words, key=len))


def _common_start(a: str, b: str) -> str:
    size = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return a[:size]


@dataclass
class Query:
    """Every group must match (a group is one term, or terms joined by `or`), and no
    excluded term may."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def clean_query(raw: str) -> str:
    return " ".join((raw or "")[:MAX_QUERY_LENGTH].split())


def parse(raw: str, language: str | None = None) -> Query | None:
    """The query a person typed, or None when it asks for nothing (no letter or digit).
    Its words are stemmed in `language`, the request's by default."""
    language = language or get_language() or settings.LANGUAGE_CODE
    query, joining, count = Query(), False, 0
    for minus, phrase, word in _TOKEN.findall(clean_query(raw)):
        if word and word.lower() == "or":
            joining = bool(query.groups)
            continue
        excluded = bool(minus) or (word.startswith("-") and len(word) > 1)
        text = phrase if not word else word.lstrip("-") if excluded else word
        term = Term.of(text, language, phrase=not word)
        if term is None or count == MAX_TERMS:
            joining = False
            continue
        count += 1
        if excluded:
            query.excluded.append(term)
        elif joining:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        joining = False
    return query if query.groups else None


def ranked_ids(entries: QuerySet, query: Query) -> list:
    """The ids (as hex) of `entries` (one user's, filtered) that match, best first.

    Each entry's words come from its search text (models.SearchText): one sealed value,
    folded when it was written. An entry whose search text is missing (its words changed
    since) is read and folded here, and its search text written again."""
    from .search_text import SearchText

    table = SearchText._meta.db_table
    # Newest first from the database; among equal ranks, that order is kept.
    newest_first = entries.order_by("-written_on", "-created_at", "-pk")
    rows = QuerySet.values_list(
        newest_first, "pk", "user_id", "search_text__folded_by", "search_text__text"
    )
    openers: dict[int, Callable] = {}  # the entries are one user's: one opener
    found, missing = [], {}
    for position, (pk, owner, folded_by, sealed) in enumerate(_raw_rows(rows)):
        row = pk if isinstance(pk, str) else pk.hex  # SQLite gives the hex as stored
        if folded_by != FOLDED_BY:
            missing[row] = position
            continue
        opened = openers.get(owner) or openers.setdefault(
            owner, opener(table, "text", owner, keyring_for(owner))
        )
        rank = _rank(query, opened(sealed, row))
        if rank is not None:
            found.append((-rank, position, row))
    for row, words in _searched_again(entries, missing):
        rank = _rank(query, words)
        if rank is not None:
            found.append((-rank, missing[row], row))
    found.sort()
    return [row for _, _, row in found]


def _searched_again(entries: QuerySet, rows: dict) -> list[tuple[str, str]]:
    """The words of the entries whose search text is missing (`rows`: hex id → position),
    read from the entries, and their search text written again. On PostgreSQL the
    entries stay locked until it is written, so an edit made meanwhile waits, and then its
    trigger deletes what was written from the words before it. SQLite lets one connection
    write at a time: a write that would have to wait is left to the next search."""
    from .search_text import SEARCHED, SearchText

    if not rows:
        return []
    with transaction.atomic(using=entries.db):
        read = entries.filter(pk__in=list(rows)).order_by().select_for_update(of=("self",))
        made = SearchText.made_from(read.only(*SEARCHED))
        try:
            with transaction.atomic(using=entries.db):
                SearchText.store(made)
        except OperationalError:  # SQLite: another connection is writing
            pass
    return [(row.entry_id.hex, row.text) for row in made]


def _raw_rows(rows: QuerySet, chunk: int = 200):
    """The rows of a `values_list` as the database driver gives them: a whole journal's
    ids are not turned into UUIDs only to be turned back into text, and its sealed words
    come as bytes. PostgreSQL sends them in the binary protocol (half the size of bytea as
    text) and in chunks as it reads them (libpq's chunked mode): the server reads the next
    rows while these are opened, instead of the whole journal first (about 15 ms less)."""
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    connection = connections[rows.db]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.adapters.register_loader("uuid", _HexUUIDLoader)
            # Closed even when the caller stops early: a stream left open would keep the
            # connection busy.
            with closing(cursor.stream(sql, params, binary=True, size=chunk)) as stream:
                yield from stream
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk):
            yield from batch


class _HexUUIDLoader(Loader):
    """An id as the hex that sealed words are bound to, straight from its 16 bytes (a
    UUID object's `hex` took 4 ms over a journal)."""

    format = Format.BINARY

    def load(self, data) -> str:
        return data.hex()


def _rank(query: Query, text: str) -> int | None:
    """How well an entry's folded words (title, tags and body apart by NUL) match, or None
    when they do not. Most entries of a journal do not hold a term at all, which a plain
    substring test (the term's `needle`) tells at a fraction of the pattern's cost."""
    for term in query.excluded:
        if term.needle in text and term.pattern.search(text):
            return None
    for group in query.groups:
        if not any(term.needle in text for term in group):
            return None
    title_end = text.index("\0")
    tags_end = text.index("\0", title_end + 1)
    rank = 0
    for group in query.groups:
        hits = sum(_hits(term, text, title_end, tags_end) for term in group)
        if not hits:
            return None
        rank += hits
    return rank


def _hits(term: Term, text: str, title_end: int, tags_end: int) -> int:
    """The weighted count of the term in an entry's title, tags and body (the body's first
    MAX_BODY_HITS). `findall` counts in C: a loop over the matches in Python took twice as
    long where a word is in every entry."""
    pattern = term.pattern
    hits = BODY_WEIGHT * min(MAX_BODY_HITS, len(pattern.findall(text, tags_end)))
    if text.find(term.needle, 0, tags_end) != -1:  # in the title or the tags: seldom
        hits += TITLE_WEIGHT * len(pattern.findall(text, 0, title_end))
        hits += TAGS_WEIGHT * len(pattern.findall(text, title_end, tags_end))
    return hits


def add_snippets(entries: list, query: Query) -> None:
    """Give each entry on the page a `snippet`: the passage that matched, marked up."""
    for entry in entries:
        text = cut_snippet(entry.body, query.terms)
        entry.snippet = highlight(text, START, STOP) if text else None


SNIPPET_SCAN = 20_000  # characters of a body a snippet is looked for in


def cut_snippet(body: str, terms: list[Term], radius: int = 90) -> str:
    """The passage of `body`, its whitespace folded, about `radius` characters either side
    of the first term found, with every term in it marked; "" when none is found."""
    text = body[:SNIPPET_SCAN]
    folded, origin = _fold_mapped(text)
    spans = sorted(
        (origin[m.start()], origin[m.end() - 1] + 1)
        for term in terms
        for m in term.pattern.finditer(folded)
    )
    if not spans:
        return ""
    first = spans[0][0]
    # Raw text three radii either side: folding its whitespace leaves at least one.
    start, end = max(0, first - 3 * radius), min(len(body), first + 3 * radius)
    parts, position = [], start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue  # overlaps the one before, or runs past the window
        parts += [body[position:span_start], START, body[span_start:span_end], STOP]
        position = span_end
    parts.append(body[position:end])
    window = " ".join("".join(parts).split())
    hit = window.index(START)
    cut_from, cut_to = max(0, hit - radius), hit + radius
    snippet = window[cut_from:cut_to]
    if snippet.count(START) > snippet.count(STOP):
        snippet += STOP  # a mark cut short is closed
    return (
        ("…" if cut_from > 0 or start > 0 else "")
        + snippet
        + ("…" if cut_to < len(window) or end < len(body) else "")
    )


def _fold_mapped(text: str) -> tuple[str, list[int] | range]:
    """`fold(text)`, and for each of its characters the index of the one it came from."""
    folded = fold(text)
    if text.isascii() or all(len(fold(char)) == 1 for char in set(text) if not char.isascii()):
        return folded, range(len(text))  # one for one (accented letters written whole)
    parts, origin = [], []
    for index, char in enumerate(text):
        folded = fold(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin
