"""The one path from user-written Markdown to HTML that a page may show.

Python-Markdown with a small, deliberate set of extensions turns the text into HTML;
bleach then keeps only an explicit allowlist of tags, attributes and URL schemes. Every
call to bleach lives in this module, so the sanitizer can be replaced in one place.

The output is rendered once, when an entry is saved, and stored; `stored_html` is how a
template receives that stored output as safe markup.

Rendering is bounded, because some texts cost Python-Markdown time that grows with the
square of their length (each unclosed `[`, `](` or `<` makes it search to the end of the
text again), and lists nested a few hundred levels deep exhaust Python's stack:

- `defuse` (journal/defuse.py) scans the text once and hides the openers whose searches
  would cost the most behind stand-in characters, put back in the HTML afterwards: in
  practice those are openers that nothing closes, so the page shows the same HTML, minus
  the searching;
- lists and quotes nest at most `MAX_NESTING` levels deep; deeper markers stay text;
- every render runs in a helper process with a CPU-time budget (`RENDER_BUDGET`), and a
  helper still busy at `RENDER_WALL_LIMIT` is killed. A text that needs longer is refused
  with `MarkdownRefused`, whose message says what to change.

bench/markdown.py measures a corpus of such texts at the length limit.
"""

import atexit
import hashlib
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import traceback
import xml.etree.ElementTree as etree
from collections import Counter, OrderedDict
from functools import partial
from multiprocessing.connection import Connection

import bleach
import markdown
from bleach import linkifier
from bleach.linkifier import LinkifyFilter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

from .defuse import BLANK_LINE, PUT_BACK, PUT_BACK_AFTER, defuse
from .markdown_syntax import (
    FOOTNOTE_ID,
    FOOTNOTE_LINK_CLASSES,
    STRIKE,
    mark_task,
    number_footnotes,
)
from .text import number_text

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "mark", "ol", "p", "pre",
        "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"} or (name == "class" and value in FOOTNOTE_LINK_CLASSES)
    if tag in {"sup", "li"}:
        return name == "id" and bool(FOOTNOTE_ID.match(value))
    if tag == "div":
        return name == "class" and value == "footnote"
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
    images into plain links, so that reading an entry fetches nothing from elsewhere.
    Task list items (`- [ ] call` and `- [x] called`, as Obsidian and GitHub write them)
    start with a ballot box; footnotes get ids of their own."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag in {"h1", "h2", "h3", "h4", "h5"}:
                    child.tag = f"h{int(child.tag[1]) + 1}"
                elif child.tag == "img":
                    parent[index] = self._image_as_link(child, inside_link=parent.tag == "a")
                elif child.tag == "li" and parent.tag in {"ul", "ol"}:
                    mark_task(child)
        number_footnotes(root, "\n".join(self.md.lines))

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


# How deep the block parser may recurse: a quote or a list on one line opens one level, an
# indented list two. Deeper markers stay plain text. Honest writing nests a handful of
# levels; each costs Python-Markdown a few stack frames, and about 500 exhaust them.
MAX_NESTING = 50
_NESTING_PROCESSORS = ("indent", "olist", "ulist", "quote")


class _TableProcessor(TableProcessor):
    """The tables extension's processor, whose test reads a block's first two lines before
    all of them. Its test splits and strips every line of each block it is asked about,
    and a block of many headings is asked about again after each one: thousands of lines
    of `#` cost seconds. Two lines decide unless they start a table."""

    def test(self, parent: etree.Element, block: str) -> bool:
        first_break = block.find("\n")
        second_break = block.find("\n", first_break + 1) if first_break != -1 else -1
        if second_break == -1:
            return super().test(parent, block)
        # Whenever the whole block passes, its first two lines do (they decide, but for a
        # table of one column, whose every line needs a `|`).
        return super().test(parent, block[:second_break]) and super().test(parent, block)


