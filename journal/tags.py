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

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        return ngettext(
            # Translators: ends a sentence that starts elsewhere, hence the small first letter.
            "the tag “%(tag)s” is %(length)s character long: keep tags to %(max)s characters",
            "the tag “%(tag)s” is %(length)s characters long: keep tags to %(max)s characters",
            len(name),
        ) % {"tag": shown, "length": len(name), "max": TAG_MAX_LENGTH}
    bad = []
    for char in name:
        if char in FORBIDDEN:
            # Translators: a character in quotation marks: “/”.
            label = _("“%(character)s”") % {"character": char}
        elif unicodedata.category(char) in _CONTROL:
            label = _("a control character")
        else:
            continue
        if label not in bad:
            bad.append(label)
    if ".." in name:
        bad.append(_("“%(character)s”") % {"character": ".."})
    if not bad:
        return None
    if len(bad) == 1:
        listed = bad[0]
    else:
        # Translators: the last two of a list: "“/”, “?” and a control character".
        listed = _("%(others)s and %(last)s") % {"others": ", ".join(bad[:-1]), "last": bad[-1]}
    return _(
        "the tag “%(tag)s” holds %(listed)s, characters tags cannot hold "
        "(%(forbidden)s, a comma or two dots in a row). Letters, numbers, "
        "emoji, spaces and marks like : - ' are all fine"
    ) % {
        "tag": _printable(shown),
        "listed": listed,
        "forbidden": " ".join(FORBIDDEN.strip(",")),
    }


def clean_tags(parts: Iterable[str]) -> list[str]:
    """The tags of an entry, by the rule: normalized, without repeats, each allowed and at
    most MAX_TAGS of them. Raises TagProblem naming the first tag refused."""
    names = unique_tags(parts)
    if len(names) > MAX_TAGS:
        raise TagProblem(
            ngettext(
                "use at most %(max)s tags on one entry (this one has %(count)s)",
                "use at most %(max)s tags on one entry (this one has %(count)s)",
                len(names),
            )
            % {"max": MAX_TAGS, "count": len(names)}
        )
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
