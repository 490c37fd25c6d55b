"""Plain text in Markdown: what a user typed as text stays text in any Markdown viewer."""

import re
from functools import lru_cache

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
    lines = (_MARKDOWN_INLINE.sub(_markdown_char, line.strip()) for line in note_lines(text))
    return "\n".join(_MARKDOWN_LINE_START.sub(_markdown_line_start, line) for line in lines)


def note_lines(text: str) -> list[str]:
    """The lines of a text, whatever its line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
