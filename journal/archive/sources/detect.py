"""Which app a file comes from, from its content: never from its name."""

import enum

from . import daylio, jrnl


class Format(enum.StrEnum):
    JRNL_JSON = "jrnl-json"
    JRNL_TEXT = "jrnl-text"
    DAYLIO = "daylio"


def detect(text: str) -> Format | None:
    """The format of a text file, or None when Mirror does not know it."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if head.startswith("{") and jrnl.parse_json(text) is not None:
        return Format.JRNL_JSON
    if daylio.is_daylio(head):
        return Format.DAYLIO
    if jrnl.ENTRY_START.match(head):
        return Format.JRNL_TEXT
    return None
