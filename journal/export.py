"""The Markdown export format of DESIGN.md: writing it, streamed, and reading it back.

An entry file is a YAML front matter block between two `---` lines, then the body exactly as
written. The front matter is written here, line by line, not by a YAML library: every key is
always present, in the order of DESIGN.md; a value that is not set is left empty (`title:`,
`mood:`), an empty list is `[]`. A string is written plain when any YAML parser reads it back
as that same string, and otherwise double-quoted with escapes (JSON-style), so titles, prompts
and tags holding colons, quotes, `#`, leading dashes, emoji or line breaks stay valid YAML and
every key stays on one line. Reading uses `yaml.safe_load`'s safe constructors with only the
null resolver, so `title: yes` is the text "yes", and a tag that would build an object fails.

`timeline.md` is a Markdown list, one item per event, that a person reads and `parse_timeline`
reads back (see TIMELINE_HELP).

The zip and the single document are generators of bytes: entries are read from the database
in chunks (with their tags, one query per chunk), and the zip is written by the standard
library into a small buffer that is handed out and emptied as it fills, so memory stays
bounded however long the journal is.
"""

import datetime as dt
import logging
import re
import traceback
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, islice

import yaml
from django.db.models import QuerySet
from django.utils.text import slugify

from .dates import in_range, span_text
from .models import (
    BODY_MAX_LENGTH,
    MOOD_LABELS,
    Entry,
    EventKind,
    Feeling,
    Initiator,
    Stage,
    TimelineEvent,
)
from .periods import Period
from .timeline import Timeline

CHUNK_SIZE = 250  # entries read (and their tags) per database round trip
FLUSH_BYTES = 64 * 1024  # hand out what is written once this much has gathered
# Fast deflate: on journal text, 3% larger than the default level, and cheaper per member.
ZIP_LEVEL = 1
SLUG_MAX_LENGTH = 60
EXPORT_FIELDS = (
    "id", "title", "body", "written_on", "kind", "mood", "feelings", "stage", "prompt_text",
    "created_at", "updated_at",
)  # fmt: skip


# Selection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to export: everything, one period, a date range, or a range inside a period."""

    period: Period | None = None
    start: dt.date | None = None  # the `from` query parameter
    end: dt.date | None = None  # the `to` query parameter

    @property
    def first_day(self) -> dt.date | None:
        days = [d for d in (self.start, self.period and self.period.start) if d]
        return max(days, default=None)

    @property
    def last_day(self) -> dt.date | None:
        days = [d for d in (self.end, self.period and self.period.end) if d]
        return min(days, default=None)

    @property
    def is_everything(self) -> bool:
        return self.period is None and self.start is None and self.end is None

    def contains(self, day: dt.date) -> bool:
        first, last = self.first_day, self.last_day
        return (first is None or first <= day) and (last is None or day <= last)

    def filter(self, entries: QuerySet) -> QuerySet:
        if self.first_day:
            entries = entries.filter(written_on__gte=self.first_day)
        if self.last_day:
            entries = entries.filter(written_on__lte=self.last_day)
        return entries

    def describe(self) -> str:
        if self.is_everything:
            return "the whole journal"
        span = _span(self.first_day, self.last_day)
        return f"{self.period.title}, {span}" if self.period else span

    def filename(self, today: dt.date, extension: str) -> str:
        """mirror-journal-2026-11-24.zip; one period or a range says so before the date."""
        parts = ["mirror-journal"]
        if self.period:
            parts.append(self.period.slug)
        if self.start or self.end:
            parts.append(f"{self.start or 'start'}-to-{self.end or today}")
        return f"{'-'.join(parts)}-{today}.{extension}"


def _span(first: dt.date | None, last: dt.date | None) -> str:
    if first and last:
        return f"{first} to {last}"
    if first:
        return f"from {first}"
    return f"until {last}" if last else "all dates"


def export_entries(user, selection: Selection) -> QuerySet:
    """The user's selected entries in date order, with only what a file needs."""
    return (
        selection.filter(Entry.objects.for_user(user))
        .only(*EXPORT_FIELDS)
        .order_by("written_on", "created_at", "id")
    )


