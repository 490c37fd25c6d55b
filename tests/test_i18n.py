"""Every word a person reads can be translated: no template text outside `{% translate %}`
or `{% blocktranslate %}` (attributes people read included), and the catalogs in locale/
hold what the code marks today."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Not prose: the service worker's script, and mail bodies' plain-text layout is checked as
# templates like the rest (they are .txt, and included below).
SKIPPED = {"sw.js"}
# Names that are the same in every language.
NAMES = {"Mirror", "Markdown", "Day", "One", "jrnl", "Daylio", "Obsidian", "JSON", "CSV", "zip"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "aria-description")
OPENERS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SILENT = {"comment": "endcomment", "verbatim": "endverbatim"}
WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word not in NAMES]


def _html_text(text: str) -> list[str]:
    """The words of an HTML fragment a person reads: its text and its read attributes."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    found = []
    for attribute in READ_ATTRIBUTES:
        for value in re.findall(rf'\b{attribute}="([^"]*)"', text):
            found += _words(value)
    text = re.sub(r"<[^>]*>", " ", text)  # tags, with their attributes
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return found + _words(text)


def unmarked(path: Path) -> list[str]:
    """The words of a template that no translation tag covers."""
    source = path.read_text()
    found: list[str] = []
    closing: str | None = None
    carry = ""  # text split by a tag inside an element's attributes is read whole
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.BLOCK:
            name, *rest = token.contents.split()
            closing = OPENERS.get(name) or SILENT.get(name)
            if name == "block" and rest and rest[0].endswith("class"):
                closing = "endblock"  # CSS class names, not words
            carry += " "
        elif token.token_type == TokenType.TEXT:
            carry += token.contents
        else:
            carry += " "
    found += _html_text(carry)
    return found


def template_files() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".js"} and path.name not in SKIPPED
    )


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_word_in_a_template_can_be_translated(path):
    words = unmarked(path)
    assert not words, f"{path.relative_to(TEMPLATES)}: not marked for translation: {words[:20]}"