class _CalmExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_CalmTreeprocessor(md), "mirror_calm", 0)
        # ~~struck through~~, as GitHub, Obsidian and Day One write it.
        md.inlinePatterns.register(SimpleTagInlineProcessor(STRIKE, "del"), "mirror_del", 65)
        tables = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_TableProcessor(md.parser, tables.config), "table", 75)
        self._limit_nesting(md.parser)

    @staticmethod
    def _limit_nesting(parser: BlockParser) -> None:
        """Count how deep the block parser has recursed; past MAX_NESTING the processors
        that open a nested level decline, and the block becomes a paragraph. (Python-
        Markdown stops quotes only near the recursion limit, and lists not at all.)"""
        depth = 0
        parse_blocks = parser.parseBlocks

        def counted(parent: etree.Element, blocks: list[str]) -> None:
            nonlocal depth
            depth += 1
            try:
                parse_blocks(parent, blocks)
            finally:
                depth -= 1

        def bounded(test):
            return lambda parent, block: depth <= MAX_NESTING and test(parent, block)

        parser.parseBlocks = counted
        for name in _NESTING_PROCESSORS:
            processor = parser.blockprocessors[name]
            processor.test = bounded(processor.test)


def _is_same_site(href: str) -> bool:
    """A fragment or a path on this site. `//host` and `/\\host` lead to another site:
    browsers read both as scheme-relative."""
    return href.startswith("#") or (href.startswith("/") and href[1:2] not in {"/", "\\"})


def _set_rel(attrs: dict, new: bool = False) -> dict | None:
    if not _is_same_site(attrs.get((None, "href"), "")):
        attrs[(None, "rel")] = LINK_REL
    return attrs


# bleach's address pattern starts with `\(*`: at every `(` of a long run it takes the rest of
# the run and gives it back one by one, a search that grows with the run's square. A match
# that starts inside a run also starts at the run's first `(`, so starting only there finds
# the same links.
_URL_RE = re.compile(r"(?<!\()" + linkifier.URL_RE.pattern, linkifier.URL_RE.flags)

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
            url_re=_URL_RE,
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
            "footnotes",
            _CalmExtension(),
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "Back to the text"},
        },
        output_format="html",
    )


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown instance: building one (its extensions and patterns) costs
    more than converting a page of text, and `reset()` makes it as good as new."""
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = _markdown()
    return md.reset()


def _render_here(text: str) -> str:
    """Markdown → sanitized HTML in this process, with no time limit."""
    defused = defuse(text)
    try:
        html = _converter().convert(defused)
    except BaseException:  # stopped part way (a budget, an error): start the next afresh
        _local.markdown = None
        raise
    if defused is text:
        return _cleaner.clean(html)
    return _cleaner.clean(html.translate(PUT_BACK)).translate(PUT_BACK_AFTER)


# The time budget ------------------------------------------------------------------------

# CPU seconds one render may take; a render that needs more is refused, not finished. An
# honest 3,000-word entry takes about 0.04 s, and prose dense with links and emphasis at
# the length limit about 0.75 s (bench/markdown.py).
RENDER_BUDGET = 1.0
# A helper still busy this long after being sent a text (stuck in one long regular-
# expression search, or starved on a busy machine) is killed, and the text refused.
RENDER_WALL_LIMIT = 3.0
# How long a new helper may take to start (import Python-Markdown and bleach: about 0.2 s).
HELPER_START_LIMIT = 10.0


class MarkdownRefused(ValueError):
    """The text cannot be rendered within the budget; the message says what to change."""


class _OverBudget(BaseException):
    """Raised in a helper by its CPU timer. A BaseException, so that no `except Exception`
    inside Python-Markdown or bleach swallows it."""


_armed = False  # in a helper: a render is running and the timer may interrupt it


def _on_timer(signum, frame) -> None:
    if _armed:
        raise _OverBudget


def _render_timed(text: str) -> tuple[str, str]:
    """In a helper: ("ok", html); ("slow" | "deep", "") when the text cannot be rendered;
    ("error", traceback) on a bug, which the caller raises again."""
    global _armed
    try:
        _armed = True
        signal.setitimer(signal.ITIMER_PROF, RENDER_BUDGET)
        html = _render_here(text)
        _armed = False
        return "ok", html
    except _OverBudget:
        return "slow", ""
    except RecursionError:
        return "deep", ""
    except Exception:
        return "error", traceback.format_exc()
    finally:
        _armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)


def _serve(receive_fd: int, send_fd: int) -> None:
    """A helper process: render each text received, until the other end closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    signal.signal(signal.SIGPROF, _on_timer)
    receive = Connection(receive_fd, writable=False)
    send = Connection(send_fd, readable=False)
    send.send("ready")
    while True:
        try:
            text = receive.recv()
            send.send(_render_timed(text))
        except (EOFError, BrokenPipeError):  # the process that started us is gone
            return