def entries_with_tags(entries: QuerySet) -> Iterator[tuple[Entry, list[str]]]:
    """Each entry with its tag names, read from the database a chunk at a time.

    Within a day, entries follow their creation time to the second (what a file keeps),
    then their id, so an archive re-imported elsewhere exports under the same file names.
    Only one day's entries are held to sort them."""
    days = groupby(_chunked_with_tags(entries), key=lambda pair: pair[0].written_on)
    for _, day in days:
        yield from sorted(day, key=_as_kept)


def _as_kept(pair: tuple[Entry, list[str]]) -> tuple:
    return pair[0].created_at.replace(microsecond=0), pair[0].pk


def _chunked_with_tags(entries: QuerySet) -> Iterator[tuple[Entry, list[str]]]:
    """Like prefetch_related("tags") with iterator(chunk_size), as one query of plain names
    per chunk: no related manager is built per entry, which is most of a prefetch's cost."""
    rows = entries.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        names: dict[uuid.UUID, list[str]] = defaultdict(list)
        links = Entry.tags.through.objects.filter(entry_id__in=[entry.pk for entry in chunk])
        for entry_id, name in links.values_list("entry_id", "tag__name"):
            names[entry_id].append(name)
        for entry in chunk:
            yield entry, sorted(names[entry.pk])


def selected_events(timeline: Timeline, selection: Selection) -> list[TimelineEvent]:
    return [event for event in timeline.events if selection.contains(event.occurred_on)]


# Writing one entry ------------------------------------------------------------------------


_RESOLVER = yaml.resolver.Resolver()
_YAML_STR = "tag:yaml.org,2002:str"
# Kept out of plain scalars (conservatively): indicators at the start, comment and flow
# characters anywhere, "key: value" look-alikes, surrounding whitespace.
_NOT_PLAIN = re.compile(r"""^[-?:!&*|>'"%@`]|[#,\[\]{}]|:\s|:$|^\s|\s$""")
_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"


@lru_cache(maxsize=2048)
def yaml_scalar(text: str, *, in_list: bool = False) -> str:
    """A string as one line of YAML that every parser reads back as exactly that string.
    Inside a `[…]` list a plain string also ends at `?` or `:`, so those are quoted there."""
    if (
        text
        and text.isprintable()
        and not _NOT_PLAIN.search(text)
        and not (in_list and ("?" in text or ":" in text))
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _YAML_STR
    ):
        return text
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _scalar_line(key: str, text: str) -> str:
    return f"{key}: {yaml_scalar(text)}" if text else f"{key}:"


def _list_line(key: str, items: Iterable[str]) -> str:
    return f"{key}: {_flow_list(tuple(items))}"


@lru_cache(maxsize=1024)
def _flow_list(items: tuple[str, ...]) -> str:
    return f"[{', '.join(yaml_scalar(str(item), in_list=True) for item in items)}]"


def _local(moment: dt.datetime, zone) -> dt.datetime:
    """`moment` in the user's time zone; in UTC where that would leave the calendar (year 1
    west of Greenwich, 9999 east of it), so any stored value exports."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment.astimezone(dt.UTC)


def _moment(moment: dt.datetime, zone) -> str:
    return _local(moment, zone).isoformat(timespec="seconds")


def entry_file(entry: Entry, *, tags: list[str], period: Period | None, zone) -> str:
    """One entry as a Markdown file: front matter, then the body exactly as written.

    Every key of DESIGN.md, in its order, one line each; unset values left empty."""
    lines = (
        "---",
        f"id: {entry.pk}",
        f"date: {entry.written_on.isoformat()}",
        _scalar_line("title", entry.title),
        _scalar_line("kind", entry.kind),
        "mood:" if entry.mood is None else f"mood: {int(entry.mood)}",
        _list_line("feelings", entry.feelings or ()),
        _scalar_line("stage", entry.stage),
        _scalar_line("perspective", period.perspective if period else ""),
        _scalar_line("period", period.title if period else ""),
        _scalar_line("prompt", entry.prompt_text),
        _list_line("tags", sorted(tags)),
        f"created: {_moment(entry.created_at, zone)}",
        f"updated: {_moment(entry.updated_at, zone)}",
        "---\n",
    )
    return "\n".join(lines) + entry.body


def entry_slug(entry: Entry) -> str:
    """The title as a file-name slug, letters of any script kept; the kind when none is left."""
    return _slug(entry.title) or entry.kind


@lru_cache(maxsize=1024)
def _slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-_")


def entry_filename(entry: Entry) -> str:
    return f"{entry.written_on:%Y-%m-%d}-{entry_slug(entry)}.md"


class _FileNames:
    """entries/YYYY/YYYY-MM-DD-<slug>.md, a numeric suffix for a second one of a day.
    Entries come in date order, so only the current day's names are remembered."""

    def __init__(self) -> None:
        self.day: dt.date | None = None
        self.used: set[str] = set()
        self.folder = ""

    def __call__(self, entry: Entry) -> str:
        day = entry.written_on
        if day != self.day:
            self.day, self.used = day, set()
            self.folder = f"entries/{day.year:04d}/{day.isoformat()}-"
        stem = self.folder + entry_slug(entry)
        name, number = f"{stem}.md", 1
        while name in self.used:
            number += 1
            name = f"{stem}-{number}.md"
        self.used.add(name)
        return name


