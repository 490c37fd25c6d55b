"""The single Markdown document (`journal.md`), streamed, and the print page's groups."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..models import (
    MOOD_LABELS,
    Entry,
)
from ..periods import Period
from ..text import count_text, long_day_text
from ..timeline import Timeline
from .plain import markdown_text
from .selection import CHUNK_SIZE, Selection, entries_with_tags, export_entries, selected_events
from .timeline_file import timeline_list
from .writing import FLUSH_BYTES, periods_by_date, whole_or_failed

# The single document ----------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _period_heading(period: Period, today: dt.date) -> str:
    days = period.days(today)
    if period.start is None:
        span = f"until {period.end}" if period.end else ""
    else:
        span = f"{period.start} to {period.end or 'today'}"
        span += f" · {count_text(days, 'day', 'days')}" if days else ""
    return f"## {period.title}\n\n*{span}*\n\n" if span else f"## {period.title}\n\n"


def entry_section(entry: Entry, tags: list[str]) -> str:
    """An entry inside the single document: title, date and facts (escaped, so they stay
    plain text), then the body unchanged (it is Markdown by design)."""
    facts = []
    if entry.mood:
        facts.append(f"- **Mood:** {entry.mood}/5 · {MOOD_LABELS.get(entry.mood, '')}")
    if entry.feelings:
        facts.append(f"- **Feelings:** {', '.join(entry.feeling_labels())}")
    if entry.stage:
        facts.append(f"- **Stage:** {entry.get_stage_display()}")
    if entry.prompt_text:
        facts.append(f"- **Prompt:** {markdown_text(_one_line(entry.prompt_text))}")
    if tags:
        facts.append(f"- **Tags:** {', '.join(markdown_text(tag) for tag in tags)}")
    head = f"### {markdown_text(_one_line(entry.display_title))}\n\n"
    head += f"*{long_day_text(entry.written_on)} · {entry.get_kind_display()}*\n\n"
    if facts:
        head += "\n".join(facts) + "\n\n"
    return head + entry.body + "\n\n"


MARKDOWN_STOPPED = (
    b"\n\n---\n\n**The export stopped here, before the end: this document is incomplete.** "
    b"Download it again from Export in Mirror.\n"
)


def stream_markdown(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    chunks = _markdown_chunks(user, selection, timeline=timeline)
    return whole_or_failed(chunks, user=user, what="md", ending=MARKDOWN_STOPPED)


def _markdown_chunks(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    entries = export_entries(user, selection)
    count = entries.count()
    name = user.get_short_name()
    parts = [
        f"# Mirror journal of {markdown_text(_one_line(name))}\n\n",
        f"Exported on {timeline.today}: {selection.describe()}, ",
        f"{count_text(count, 'entry', 'entries')}.\n\n",
        "## Timeline\n\n",
        timeline_list(selected_events(timeline, selection), as_text=True),
        "\n",
    ]
    yield "".join(parts).encode()
    parts, size = [], 0
    period_of = periods_by_date(timeline)
    current, first = None, True
    for entry, tags in entries_with_tags(entries):
        period = period_of(entry.written_on)
        if period is not None and period is not current:
            parts.append(_period_heading(period, timeline.today))
        elif period is None and first:
            parts.append("## Entries\n\n")
        current, first = period, False
        text = entry_section(entry, tags)
        parts.append(text)
        size += len(text)
        if size >= FLUSH_BYTES:
            yield "".join(parts).encode()
            parts, size = [], 0
    if count == 0:
        parts.append("No entries in this selection.\n")
    yield "".join(parts).encode()


# The print page ---------------------------------------------------------------------------


@dataclass
class PeriodGroup:
    period: Period | None
    entries: list[Entry] = field(default_factory=list)


def print_groups(user, selection: Selection, *, timeline: Timeline) -> list[PeriodGroup]:
    """The selected entries (with their stored HTML), grouped under their period."""
    entries = (
        selection.filter(Entry.objects.for_user(user))
        .defer("excerpt")
        .prefetch_related("tags")
        .order_by("written_on", "created_at", "id")
    )
    period_of = periods_by_date(timeline)
    groups: list[PeriodGroup] = []
    for entry in entries.iterator(chunk_size=CHUNK_SIZE):
        period = period_of(entry.written_on)
        if not groups or groups[-1].period is not period:
            groups.append(PeriodGroup(period))
        groups[-1].entries.append(entry)
    return groups
