"""The one path from user-written Markdown to HTML that a page may show.

Python-Markdown with a small, deliberate set of extensions turns the text into HTML;
bleach then keeps only an explicit allowlist of tags, attributes and URL schemes. Every
call to bleach lives in this module, so the sanitizer can be replaced in one place.

The output is rendered once, when an entry is saved, and stored; `stored_html` is how a
template receives that stored output as safe markup.
"""

import xml.etree.ElementTree as etree
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "mark", "ol", "p", "pre",
        "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag == "abbr":
        return name == "title"
    if tag in {"td", "th"}:
        return name == "align" and value in {"left", "right", "center"}
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and value.startswith("language-") and value[9:].isalnum()
    return False


class _CalmTreeprocessor(Treeprocessor):
    """Shift headings one level down (the page's own title is the only h1) and turn
    images into plain links, so that reading an entry fetches nothing from elsewhere."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag in {"h1", "h2", "h3", "h4", "h5"}:
                    child.tag = f"h{int(child.tag[1]) + 1}"
                elif child.tag == "img":
                    parent[index] = self._image_as_link(child, inside_link=parent.tag == "a")

    @staticmethod
    def _image_as_link(image: etree.Element, *, inside_link: bool) -> etree.Element:
        src = image.get("src", "")
        label = image.get("alt") or image.get("title") or src
        if inside_link:
            replacement = etree.Element("span")
        else:
            replacement = etree.Element("a", {"href": src})
        replacement.text = f"[image: {label}]" if label else "[image]"
        replacement.tail = image.tail
        return replacement


class _CalmExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_CalmTreeprocessor(md), "mirror_calm", 0)


def _is_same_site(href: str) -> bool:
    """A fragment or a path on this site. `//host` and `/\\host` lead to another site:
    browsers read both as scheme-relative."""
    return href.startswith("#") or (href.startswith("/") and href[1:2] not in {"/", "\\"})


def _set_rel(attrs: dict, new: bool = False) -> dict | None:
    if not _is_same_site(attrs.get((None, "href"), "")):
        attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_set_rel],
            skip_tags={"pre", "code"},
            parse_email=False,
        )
    ],
)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            "sane_lists",
            "nl2br",
            "tables",
            _CalmExtension(),
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


def render_markdown(text: str) -> str:
    """Markdown written by a user → sanitized HTML that is safe to show as is."""
    if not text:
        return ""
    html = _markdown().convert(text)
    return _cleaner.clean(html)


def stored_html(html: str) -> SafeString:
    """Mark HTML as safe for a template. Only ever pass `render_markdown` output
    (as stored on save), never text that did not come out of the sanitizer."""
    return mark_safe(html)


def highlight(text: str, start: str, stop: str) -> SafeString:
    """A search snippet of user text with the matched words between the `start` and `stop`
    markers: everything is escaped, then only the markers become <mark> elements."""
    escaped = escape(text.replace("<mark>", "").replace("</mark>", ""))
    return mark_safe(escaped.replace(start, "<mark>").replace(stop, "</mark>"))
