"""Every word a person reads can be translated: no template text outside `{% translate %}`
or `{% blocktranslate %}` (attributes people read included), and the catalogs in locale/
hold what the code marks today."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation import to_locale

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


# The catalogs: one per language of settings.LANGUAGES but English, complete and compiled.
LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
CATALOGS = [
    LOCALE / to_locale(code) / "LC_MESSAGES" / f"{domain}.po"
    for code, _name in settings.LANGUAGES
    if code != settings.LANGUAGE_CODE
    for domain in ("django", "djangojs")
]


def catalog_id(path: Path) -> str:
    return str(path.relative_to(LOCALE))


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_each_language_has_a_complete_catalog(path):
    catalog = polib.pofile(str(path))
    assert not catalog.metadata_is_fuzzy, f"{catalog_id(path)}: its header is marked fuzzy"
    missing = [entry.msgid for entry in catalog.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not missing, f"{catalog_id(path)}: not translated: {missing[:10]}"
    assert not fuzzy, f"{catalog_id(path)}: fuzzy (to check): {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_translations_keep_the_placeholders_and_the_markup(path):
    wrong = []
    for entry in polib.pofile(str(path)).translated_entries():
        english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        want = set(PLACEHOLDER.findall(" ".join(english)))
        tags = sorted(TAG.findall(english[-1]))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if set(PLACEHOLDER.findall(text)) != want or sorted(TAG.findall(text)) != tags:
                wrong.append(entry.msgid)
    assert not wrong, f"{catalog_id(path)}: placeholders or markup changed: {wrong[:10]}"


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_each_catalog_is_compiled(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{catalog_id(path)} is not compiled: run make messages"
    source = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)).translated_entries()}
    built = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(compiled)) if e.msgid}
    assert source.keys() == built.keys(), f"{catalog_id(compiled)} is out of date: make messages"
    assert all(e.msgstr == built[k].msgstr for k, e in source.items()), catalog_id(compiled)
