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
import re
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

from .models import MOOD_LABELS, Entry, EventKind, Feeling, Initiator, Stage, TimelineEvent
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


def _moment(moment: dt.datetime, zone) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


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


def event_line(event) -> str:
    """- 2025-03-14 separation (who left: me): the note's first line
    (further lines indented by two spaces; blank lines inside a note stay blank)."""
    head = f"- {event.occurred_on.isoformat()} {event.kind}"
    if event.initiator:
        head += f" (who left: {event.initiator})"
    note = "\n".join(_lines(event.note or "")).strip("\n")
    if not note.strip():
        return head
    first, *rest = note.split("\n")
    lines = [f"{head}: {first}".rstrip()]
    lines.extend(f"  {line}" if line.strip() else "" for line in rest)
    return "\n".join(lines)


def timeline_list(events: Iterable) -> str:
    lines = [event_line(event) for event in events]
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


def _zip_info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0)))
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


def stream_zip(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    zone = user.zone
    now = dt.datetime.now(tz=zone)
    entries = export_entries(user, selection)
    buffer = _Buffer()
    period_of = periods_by_date(timeline)
    names = _FileNames()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = readme(today=timeline.today, selection=selection, count=entries.count())
        archive.writestr(_zip_info("README.md", now), text)
        events = selected_events(timeline, selection)
        archive.writestr(_zip_info("timeline.md", now), timeline_file(events))
        yield buffer.take()  # the download starts before any entry is read
        for entry, tags in entries_with_tags(entries):
            text = entry_file(entry, tags=tags, period=period_of(entry.written_on), zone=zone)
            archive.writestr(_zip_info(names(entry), entry.updated_at.astimezone(zone)), text)
            if buffer.size >= FLUSH_BYTES:
                yield buffer.take()
    yield buffer.take()


# The single document ----------------------------------------------------------------------


def _long_date(day: dt.date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _period_heading(period: Period, today: dt.date) -> str:
    days = period.days(today)
    if period.start is None:
        span = f"until {period.end}" if period.end else ""
    else:
        span = f"{period.start} to {period.end or 'today'}"
        span += f" · {days} day{'' if days == 1 else 's'}" if days else ""
    return f"## {period.title}\n\n*{span}*\n\n" if span else f"## {period.title}\n\n"


def entry_section(entry: Entry, tags: list[str]) -> str:
    """An entry inside the single document: title, date and facts, then the body unchanged."""
    facts = []
    if entry.mood:
        facts.append(f"- **Mood:** {entry.mood}/5 · {MOOD_LABELS.get(entry.mood, '')}")
    if entry.feelings:
        facts.append(f"- **Feelings:** {', '.join(entry.feeling_labels())}")
    if entry.stage:
        facts.append(f"- **Stage:** {entry.get_stage_display()}")
    if entry.prompt_text:
        facts.append(f"- **Prompt:** {_one_line(entry.prompt_text)}")
    if tags:
        facts.append(f"- **Tags:** {', '.join(tags)}")
    head = f"### {_one_line(entry.display_title)}\n\n"
    head += f"*{_long_date(entry.written_on)} · {entry.get_kind_display()}*\n\n"
    if facts:
        head += "\n".join(facts) + "\n\n"
    return head + entry.body + "\n\n"


def stream_markdown(user, selection: Selection, *, timeline: Timeline) -> Iterator[bytes]:
    entries = export_entries(user, selection)
    count = entries.count()
    name = user.get_short_name()
    parts = [
        f"# Mirror journal of {name}\n\n",
        f"Exported on {timeline.today}: {selection.describe()}, ",
        "1 entry.\n\n" if count == 1 else f"{count:,} entries.\n\n",
        "## Timeline\n\n",
        timeline_list(selected_events(timeline, selection)),
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


class _FrontMatterLoader(yaml.SafeLoader):
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
    try:
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
    return EntryFile(path=path, values={str(k): v for k, v in values.items()}, body=body)


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
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FormatProblem(f"the {what} {text} is not a real date") from None


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
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


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
    if not text.isdigit() or not 1 <= int(text) <= 5:
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


def parse_timeline(text: str, path: str = "timeline.md") -> tuple[list[EventRecord], list[str]]:
    """The events of a timeline.md, and a problem per line that cannot be read.
    Lines that are not list items (headings, explanations) are skipped."""
    events: list[EventRecord] = []
    problems: list[str] = []
    current: dict | None = None

    def finish() -> None:
        if current is not None:
            while current["note"] and not current["note"][-1].strip():
                current["note"].pop()
            events.append(EventRecord(**{**current, "note": "\n".join(current["note"])}))

    for number, line in enumerate(_lines(text.removeprefix("\ufeff")), start=1):
        if line.startswith("- "):
            finish()
            current = None
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