# How a helper starts: this interpreter, with this process's import path and not the
# current folder's (-P), so that it imports the same journal.markdown and nothing else.
# (multiprocessing would also run the parent's main script again, guard or not.)
_HELPER_CODE = (
    "import sys; sys.path[:] = sys.argv[3:]; from journal.markdown import _serve; "
    "_serve(int(sys.argv[1]), int(sys.argv[2]))"
)


class _Helper:
    """One helper process, rendering one text at a time."""

    def __init__(self) -> None:
        their_receive, our_send = os.pipe()
        our_receive, their_send = os.pipe()
        self.send = Connection(our_send, readable=False)
        self.receive = Connection(our_receive, writable=False)
        self.used = False
        command = [sys.executable, "-P", "-c", _HELPER_CODE, str(their_receive), str(their_send)]
        try:
            self.process = subprocess.Popen(
                [*command, *sys.path],
                stdin=subprocess.DEVNULL,
                pass_fds=(their_receive, their_send),
            )
        except OSError:
            self.send.close()
            self.receive.close()
            raise
        finally:
            os.close(their_receive)
            os.close(their_send)
        # Wait until it can render, so that a helper that cannot start at all (no usable
        # interpreter) is told apart from one that a text crashed.
        try:
            if self.receive.poll(HELPER_START_LIMIT) and self.receive.recv() == "ready":
                return
        except EOFError:
            pass
        self.stop()
        raise OSError("the Markdown helper process did not start")

    def render(self, text: str) -> tuple[str, str]:
        self.used = True
        self.send.send(text)
        if not self.receive.poll(RENDER_WALL_LIMIT):
            raise TimeoutError
        return self.receive.recv()

    def stop(self, *, kill: bool = True) -> None:
        self.send.close()  # the helper reads the end of its input and returns
        self.receive.close()
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:  # pragma: no cover - a helper that ignores EOF
            self.process.kill()
            self.process.wait()