# The timeline -----------------------------------------------------------------------------

TIMELINE_HELP = (
    "The events of the connection, oldest first, one list item per event: its date, its kind "
    "(meeting, separation, contact, urge, reunion or milestone), for a separation who left "
    "(me, them or mutual), then a colon and the note. Further lines of a note are indented "
    "by two spaces."
)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def event_line(event, *, as_text: bool = False) -> str:
    """- 2025-03-14 separation (who left: me): the note's first line
    (further lines indented by two spaces; blank lines inside a note stay blank).

    timeline.md keeps the note as typed, for the import to read back; journal.md asks for
    it `as_text`, escaped like every other plain-text field of that document."""
    head = f"- {event.occurred_on.isoformat()} {event.kind}"
    if event.initiator:
        head += f" (who left: {event.initiator})"
    note = "\n".join(_lines(event.note or "")).strip("\n")
    if not note.strip():
        return head
    if as_text:
        note = markdown_text(note).strip("\n")
    first, *rest = note.split("\n")
    lines = [f"{head}: {first}".rstrip()]
    lines.extend(f"  {line}" if line.strip() else "" for line in rest)
    return "\n".join(lines)


def timeline_list(events: Iterable, *, as_text: bool = False) -> str:
    lines = [event_line(event, as_text=as_text) for event in events]
    return "\n".join(lines) + "\n" if lines else "No timeline events.\n"


def timeline_file(events: Iterable) -> str:
    return f"# Timeline\n\n{TIMELINE_HELP}\n\n{timeline_list(events)}"


# The zip ----------------------------------------------------------------------------------

README = """\
# Your Mirror journal

Exported from Mirror on {today}: {selection} ({count}).

## What this archive holds

- `entries/YYYY/YYYY-MM-DD-<title>.md`: one file per entry, named after its date and title.
  Each file starts with a front matter block between two `---` lines, then the entry's text
  exactly as you wrote it (Markdown). Any Markdown editor opens it; Obsidian shows the front
  matter as the note's properties.
- `timeline.md`: your timeline of meetings, separations, contacts, urges, reunions and
  milestones, one list item per event.
- `README.md`: this file.

## The front matter

Every file has the same keys, in the same order:

- `id`: the entry's id in Mirror, how an import recognises it. Delete this line to import the
  file as a new entry.
- `date`: the day the entry is about, like 2025-03-14.
- `title`: the entry's title.
- `kind`: reflection, letter (an unsent letter), dream or sign.
- `mood`: 1 (very low) to 5 (bright).
- `feelings`: a list, e.g. `[fear, longing]`, from: {feelings}.
- `stage`: one of {stages}.
- `perspective` and `period`: where the entry falls on your timeline (runner, chaser or both
  in a separation). Mirror works these out from the timeline; an import ignores them.
- `prompt`: the question the entry answers, in the words it had when you wrote.
- `tags`: a list, e.g. `[mirror, family]` (a comma-separated line works too).
- `created`, `updated`: when the entry was written and last changed, with your time zone's
  offset from UTC.

A key with nothing after the colon is not set, and `[]` is an empty list.

## timeline.md

{timeline_help} For example:

    - 2025-03-14 separation (who left: them): They said they needed space.
    - 2025-04-02 contact: A short message on my birthday.

## Bringing it back

Sign in to Mirror, open Import (`/import/`) and choose this zip. You can edit files first in
any text editor or in Obsidian. An entry whose `id` is already in your journal is updated
when its file changed and left alone otherwise; any other file becomes a new entry. Events in
`timeline.md` are added unless the same event is already on your timeline. A key you remove
keeps the entry's value; an empty key clears it. Importing the same archive twice changes
nothing the second time, and if any file has a problem, nothing is imported and every
problem is listed.
"""


