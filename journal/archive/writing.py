"""The zip of an export: one Markdown file per entry (front matter, then the body exactly as
written), `timeline.md` and a README, streamed: the standard library writes the zip into a
small buffer that is handed out and emptied as it fills."""

import datetime as dt
import logging
import traceback
import zipfile
from collections.abc import Iterator
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from ..models import (
    Entry,
    Feeling,
    Stage,
)
from ..periods import Period
from ..timeline import Timeline
from .frontmatter import list_line, local_moment, moment_text, scalar_line
from .selection import Selection, entries_with_tags, export_entries, selected_events
from .timeline_file import TIMELINE_HELP, timeline_file

FLUSH_BYTES = 64 * 1024  # hand out what is written once this much has gathered
# Fast deflate: on journal text, 3% larger than the default level, and cheaper per member.
ZIP_LEVEL = 1
SLUG_MAX_LENGTH = 60


def entry_file(entry: Entry, *, tags: list[str], period: Period | None, zone) -> str:
    """One entry as a Markdown file: front matter, then the body exactly as written.

    Every key of DESIGN.md, in its order, one line each; unset values left empty."""
    lines = (
        "---",
        f"id: {entry.pk}",
        f"date: {entry.written_on.isoformat()}",
        scalar_line("title", entry.title),
        scalar_line("kind", entry.kind),
        "mood:" if entry.mood is None else f"mood: {int(entry.mood)}",
        list_line("feelings", entry.feelings or ()),
        scalar_line("stage", entry.stage),
        scalar_line("perspective", period.perspective if period else ""),
        scalar_line("period", period.title if period else ""),
        scalar_line("prompt", entry.prompt_text),
        list_line("tags", sorted(tags)),
        f"created: {moment_text(entry.created_at, zone)}",
        f"updated: {moment_text(entry.updated_at, zone)}",
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


# The zip ----------------------------------------------------------------------------------


def readme(*, today: dt.date, selection: Selection, count: int) -> str:
    """The zip's README.md, in the language of the export. Its headings are read by no
    program; the keys and file names it quotes are the archive's format, never translated."""
    values = {
        "today": today,
        "selection": selection.describe(),
        "count": intcomma(count),
        "feelings": ", ".join(Feeling.values),
        "stages": ", ".join(Stage.values),
        "timeline_help": TIMELINE_HELP,
    }
    sections = (
        ngettext(
            "# Your Mirror journal\n"
            "\n"
            "Exported from Mirror on %(today)s: %(selection)s (%(count)s entry).\n",
            "# Your Mirror journal\n"
            "\n"
            "Exported from Mirror on %(today)s: %(selection)s (%(count)s entries).\n",
            count,
        ),
        gettext(
            # Translators: keep the file names and the Markdown (`…`, `---`) as they are.
            "## What this archive holds\n"
            "\n"
            "- `entries/YYYY/YYYY-MM-DD-<title>.md`: one file per entry, named after its date "
            "and title.\n"
            "  Each file starts with a front matter block between two `---` lines, then the "
            "entry's text\n"
            "  exactly as you wrote it (Markdown). Any Markdown editor opens it; Obsidian shows "
            "the front\n"
            "  matter as the note's properties.\n"
            "- `timeline.md`: your timeline of meetings, separations, contacts, urges, reunions "
            "and\n"
            "  milestones, one list item per event.\n"
            "- `README.md`: this file.\n"
        ),
        gettext(
            # Translators: keep the keys in backticks (`id`, `date`…) and the values a file holds
            # (reflection, letter, dream, sign, runner, chaser) in English: an import reads them.
            "## The front matter\n"
            "\n"
            "Every file has the same keys, in the same order:\n"
            "\n"
            "- `id`: the entry's id in Mirror, how an import recognises it. Delete this line to "
            "import the\n"
            "  file as a new entry.\n"
            "- `date`: the day the entry is about, like 2025-03-14.\n"
            "- `title`: the entry's title.\n"
            "- `kind`: reflection, letter (an unsent letter), dream or sign.\n"
            "- `mood`: 1 (very low) to 5 (bright).\n"
            "- `feelings`: a list, e.g. `[fear, longing]`, from: %(feelings)s.\n"
            "- `stage`: one of %(stages)s.\n"
            "- `perspective` and `period`: where the entry falls on your timeline (runner, "
            "chaser or both\n"
            "  in a separation). Mirror works these out from the timeline; an import ignores "
            "them.\n"
            "- `prompt`: the question the entry answers, in the words it had when you wrote.\n"
            "- `tags`: a list, e.g. `[mirror, family]` (a comma-separated line works too).\n"
            "- `created`, `updated`: when the entry was written and last changed, with your "
            "time zone's\n"
            "  offset from UTC.\n"
            "\n"
            "A key with nothing after the colon is not set, and `[]` is an empty list.\n"
        ),
        gettext(
            # Translators: in the two example lines, keep the dates, the kinds of event and
            # "(who left: them)" in English (an import reads them); the notes after the colons
            # are words to translate.
            "## timeline.md\n"
            "\n"
            "%(timeline_help)s For example:\n"
            "\n"
            "    - 2025-03-14 separation (who left: them): They said they needed space.\n"
            "    - 2025-04-02 contact: A short message on my birthday.\n"
        ),
        gettext(
            # Translators: keep `/import/`, `id` and `timeline.md` as they are.
            "## Bringing it back\n"
            "\n"
            "Sign in to Mirror, open Import (`/import/`) and choose this zip. You can edit "
            "files first in\n"
            "any text editor or in Obsidian. An entry whose `id` is already in your journal is "
            "updated\n"
            "when its file changed and left alone otherwise; any other file becomes a new "
            "entry. Events in\n"
            "`timeline.md` are added unless the same event is already on your timeline. A key "
            "you remove\n"
            "keeps the entry's value; an empty key clears it. Importing the same archive twice "
            "changes\n"
            "nothing the second time, and if any file has a problem, nothing is imported and "
            "every\n"
            "problem is listed.\n"
        ),
    )
    return "\n".join(section % values for section in sections)


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
            archive.writestr(_zip_info(names(entry), local_moment(entry.updated_at, zone)), text)
            if buffer.size >= FLUSH_BYTES:
                yield buffer.take()
    yield buffer.take()
