"""Front matter: the YAML block at the top of each entry file, written and read back.

Written line by line, not by a YAML library: every key is always present, in the order of
docs/design.md; a value that is not set is left empty (`title:`, `mood:`), an empty list is
`[]`. A string is written plain when any YAML parser reads it back as that same string, and
otherwise double-quoted with escapes (JSON-style), so titles, prompts and tags holding colons,
quotes, `#`, leading dashes, emoji or line breaks stay valid YAML and every key stays on one
line. Reading uses `yaml.safe_load`'s safe constructors with only the null resolver, so
`title: yes` is the text "yes", and a tag that would build an object fails. A block is
checked against size limits before YAML reads it.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import yaml
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.translation import gettext

from ..dates import in_range, span_text
from ..models import (
    BODY_MAX_LENGTH,
    Feeling,
)

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


def scalar_line(key: str, text: str) -> str:
    return f"{key}: {yaml_scalar(text)}" if text else f"{key}:"


def list_line(key: str, items: Iterable[str]) -> str:
    return f"{key}: {_flow_list(tuple(items))}"


@lru_cache(maxsize=1024)
def _flow_list(items: tuple[str, ...]) -> str:
    return f"[{', '.join(yaml_scalar(str(item), in_list=True) for item in items)}]"


def local_moment(moment: dt.datetime, zone) -> dt.datetime:
    """`moment` in the user's time zone; in UTC where that would leave the calendar (year 1
    west of Greenwich, 9999 east of it), so any stored value exports."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment.astimezone(dt.UTC)


def moment_text(moment: dt.datetime, zone) -> str:
    return local_moment(moment, zone).isoformat(timespec="seconds")


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
        raise FormatProblem(gettext("it does not start with a front matter block (a line “---”)"))
    offset = 0
    for line in rest.splitlines(keepends=True):
        if line.rstrip("\r\n").rstrip(" \t") == "---":
            header, body = rest[:offset], rest[offset + len(line) :]
            break
        offset += len(line)
    else:
        raise FormatProblem(gettext("its front matter has no closing “---” line"))
    _check_sizes(header, body)
    try:
        values_read = _count_values(header)
        values = yaml.load(header, Loader=_FrontMatterLoader)
    except yaml.constructor.ConstructorError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            message = gettext(
                "its front matter uses a YAML tag that Mirror does not accept; only plain "
                "values, lists and text are read"
            )
        else:
            message = gettext(
                "its front matter uses a YAML tag that Mirror does not accept (line "
                "%(line)s); only plain values, lists and text are read"
            ) % {"line": mark.line + 2}
        raise FormatProblem(message) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            message = gettext("its front matter is not valid YAML")
        else:
            message = gettext("its front matter is not valid YAML near line %(line)s") % {
                "line": mark.line + 2
            }
        raise FormatProblem(message) from None
    except RecursionError:
        raise FormatProblem(gettext("its front matter is nested too deeply to read")) from None
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise FormatProblem(gettext("its front matter is not a list of “key: value” lines"))
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
                gettext(
                    "its front matter repeats a value by reference (a YAML alias like *name), "
                    "which Mirror does not read; write the value out instead"
                )
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            count += 1
            if count > FRONT_MATTER_MAX_VALUES:
                raise FormatProblem(
                    gettext(
                        "its front matter holds more than %(max)s keys, values and list "
                        "items; Mirror reads up to %(max)s"
                    )
                    % {"max": intcomma(FRONT_MATTER_MAX_VALUES)}
                )
    return count


def _too_many_keys(count: int) -> str:
    return gettext(
        "its front matter has %(count)s keys; Mirror reads up to %(max)s (an exported file has 14)"
    ) % {"count": intcomma(count), "max": intcomma(FRONT_MATTER_MAX_KEYS)}


