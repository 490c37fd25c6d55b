"""The one rule for tag names, used by the entry form, the entry list's `?tag=` filter and
the importer.

A tag is what a person writes: letters of any script, digits, emoji, spaces and marks such
as `:` (11:11), `-`, `'` and `&`. Refused are only the characters that break a URL, a file
name or the page around a tag (`/ \\ ? # % " < > | *`), the comma that separates tags, two
dots in a row (a path's `..`) and control characters. Names are compared case-insensitively
(`tag_key`: `Mirror` and `mirror` are one tag), and a tag keeps the case it was first typed
in.
"""

import re
import unicodedata
from collections.abc import Iterable

MAX_TAGS = 12
TAG_MAX_LENGTH = 40
# Case folding may lengthen a name (ß → ss): three characters per character at most.
TAG_KEY_MAX_LENGTH = 3 * TAG_MAX_LENGTH
FORBIDDEN = '/\\?#%"<>|*,'

_SEPARATORS = re.compile(r"[,\n\r]+")
# Joiners shape emoji (👨‍👩‍👧) and Persian words; tag characters shape subdivision flags.
_KEPT_FORMAT = {"\u200c", "\u200d"} | {chr(c) for c in range(0xE0020, 0xE0080)}
_CONTROL = {"Cc", "Cs"}  # control characters, and halves of a character (lone surrogates)


class TagProblem(ValueError):
    """A tag, or a list of them, that the rule refuses; the message says which and why."""


def normalize_tag(text: str) -> str:
    """' #Café\\u200b  au lait ' → 'Café au lait': NFC, a leading `#` dropped, spaces
    folded, invisible formatting (zero-width spaces, direction marks) dropped."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        char for char in text if unicodedata.category(char) != "Cf" or char in _KEPT_FORMAT
    )
    return " ".join(" ".join(text.split()).lstrip("#").split())


def tag_key(name: str) -> str:
    """What two names that are one tag have in common: `Mirror`, `MIRROR` → `mirror`."""
    return unicodedata.normalize("NFC", normalize_tag(name).casefold())


def split_tags(raw: str) -> list[str]:
    """The tags of a line as a person types it: separated by commas or line breaks."""
    return _SEPARATORS.split(raw or "")


def unique_tags(parts: Iterable[str]) -> list[str]:
    """Normalized names, empty ones and repeats (in any case) dropped, first spelling and
    order kept. Nothing is checked: see `clean_tags`."""
    names: dict[str, str] = {}
    for part in parts:
        name = normalize_tag(part)
        if name:
            names.setdefault(tag_key(name), name)
    return list(names.values())


def tag_problem(name: str) -> str | None:
    """Why a normalized name cannot be a tag, or None when it can."""
    shown = name if len(name) <= TAG_MAX_LENGTH else name[:20] + "…"
    if len(name) > TAG_MAX_LENGTH:
        return (
            f"the tag “{shown}” is {len(name)} characters long: "
            f"keep tags to {TAG_MAX_LENGTH} characters"
        )
    bad = []
    for char in name:
        if char in FORBIDDEN:
            label = f"“{char}”"
        elif unicodedata.category(char) in _CONTROL:
            label = "a control character"
        else:
            continue
        if label not in bad:
            bad.append(label)
    if ".." in name:
        bad.append("“..”")
    if not bad:
        return None
    listed = bad[0] if len(bad) == 1 else ", ".join(bad[:-1]) + " and " + bad[-1]
    return (
        f"the tag “{_printable(shown)}” holds {listed}, characters tags cannot hold "
        f"({' '.join(FORBIDDEN.strip(','))}, a comma or two dots in a row). Letters, numbers, "
        "emoji, spaces and marks like : - ' are all fine"
    )


def clean_tags(parts: Iterable[str]) -> list[str]:
    """The tags of an entry, by the rule: normalized, without repeats, each allowed and at
    most MAX_TAGS of them. Raises TagProblem naming the first tag refused."""
    names = unique_tags(parts)
    if len(names) > MAX_TAGS:
        raise TagProblem(f"use at most {MAX_TAGS} tags on one entry (this one has {len(names)})")
    for name in names:
        reason = tag_problem(name)
        if reason:
            raise TagProblem(reason)
    return names


def repair_tag(name: str) -> str:
    """A refused name made allowed, keeping its words: `../x` → `x`, `a/b` → `a b`,
    `<script>` → `script`; "" when nothing is left."""
    name = "".join(
        " " if char in FORBIDDEN or unicodedata.category(char) in _CONTROL else char
        for char in normalize_tag(name)
    )
    name = normalize_tag(re.sub(r"\.{2,}", " ", name))
    return name[:TAG_MAX_LENGTH].strip()


def _printable(text: str) -> str:
    return "".join(" " if unicodedata.category(char) in _CONTROL else char for char in text)
