"""Full-text search over an entry's title, body and tags.

On PostgreSQL: `websearch_to_tsquery` (quoted phrases, several words, `-word`, `or`),
ranked, served by a GIN index on exactly the expression below. On SQLite: every word or
quoted phrase must appear (case-insensitive) in the title, body or tags; newest first.
Snippets are cut in Python around the first word found as typed; on PostgreSQL, an entry
that matched only through another form of a word gets its snippet from `ts_headline`. Plain
words give the same entries on both. Any input is safe: it is only ever passed as a query
parameter.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField
from django.db.models.functions import Substr

from .markdown import highlight

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
CONFIG = "english"
START, STOP = "\x02", "\x03"  # markers the highlighter turns into <mark>

# The vector of title, body and tags, kept by PostgreSQL itself in a generated column
# (migration 0007) and indexed; queries read the column, so ranking parses nothing again.
_VECTOR_SQL = (
    "to_tsvector('english'::regconfig, "
    "coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(tags_text, ''))"
)
SEARCH_COLUMN_SQL = (
    "ALTER TABLE journal_entry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_VECTOR_SQL}) STORED"
)
SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS entry_search_idx ON journal_entry USING GIN (search_vector)"
)
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD_CHARS = re.compile(r"\w", re.UNICODE)


class EntryVector(Func):
    """The stored, indexed search vector (a column Django's model does not declare)."""

    template = "%(table)s.search_vector"
    output_field = TextField()
    arity = 0

    def as_sql(self, compiler, connection, **extra):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return super().as_sql(compiler, connection, table=table, **extra)


class Matches(Func):
    """`vector @@ query`, usable directly as a filter condition (so the index serves)."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def clean_query(raw: str) -> str:
    return " ".join((raw or "")[:MAX_QUERY_LENGTH].split())


def terms(query: str) -> list[str]:
    """Words and quoted phrases that hold at least one letter or digit."""
    found = []
    for phrase, word in _TERM.findall(query):
        term = " ".join((phrase or word).split()).strip("\"'")
        if term and _WORD_CHARS.search(term) and term.lower() not in {"or", "-"}:
            found.append(term.lstrip("-"))
    return found[:MAX_TERMS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search(entries: QuerySet, raw_query: str) -> tuple[QuerySet, bool]:
    """Entries matching the query, and whether they come ranked (best first)."""
    query = clean_query(raw_query)
    if not terms(query):
        return entries.none(), False
    if is_postgresql():
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            entries.filter(Matches(EntryVector(), search_query))
            .annotate(search_rank=SearchRank(EntryVector(), search_query))
            .order_by("-search_rank", "-written_on", "-created_at"),
            True,
        )
    condition = Q()
    for term in terms(query):
        condition &= (
            Q(title__icontains=term) | Q(body__icontains=term) | Q(tags_text__icontains=term)
        )
    return entries.filter(condition), False


def add_snippets(entries: list, raw_query: str, model) -> None:
    """Give each entry on the page a `snippet`: the passage that matched, marked up."""
    query = clean_query(raw_query)
    if not entries or not terms(query):
        return
    words = terms(query)
    # The passage around the first word found as typed, cut in Python (on PostgreSQL too:
    # much cheaper than ts_headline, which parses every body again).
    if any("body" in entry.get_deferred_fields() for entry in entries):
        bodies = dict(
            model.objects.filter(pk__in=[e.pk for e in entries]).values_list("pk", "body")
        )
    else:
        bodies = {entry.pk: entry.body for entry in entries}
    found = {pk: _cut_snippet(body, words) for pk, body in bodies.items()}
    # PostgreSQL also matches other forms of a word ("ran" for "running"): those passages
    # come from ts_headline.
    unfound = [pk for pk, text in found.items() if not text]
    if unfound and is_postgresql():
        rows = model.objects.filter(pk__in=unfound).annotate(
            headline=SearchHeadline(
                Substr(F("body"), 1, 20000),
                SearchQuery(query, config=CONFIG, search_type="websearch"),
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        found.update(rows.values_list("pk", "headline"))
    for entry in entries:
        text = found.get(entry.pk) or ""
        entry.snippet = highlight(text, START, STOP) if START in text else None


def _cut_snippet(body: str, words: list[str], radius: int = 90) -> str:
    """The passage of `body`, its whitespace folded, `radius` characters either side of the
    first of `words` found (case-insensitive), with every one of them marked."""
    lowered = body.lower()
    hits = [position for word in words if (position := lowered.find(word.lower())) >= 0]
    if hits:  # fold only the surroundings of the first word found, not a long entry's all
        first = min(hits)
        start, end = max(0, first - _FOLD_MARGIN), first + _FOLD_MARGIN
        window, cut_before, cut_after = body[start:end], start > 0, end < len(body)
    else:  # a phrase broken across lines is found once the whitespace is folded
        window, cut_before, cut_after = body, False, False
    text = " ".join(window.split())
    lowered = text.lower()
    positions = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    if not positions:
        return ""
    first = min(positions)
    start, end = max(0, first - radius), min(len(text), first + radius)
    window = text[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window)
    return (
        ("…" if start or cut_before else "")
        + marked
        + ("…" if end < len(text) or cut_after else "")
    )


_FOLD_MARGIN = 1000  # raw characters either side: far more than `radius` once folded