def readme(*, today: dt.date, selection: Selection, count: int) -> str:
    return README.format(
        today=today,
        selection=selection.describe(),
        count="1 entry" if count == 1 else f"{count:,} entries",
        feelings=", ".join(Feeling.values),
        stages=", ".join(Stage.values),
        timeline_help=TIMELINE_HELP,
    )


class _Buffer:
    """A write-only file for zipfile: it keeps what is written until it is taken.
    It cannot seek, so zipfile streams each member with a data descriptor."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        # zipfile writes bytes; anything else might be a view of a buffer it reuses.
        self.parts.append(data if type(data) is bytes else bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


# The dates a zip member can carry (MS-DOS dates): zipfile refuses an earlier year, and a
# later one does not fit the field. A member's date is only its file's modification time.
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def _zip_info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    stamp = min(max(when.timetuple()[:6], ZIP_EARLIEST), ZIP_LATEST)
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = 0o644 << 16
    # A ZipInfo keeps its own method (stored, by default), whatever the archive's is.
    info.compress_type = zipfile.ZIP_DEFLATED
    info.compress_level = ZIP_LEVEL
    return info


def periods_by_date(timeline: Timeline):
    """The period of a day, or None when the user has no timeline. Days come in order, so
    the last answer is tried first."""
    if not timeline.has_events:
        return lambda day: None
    last = timeline.periods[0]

    def period_of(day: dt.date) -> Period:
        nonlocal last
        if not last.contains(day):
            last = timeline.period_for(day)
        return last

    return period_of


logger = logging.getLogger("mirror.export")


class ExportInterrupted(Exception):
    """An export stopped part way (see whole_or_failed)."""


def whole_or_failed(
    chunks: Iterator[bytes], *, user, what: str, ending: bytes = b""
) -> Iterator[bytes]:
    """The bytes of a download, or a download that visibly fails: a backup must never look
    complete when it is not.

    Django hands a StreamingHttpResponse's iterator to the WSGI server once the view has
    returned, so an exception raised while it is read becomes no error page (the 200 and the
    headers are already sent) and passes by Django's error logging. gunicorn (handle_request
    in workers/sync.py and gthread.py) then logs "Error handling request" and closes the
    connection without writing the last, empty chunk of the chunked response: the browser
    marks the download failed ("Failed - Network error") instead of saving a shorter file.
    A server that does not send chunks (HTTP/1.0, Django's runserver) ends a response by
    closing the connection, which a client cannot tell from its end; so the file itself is
    left incomplete too: a zip without its central directory, which no unzip tool opens as
    an archive, or a document whose last line (`ending`) says it stopped.

    The error is logged with its type and where it was raised, never its message (which
    may quote what the user wrote), and raised again without it."""
    written = 0
    try:
        for chunk in chunks:
            written += len(chunk)
            yield chunk
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        logger.error(
            "export_failed user=%s format=%s bytes_sent=%d error=%s at=%s:%d",
            user.pk,
            what,
            written,
            type(error).__name__,
            where.name,
            where.lineno,
        )
        if ending:
            yield ending
        raise ExportInterrupted(f"The {what} export stopped part way: see export_failed.") from None


def stream_zip(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    return whole_or_failed(_zip_chunks(user, selection, timeline=timeline), user=user, what="zip")


def _zip_chunks(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    zone = user.zone
    now = dt.datetime.now(tz=zone)
    entries = export_entries(user, selection)
    buffer = _Buffer()
    period_of = periods_by_date(timeline)
    names = _FileNames()
    # Leaving this block on an error writes the central directory into the buffer; it is
    # never handed out, so an archive that stopped part way stays one no tool opens.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = readme(today=timeline.today, selection=selection, count=entries.count())
        archive.writestr(_zip_info("README.md", now), text)
        events = selected_events(timeline, selection)
        archive.writestr(_zip_info("timeline.md", now), timeline_file(events))
        yield buffer.take()  # the download starts before any entry is read
        for entry, tags in entries_with_tags(entries):
            text = entry_file(entry, tags=tags, period=period_of(entry.written_on), zone=zone)
            archive.writestr(_zip_info(names(entry), _local(entry.updated_at, zone)), text)
            if buffer.size >= FLUSH_BYTES:
                yield buffer.take()
    yield buffer.take()


# The single document ----------------------------------------------------------------------


def _long_date(day: dt.date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# What a user typed as plain text (a title, a name, a prompt, a tag, a timeline note) stays
# text in any Markdown viewer: characters that start emphasis, code, links, headings or
# HTML are escaped, with a backslash where Python-Markdown and CommonMark both honour one,
# else as an HTML entity. `&` is escaped only where it would start an entity.
_MARKDOWN_INLINE = re.compile(r"[\\`*_{}\[\]#<>~]|&(?=#?\w+;)")
_MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;"}
# At the start of a line: list markers, a setext underline, an ordered list's number.
_MARKDOWN_LINE_START = re.compile(r"^([-+])|^(=)|^(\d+)([.)])")
# Most text needs none of it (and an export runs this for every title and tag).
_MARKDOWN_PLAIN = re.compile(r"[\\`*_{}\[\]#<>~&\r\n]|^[-+=\s]|^\d+[.)]|\s$")


def _markdown_char(match: re.Match) -> str:
    char = match.group()
    return _MARKDOWN_ENTITIES.get(char) or "\\" + char


def _markdown_line_start(match: re.Match) -> str:
    marker, underline, number, dot = match.groups()
    if marker:
        return "\\" + marker
    if underline:
        return "&#61;"
    return f"{number}\\{dot}"


@lru_cache(maxsize=2048)
def markdown_text(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text. Each line loses the
    whitespace at its ends, which a viewer does not show anyway: leading spaces would make
    a code block, and trailing ones a line break."""
    if not _MARKDOWN_PLAIN.search(text):
        return text
    lines = (_MARKDOWN_INLINE.sub(_markdown_char, line.strip()) for line in _lines(text))
    return "\n".join(_MARKDOWN_LINE_START.sub(_markdown_line_start, line) for line in lines)


def _period_heading(period: Period, today: dt.date) -> str:
    days = period.days(today)
    if period.start is None:
        span = f"until {period.end}" if period.end else ""
    else:
        span = f"{period.start} to {period.end or 'today'}"
        span += f" · {days} day{'' if days == 1 else 's'}" if days else ""
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
    head += f"*{_long_date(entry.written_on)} · {entry.get_kind_display()}*\n\n"
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
        "1 entry.\n\n" if count == 1 else f"{count:,} entries.\n\n",
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


# Reading ----------------------------------------------------------------------------------


# A front matter block is checked against these before YAML reads it, and YAML stops at
# FRONT_MATTER_MAX_VALUES. Every key of DESIGN.md at its longest, every character escaped,
# makes under 8,000 characters; there is room beside them for an editor's own keys
# (Obsidian's). Within them a block costs at most a few milliseconds (0.2 ms for an exported
# one, with libyaml; PyYAML's pure-Python parser, used where libyaml is missing, is 5 to 15
# times slower).
FRONT_MATTER_MAX_CHARS = 16_000
FRONT_MATTER_MAX_KEYS = 100
FRONT_MATTER_MAX_VALUES = 500  # keys, values and list items together; an export has ~35


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe constructors only; of the implicit types, only null. Dates, numbers and words like
    `yes` stay text, and are read by the import's own rules."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FormatProblem(ValueError):
    """What is wrong with a file, in words for the person who edited it."""


@dataclass
class EntryFile:
    """An entry file as read: the keys present in its front matter, and its body."""

    path: str
    values: dict
    body: str
    values_read: int = 0  # keys, values and list items, counted against the archive's budget


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_entry_file(path: str, text: str) -> EntryFile:
    """Split a file into front matter and body. Accepts a BOM, Windows line endings and any
    order of keys; the body is everything after the closing `---` line, unchanged."""
    text = text.removeprefix("\ufeff")
    first, newline, rest = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        raise FormatProblem("it does not start with a front matter block (a line “---”)")
    offset = 0
    for line in rest.splitlines(keepends=True):
        if line.rstrip("\r\n").rstrip(" \t") == "---":
            header, body = rest[:offset], rest[offset + len(line) :]
            break
        offset += len(line)
    else:
        raise FormatProblem("its front matter has no closing “---” line")
    _check_sizes(header, body)
    try:
        values_read = _count_values(header)
        values = yaml.load(header, Loader=_FrontMatterLoader)
    except yaml.constructor.ConstructorError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise FormatProblem(
            f"its front matter uses a YAML tag that Mirror does not accept{where}; "
            "only plain values, lists and text are read"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" near line {mark.line + 2}" if mark is not None else ""
        raise FormatProblem(f"its front matter is not valid YAML{where}") from None
    except RecursionError:
        raise FormatProblem("its front matter is nested too deeply to read") from None
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise FormatProblem("its front matter is not a list of “key: value” lines")
    if len(values) > FRONT_MATTER_MAX_KEYS:  # keys in a `{…}` mapping, on fewer lines
        raise FormatProblem(_too_many_keys(len(values)))
    return EntryFile(
        path=path,
        values={str(k): v for k, v in values.items()},
        body=body,
        values_read=values_read,
    )


def _count_values(header: str) -> int:
    """The keys, values and list items of a front matter block, counted from the parser's
    events before any value is built, refusing at the first alias or past
    FRONT_MATTER_MAX_VALUES. An alias (`*name`) lets a few lines stand for a billion values
    (a "billion laughs"), and Mirror never writes one."""
    count = 0
    for event in yaml.parse(header, Loader=_FrontMatterLoader):
        if isinstance(event, yaml.AliasEvent):
            raise FormatProblem(
                "its front matter repeats a value by reference (a YAML alias like *name), "
                "which Mirror does not read; write the value out instead"
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            count += 1
            if count > FRONT_MATTER_MAX_VALUES:
                raise FormatProblem(
                    f"its front matter holds more than {FRONT_MATTER_MAX_VALUES:,} keys, "
                    f"values and list items; Mirror reads up to {FRONT_MATTER_MAX_VALUES:,}"
                )
    return count


def _too_many_keys(count: int) -> str:
    return (
        f"its front matter has {count:,} keys; Mirror reads up to {FRONT_MATTER_MAX_KEYS:,} "
        "(an exported file has 14)"
    )


def _check_sizes(header: str, body: str) -> None:
    """The limits that need no YAML: checked first, so a hostile file costs nothing more."""
    if len(header) > FRONT_MATTER_MAX_CHARS:
        raise FormatProblem(
            f"its front matter is {len(header):,} characters long; Mirror reads up to "
            f"{FRONT_MATTER_MAX_CHARS:,}"
        )
    # Each top-level key starts a line at the margin; list items, continued values and
    # comments do not. This is at least the number of keys YAML would find there.
    keys = sum(1 for line in header.splitlines() if line.strip() and line[0] not in " \t-#")
    if keys > FRONT_MATTER_MAX_KEYS:
        raise FormatProblem(_too_many_keys(keys))
    if len(body) > BODY_MAX_LENGTH:
        raise FormatProblem(
            f"the body is {len(body):,} characters; Mirror keeps entries up to "
            f"{BODY_MAX_LENGTH:,} characters"
        )


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def read_text(value, key: str) -> str:
    """A scalar as text ("" for an empty key); a list or mapping is a problem, and so is a
    character a database cannot store (which a YAML escape like "\\0" could produce)."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FormatProblem(f"the {key} must be text, not a list or a mapping")
    text = str(value)
    if _UNSTORABLE.search(text):
        raise FormatProblem(f"the {key} holds a character that text cannot hold")
    return text


def read_date(value, what: str = "date") -> dt.date:
    text = read_text(value, what).strip()
    if not _DATE.match(text):
        raise FormatProblem(f"the {what} “{text[:40]}” is not a date like 2025-03-14")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise FormatProblem(f"the {what} {text} is not a real date") from None
    if not in_range(day):
        raise FormatProblem(
            f"the {what} {text} is outside the dates Mirror keeps ({span_text()}): check its year"
        )
    return day


def read_moment(value, key: str, zone) -> dt.datetime | None:
    text = read_text(value, key).strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise FormatProblem(
            f"the {key} time “{text[:40]}” is not a date and time like 2025-03-14T07:12:03+01:00"
        ) from None
    if not in_range(moment.date()):
        raise FormatProblem(
            f"the {key} time {text} is outside the dates Mirror keeps ({span_text()}): "
            "correct it, or delete the line"
        )
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    # In UTC: any offset Python reads (up to a day) is kept as the same moment, where
    # PostgreSQL refuses an offset beyond 15:59.
    return moment.astimezone(dt.UTC)


def read_id(value) -> uuid.UUID | None:
    text = read_text(value, "id").strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise FormatProblem(
            f"the id “{text[:40]}” is not a Mirror entry id; delete the id line to import "
            "the file as a new entry"
        ) from None


def read_words(value, key: str) -> list[str]:
    """A YAML list, or a comma-separated line (as a person may type it)."""
    if value is None:
        return []
    if isinstance(value, list):
        items = [read_text(item, key) for item in value]
    else:
        items = read_text(value, key).split(",")
    return [item.strip() for item in items if item is not None and item.strip()]


def read_choice(value, key: str, choices) -> str:
    """A value of a TextChoices (or its label), in any case; "" when empty."""
    text = read_text(value, key).strip().lower()
    if not text:
        return ""
    known = {v: v for v in choices.values} | {label.lower(): v for v, label in choices.choices}
    if text not in known:
        raise FormatProblem(
            f"the {key} “{text[:40]}” is not one Mirror knows ({', '.join(choices.values)})"
        )
    return known[text]


def read_mood(value) -> int | None:
    text = read_text(value, "mood").strip()
    if not text:
        return None
    # ASCII digits only: "²" is a digit to str.isdigit and not a number to int().
    if text not in {"1", "2", "3", "4", "5"}:
        raise FormatProblem(f"the mood “{text[:40]}” is not a number from 1 to 5")
    return int(text)


def read_feelings(value) -> list[str]:
    feelings = []
    for word in read_words(value, "feelings"):
        feeling = read_choice(word, "feeling", Feeling)
        if feeling not in feelings:
            feelings.append(feeling)
    return feelings


@dataclass
class EventRecord:
    occurred_on: dt.date
    kind: str
    initiator: str
    note: str


_EVENT = re.compile(
    r"^- (?P<date>\S+)\s+(?P<kind>[^\s:(]+)"
    r"(?:\s*\(\s*who left:\s*(?P<who>[^)]*?)\s*\))?"
    r"\s*(?::[ \t]?(?P<note>.*))?$",
    re.IGNORECASE,
)


def parse_timeline(
    text: str, path: str = "timeline.md", *, max_events: int | None = None
) -> tuple[list[EventRecord], list[str]]:
    """The events of a timeline.md, and a problem per line that cannot be read.
    Lines that are not list items (headings, explanations) are skipped. Reading stops at an
    event past `max_events`, with a problem that says so."""
    events: list[EventRecord] = []
    problems: list[str] = []
    current: dict | None = None
    heads = 0

    def finish() -> None:
        if current is not None:
            while current["note"] and not current["note"][-1].strip():
                current["note"].pop()
            events.append(EventRecord(**{**current, "note": "\n".join(current["note"])}))

    for number, line in enumerate(_lines(text.removeprefix("\ufeff")), start=1):
        if line.startswith("- "):
            finish()
            current = None
            heads += 1
            if max_events is not None and heads > max_events:
                problems.append(
                    f"{path}: it lists more than {max_events:,} events; Mirror imports up to "
                    f"{max_events:,} at a time"
                )
                return events, problems
            try:
                current = _event_head(line)
            except FormatProblem as problem:
                problems.append(f"{path}, line {number}: {problem}")
        elif current is not None and line.startswith(("  ", "\t")):
            current["note"].append(line[1:] if line.startswith("\t") else line[2:])
        elif current is not None and not line.strip():
            current["note"].append("")
        else:
            finish()
            current = None
    finish()
    return events, problems


def _event_head(line: str) -> dict:
    match = _EVENT.match(line.rstrip())
    if not match:
        raise FormatProblem("an event reads like “- 2025-03-14 separation (who left: me): a note”")
    kind = match["kind"].lower()
    if kind not in EventKind.values:
        raise FormatProblem(
            f"“{match['kind'][:40]}” is not a kind of event Mirror knows "
            "(meeting, separation, contact, urge, reunion, milestone)"
        )
    who = (match["who"] or "").lower()
    if who and who not in Initiator.values:
        raise FormatProblem(f"who left is “{who[:40]}”; write me, them or mutual")
    note = match["note"] or ""
    return {
        "occurred_on": read_date(match["date"]),
        "kind": kind,
        "initiator": who if kind == "separation" else "",
        "note": [note] if note else [""],
    }


def note_key(note: str) -> str:
    """A note as compared when matching events: line endings, edges and trailing spaces
    do not make two notes different."""
    return "\n".join(line.rstrip() for line in _lines(note or "")).strip()
