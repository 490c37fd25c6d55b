"""The single Markdown document (`journal.md`), streamed, and the print page's groups."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext

from ..models import (
    MOOD_LABELS,
    Entry,
)
from ..periods import Period
from ..text import long_day_text
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
        # Translators: the span of the period before the first meeting: "until 2025-03-14".
        span = gettext("until %(day)s") % {"day": period.end} if period.end else ""
    else:
        if period.end:
            span = gettext("%(first)s to %(last)s") % {"first": period.start, "last": period.end}
        else:
            # Translators: the span of a period that has not ended: "2025-03-14 to today".
            span = gettext("%(first)s to today") % {"first": period.start}
        if days:
            count = ngettext("%(count)s day", "%(count)s days", days) % {"count": intcomma(days)}
            span += f" · {count}"
    return f"## {period.title}\n\n*{span}*\n\n" if span else f"## {period.title}\n\n"


def entry_section(entry: Entry, tags: list[str]) -> str:
    """An entry inside the single document: title, date and facts (escaped, so they stay
    plain text), then the body unchanged (it is Markdown by design)."""
    facts = []  # (label, value)
    if entry.mood:
        mood = f"{entry.mood}/5 · {MOOD_LABELS.get(entry.mood, '')}"
        facts.append((gettext("Mood:"), mood))
    if entry.feelings:
        facts.append((gettext("Feelings:"), ", ".join(entry.feeling_labels())))
    if entry.stage:
        # Translators: the stage of the connection the user felt they were in.
        facts.append((gettext("Stage:"), entry.get_stage_display()))
    if entry.prompt_text:
        # Translators: the question an entry answers.
        facts.append((gettext("Prompt:"), markdown_text(_one_line(entry.prompt_text))))
    if tags:
        facts.append((gettext("Tags:"), ", ".join(markdown_text(tag) for tag in tags)))
    head = f"### {markdown_text(_one_line(entry.display_title))}\n\n"
    head += f"*{long_day_text(entry.written_on)} · {entry.get_kind_display()}*\n\n"
    if facts:
        head += "\n".join(f"- **{label}** {value}" for label, value in facts) + "\n\n"
    return head + entry.body + "\n\n"


def _stopped() -> bytes:
    """The last line of a document whose export stopped part way."""
    return "\n\n---\n\n**{}** {}\n".format(
        gettext("The export stopped here, before the end: this document is incomplete."),
        gettext("Download it again from Export in Mirror."),
    ).encode()


def stream_markdown(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    chunks = _markdown_chunks(user, selection, timeline=timeline)
    return whole_or_failed(chunks, user=user, what="md", ending=_stopped())


def _markdown_chunks(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    entries = export_entries(user, selection)
    count = entries.count()
    name = user.get_short_name()
    title = gettext("Mirror journal of %(name)s") % {"name": markdown_text(_one_line(name))}
    exported = ngettext(
        "Exported on %(day)s: %(selection)s, %(count)s entry.",
        "Exported on %(day)s: %(selection)s, %(count)s entries.",
        count,
    ) % {"day": timeline.today, "selection": selection.describe(), "count": intcomma(count)}
    parts = [
        f"# {title}\n\n",
        f"{exported}\n\n",
        # Translators: a heading of the exported journal.md: the user's timeline of events.
        "## " + gettext("Timeline") + "\n\n",
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
            # Translators: a heading of the exported journal.md, above the journal's entries.
            parts.append("## " + gettext("Entries") + "\n\n")
        current, first = period, False
        text = entry_section(entry, tags)
        parts.append(text)
        size += len(text)
        if size >= FLUSH_BYTES:
            yield "".join(parts).encode()
            parts, size = [], 0
    if count == 0:
        parts.append(gettext("No entries in this selection.") + "\n")
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