def _check_sizes(header: str, body: str) -> None:
    """The limits that need no YAML: checked first, so a hostile file costs nothing more."""
    if len(header) > FRONT_MATTER_MAX_CHARS:
        raise FormatProblem(
            gettext("its front matter is %(length)s characters long; Mirror reads up to %(max)s")
            % {"length": intcomma(len(header)), "max": intcomma(FRONT_MATTER_MAX_CHARS)}
        )
    # Each top-level key starts a line at the margin; list items, continued values and
    # comments do not. This is at least the number of keys YAML would find there.
    keys = sum(1 for line in header.splitlines() if line.strip() and line[0] not in " \t-#")
    if keys > FRONT_MATTER_MAX_KEYS:
        raise FormatProblem(_too_many_keys(keys))
    if len(body) > BODY_MAX_LENGTH:
        raise FormatProblem(
            gettext(
                "the body is %(length)s characters; Mirror keeps entries up to %(max)s characters"
            )
            % {"length": intcomma(len(body)), "max": intcomma(BODY_MAX_LENGTH)}
        )


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def read_text(value, key: str) -> str:
    """A scalar as text ("" for an empty key); a list or mapping is a problem, and so is a
    character a database cannot store (which a YAML escape like "\\0" could produce)."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FormatProblem(
            # Translators: %(key)s is a key of the front matter, as the file writes it (title,
            # tags, date…).
            gettext("the %(key)s must be text, not a list or a mapping") % {"key": key}
        )
    text = str(value)
    if _UNSTORABLE.search(text):
        raise FormatProblem(
            gettext("the %(key)s holds a character that text cannot hold") % {"key": key}
        )
    return text


def read_date(value, what: str = "date") -> dt.date:
    text = read_text(value, what).strip()
    if not _DATE.match(text):
        raise FormatProblem(
            gettext("the %(key)s “%(value)s” is not a date like 2025-03-14")
            % {"key": what, "value": text[:40]}
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise FormatProblem(
            gettext("the %(key)s %(value)s is not a real date") % {"key": what, "value": text}
        ) from None
    if not in_range(day):
        raise FormatProblem(
            gettext(
                "the %(key)s %(value)s is outside the dates Mirror keeps (%(span)s): check its year"
            )
            % {"key": what, "value": text, "span": span_text()}
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
            gettext(
                # Translators: %(key)s is "created" or "updated", keys of the front matter.
                "the %(key)s time “%(value)s” is not a date and time like 2025-03-14T07:12:03+01:00"
            )
            % {"key": key, "value": text[:40]}
        ) from None
    if not in_range(moment.date()):
        raise FormatProblem(
            gettext(
                "the %(key)s time %(value)s is outside the dates Mirror keeps (%(span)s): "
                "correct it, or delete the line"
            )
            % {"key": key, "value": text, "span": span_text()}
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
            gettext(
                "the id “%(value)s” is not a Mirror entry id; delete the id line to import "
                "the file as a new entry"
            )
            % {"value": text[:40]}
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
    # A label in English, as files have always been read, or in the language of the page.
    with translation.override("en"):
        english = {str(label).lower(): v for v, label in choices.choices}
    labels = {str(label).lower(): v for v, label in choices.choices}
    known = {v: v for v in choices.values} | english | labels
    if text not in known:
        raise FormatProblem(
            gettext("the %(key)s “%(value)s” is not one Mirror knows (%(values)s)")
            % {"key": key, "value": text[:40], "values": ", ".join(choices.values)}
        )
    return known[text]


def read_mood(value) -> int | None:
    text = read_text(value, "mood").strip()
    if not text:
        return None
    # ASCII digits only: "²" is a digit to str.isdigit and not a number to int().
    if text not in {"1", "2", "3", "4", "5"}:
        raise FormatProblem(
            gettext("the mood “%(value)s” is not a number from 1 to 5") % {"value": text[:40]}
        )
    return int(text)


def read_feelings(value) -> list[str]:
    feelings = []
    for word in read_words(value, "feelings"):
        feeling = read_choice(word, "feeling", Feeling)
        if feeling not in feelings:
            feelings.append(feeling)
    return feelings
