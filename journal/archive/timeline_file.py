"""`timeline.md`: a Markdown list, one item per event, that a person reads and
`parse_timeline` reads back (see TIMELINE_HELP)."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, gettext_lazy

from ..models import (
    EventKind,
    Initiator,
)
from .frontmatter import FormatProblem, read_date
from .plain import markdown_text, note_lines

# The timeline -----------------------------------------------------------------------------

# Read by people only: the import skips every line that is not a list item.
TIMELINE_HELP = gettext_lazy(
    # Translators: keep the kinds of event (meeting, separation…) and who left (me, them,
    # mutual) in English: they are what timeline.md writes and an import reads.
    "The events of the connection, oldest first, one list item per event: its date, its kind "
    "(meeting, separation, contact, urge, reunion or milestone), for a separation who left "
    "(me, them or mutual), then a colon and the note. Further lines of a note are indented "
    "by two spaces."
)


def event_line(event, *, as_text: bool = False) -> str:
    """- 2025-03-14 separation (who left: me): the note's first line
    (further lines indented by two spaces; blank lines inside a note stay blank).

    timeline.md keeps the note as typed, for the import to read back; journal.md asks for
    it `as_text`, escaped like every other plain-text field of that document."""
    head = f"- {event.occurred_on.isoformat()} {event.kind}"
    if event.initiator:
        head += f" (who left: {event.initiator})"
    note = "\n".join(note_lines(event.note or "")).strip("\n")
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
    return "\n".join(lines) + "\n" if lines else gettext("No timeline events.") + "\n"


def timeline_file(events: Iterable) -> str:
    # Translators: the heading of timeline.md, the user's timeline of events.
    heading = gettext("Timeline")
    return f"# {heading}\n\n{TIMELINE_HELP}\n\n{timeline_list(events)}"


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

    for number, line in enumerate(note_lines(text.removeprefix("\ufeff")), start=1):
        if line.startswith("- "):
            finish()
            current = None
            heads += 1
            if max_events is not None and heads > max_events:
                problems.append(
                    f"{path}: "
                    + gettext(
                        "it lists more than %(max)s events; Mirror imports up to %(max)s at a time"
                    )
                    % {"max": intcomma(max_events)}
                )
                return events, problems
            try:
                current = _event_head(line)
            except FormatProblem as problem:
                problems.append(
                    # Translators: where a problem is, and what: "timeline.md, line 3: …".
                    gettext("%(path)s, line %(number)s: %(problem)s")
                    % {"path": path, "number": number, "problem": problem}
                )
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
        raise FormatProblem(
            # Translators: keep the example's “separation (who left: me)” in English.
            gettext("an event reads like “- 2025-03-14 separation (who left: me): a note”")
        )
    kind = match["kind"].lower()
    if kind not in EventKind.values:
        raise FormatProblem(
            gettext(
                # Translators: keep the kinds of event in parentheses in English.
                "“%(kind)s” is not a kind of event Mirror knows "
                "(meeting, separation, contact, urge, reunion, milestone)"
            )
            % {"kind": match["kind"][:40]}
        )
    who = (match["who"] or "").lower()
    if who and who not in Initiator.values:
        raise FormatProblem(
            # Translators: keep “who left”, me, them and mutual in English: timeline.md's words.
            gettext("who left is “%(who)s”; write me, them or mutual") % {"who": who[:40]}
        )
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
    return "\n".join(line.rstrip() for line in note_lines(note or "")).strip()