class _Helpers:
    """The idle helpers of this process; one is started for each render running at the
    same time (one per thread that renders), and kept for the next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Helper] = []
        self._pid = os.getpid()
        self.unavailable = False  # a helper failed to start: this process renders itself
        atexit.register(self.stop)

    def take(self) -> _Helper:
        with self._lock:
            if self._pid != os.getpid():  # a forked child: the parent's helpers are not ours
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return _Helper()

    def give_back(self, helper: _Helper) -> None:
        with self._lock:
            if self._pid == os.getpid():
                self._idle.append(helper)

    def stop(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            if self._pid != os.getpid():
                return
        for helper in idle:
            helper.stop(kill=False)

    def render(self, text: str) -> tuple[str, str]:
        helper = self.take()
        fresh = not helper.used
        try:
            result = helper.render(text)
        except TimeoutError:
            helper.stop()
            return "stuck", ""
        except (EOFError, OSError):  # the helper died
            helper.stop()
            if fresh:
                return "crashed", ""  # on this text
            return self.render(text)  # while idle (killed from outside): take another
        self.give_back(helper)
        return result


_helpers = _Helpers()
_last = threading.local()  # this thread's last text and its HTML (see render_markdown)
# Digests (never the text) of texts that overran the CPU budget lately, with the cause of
# the refusal: sent again (a second click on Preview, a script), such a text is refused at
# once, in the language of the request that sent it.
_refused: OrderedDict[bytes, tuple] = OrderedDict()
_REFUSED_KEPT = 256
_refused_lock = threading.Lock()


def render_markdown(text: str) -> str:
    """Markdown written by a user → sanitized HTML that is safe to show as is.

    Raises MarkdownRefused when the text cannot be rendered within the budget."""
    if not text:
        return ""
    # A form checks that the text renders, then the model renders it again to store it:
    # the second call, on the same thread, finds the first one's result.
    if getattr(_last, "text", None) == text:
        return _last.html
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    with _refused_lock:
        cause = _refused.get(digest)
    if cause:
        raise MarkdownRefused(_refusal_message(cause))
    try:
        if _helpers.unavailable:
            raise OSError("no Markdown helper process")
        status, html = _helpers.render(text)
    except OSError:  # no helper process can start here: render in this process, unbounded
        if not _helpers.unavailable:
            _helpers.unavailable = True
            logger.exception("Markdown helper process unavailable; rendering in process")
        status, html = "ok", _render_here(text)
    if status == "ok":
        _last.text, _last.html = text, html
        return html
    if status == "error":
        raise RuntimeError(f"rendering failed in the helper process:\n{html}")
    cause = _refusal(text, status)
    if status in {"slow", "deep"}:  # the text's own cost, not a busy machine's
        with _refused_lock:
            _refused[digest] = cause
            while len(_refused) > _REFUSED_KEPT:
                _refused.popitem(last=False)
    raise MarkdownRefused(_refusal_message(cause))


# What a refusal says -----------------------------------------------------------------------

_MARKUP = "[]()<>&*_`|#\\!-=~"


def _refusal(text: str, status: str) -> tuple:
    """The most likely cause, to tell the writer what to change: ("deep",), ("lines", n),
    ("marks", n, the character) or ("slow",)."""
    if status == "deep":
        return ("deep",)
    lines = max(len(part.splitlines()) for part in re.split(BLANK_LINE, text))
    counts = Counter(char for char in text if char in _MARKUP)
    char, count = counts.most_common(1)[0] if counts else ("", 0)
    if lines > 1_000 and lines > count:
        return ("lines", lines)
    if count:
        return ("marks", count, char)
    return ("slow",)


def _refusal_message(cause: tuple) -> str:
    """What to tell the writer, in the active language: the cause, and what to change."""
    kind, *what = cause
    if kind == "deep":
        return gettext(
            "Mirror cannot show this text: it is nested too deeply (lists or quotes inside "
            "each other hundreds of times). Remove most of the nesting and try again."
        )
    if kind == "lines":
        (lines,) = what
        return ngettext(
            "Mirror cannot lay out this text in time: one passage has %(n)s line with "
            "no blank line between them. Put blank lines between its paragraphs, or shorten "
            "it, and try again.",
            "Mirror cannot lay out this text in time: one passage has %(n)s lines with "
            "no blank line between them. Put blank lines between its paragraphs, or shorten "
            "it, and try again.",
            lines,
        ) % {"n": number_text(lines)}
    if kind == "marks":
        count, char = what
        n = number_text(count)
        if char == "\\":
            marks = ngettext("%(n)s backslash", "%(n)s backslashes", count) % {"n": n}
        elif char == "`":
            marks = ngettext("%(n)s backtick", "%(n)s backticks", count) % {"n": n}
        else:
            # Translators: a count of one character the text holds: 2,000 “#” signs.
            marks = ngettext("%(n)s “%(char)s” sign", "%(n)s “%(char)s” signs", count) % {
                "n": n,
                "char": char,
            }
        # Translators: %(marks)s is a count of one character: "2,000 backslashes".
        return gettext(
            "Mirror cannot lay out this text in time: it holds %(marks)s, and working out "
            "what each one marks takes too long. Remove most of them, or shorten the text, "
            "and try again."
        ) % {"marks": marks}
    return gettext("Mirror cannot lay out this text in time. Shorten it and try again.")


def stored_html(html: str) -> SafeString:
    """Mark HTML as safe for a template. Only ever pass `render_markdown` output
    (as stored on save), never text that did not come out of the sanitizer."""
    return mark_safe(html)


def highlight(text: str, start: str, stop: str) -> SafeString:
    """A search snippet of user text with the matched words between the `start` and `stop`
    markers: everything is escaped, then only the markers become <mark> elements."""
    escaped = escape(text.replace("<mark>", "").replace("</mark>", ""))
    return mark_safe(escaped.replace(start, "<mark>").replace(stop, "</mark>"))
