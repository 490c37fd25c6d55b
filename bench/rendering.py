"""Markdown benchmark: how long the worst texts take to render, at the length limit.

    python bench/rendering.py [--size 100000] [--quick] [--repeat 3]

Renders a corpus of pathological texts (`corpus`: runs of unclosed `[`, `![`, `[a](`, `<a `,
`<http://`, lists and quotes nested thousands deep, floods of entities, backticks, tables,
line breaks…) each at the length limit (BODY_MAX_LENGTH; 10,000 characters with --quick)
through `journal.markdown.render_markdown`, and an honest 3,000-word entry, and prints per
text the seconds it took (median of --repeat) and whether it rendered or was refused.

The target (issue 13): every text renders in under a second (RENDER_BUDGET) or is refused
with a message. The exit code is 1 only on an error (an exception other than
MarkdownRefused, or an honest entry whose HTML changed); timings never change it.

Before the bounds, the same texts took (seconds of CPU, this machine, render + sanitize;
"at the limit" is 100,000 characters):

    unclosed `[` x 4,000            3.4      (x 10,000: 18.4; at the limit: ~20 min, extrapolated)
    `![` x 4,000                    1.6      (x 5,000 pairs: 9.7)
    `[a](` at the limit             165      (x 2,500: 2.3)
    `<a ` at the limit              114      (x 3,333: 1.3)
    `<a\\n` at the limit            108
    `<http://` at the limit         17.4     (`<![CDATA[` x 1,000: 3.0)
    a list nested 400 deep          0.7      (600 deep: RecursionError, a 500)
    `(` at the limit                167      (x 20,000: 7.2; one search in bleach's linkify)
    `a-` x 10,000                   2.0      (the same search)
    `a\\n` at the limit             10.9     (50,000 line breaks in one paragraph)
    `&` at the limit                3.3      (HTML sanitizing: 500,000 characters out)
    a table of 20,000 rows          17.4
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUICK_SIZE = 10_000


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def _lines(make, size: int) -> str:
    """Lines make(0), make(1), … while they fit in `size` characters."""
    lines, total, level = [], 0, 0
    while total + len(make(level)) + 1 <= size:
        lines.append(make(level))
        total += len(lines[-1]) + 1
        level += 1
    return "\n".join(lines)


def _random_markup(size: int, seed: int) -> str:
    """Markup fragments in random order: what a fuzzer finds, kept reproducible."""
    rng = random.Random(seed)
    pieces = [
        *"[]()<>!*_`\\-#|& \na",
        *("http://", "![", "](", "<a ", "    ", "> ", "- ", "1. ", "&#", "```\n"),
    ]
    text, length = [], 0
    while length < size:
        text.append(rng.choice(pieces))
        length += len(text[-1])
    return "".join(text)[:size]


def corpus(size: int) -> dict[str, str]:
    """Pathological texts of about `size` characters, by name."""
    half = size // 2
    texts = {
        # Unclosed or far-closed link and image openers (quadratic before the bounds).
        "[": _fill("[", size),
        "![": _fill("![", size),
        "[![": _fill("[![", size),
        "[a](": _fill("[a](", size),
        "[](": _fill("[](", size),
        "[a][": _fill("[a][", size),
        "[ … ] nested": "[" * half + "]" * half,
        "*[": _fill("*[", size),
        "[a](b ": _fill("[a](b ", size),
        '[a](b "': _fill('[a](b "', size),
        "[a](<": _fill("[a](<", size),
        "[]": _fill("[]", size),
        "[a] refs": _fill("[a]: http://x\n", half) + _fill("[a]", half),
        # Unclosed HTML and autolinks.
        "<a ": _fill("<a ", size),
        "<a  then >": _fill("<a ", size - 1) + ">",
        "<a\\n": _fill("<a\n", size),
        '<a href="': _fill('<a href="', size),
        "<http://": _fill("<http://", size),
        "<![CDATA[": _fill("<![CDATA[", size),
        "<!--": _fill("<!--", size),
        "<div> unclosed": _fill("<div>\n", size),
        "<b><i>": _fill("<b><i>", size),
        "<blockquote>": _fill("<blockquote>", size),
        "<": _fill("<", size),
        # Nesting: lists and quotes thousands of levels deep.
        "- - - x": _fill("- ", size, tail="x"),
        "1. 1. 1. x": _fill("1. ", size, tail="x"),
        "> > > x": _fill("> ", size, tail="x"),
        ">>> x": _fill(">", size, tail=" x"),
        "list indented": _lines(lambda n: "    " * n + "- x", size),
        "quote lines": _lines(lambda n: ">" * (n + 1) + " x", size),
        "mixed nesting": _fill("> - ", size, tail="x"),
        # Inline floods: every character a construct.
        "*a": _fill("*a", size),
        "_a": _fill("_a", size),
        "**a": _fill("**a", size),
        "`a": _fill("`a", size),
        "``a": _fill("``a", size),
        "\\[": _fill("\\[", size),
        "&": _fill("&", size),
        "&#": _fill("&#", size),
        "&#1": _fill("&#1", size),
        "&amp;": _fill("&amp;", size),
        "<a>": _fill("<a>", size),
        "(": _fill("(", size),
        "a-": _fill("a-", size),
        "url (((": _fill("(", size, head="http://a.example/"),
        "www.a.": _fill("www.a.", size),
        # Lines and blocks.
        "a\\n": _fill("a\n", size),
        "a␠␠\\n": _fill("a  \n", size),
        "#\\n": _fill("#\n", size),
        "a\\n=\\n": _fill("a\n=\n", size),
        "```\\n": _fill("```\n", size),
        "    code": _fill("    a\n", size),
        "table columns": _fill("|a", half) + "\n" + _fill("|-", half),
        "table rows": "|a|b|\n|-|-|\n" + _fill("|a|b|\n", size - 12),
        "long word": _fill("a", size),
        "prose paragraphs": _fill(
            "Some *words* and a [link](https://example.com/x) here.\n\n", size
        ),
    }
    for seed in range(3):
        texts[f"random {seed}"] = _random_markup(size, seed)
    return texts


def honest_entry(words: int = 3_000, seed: int = 1) -> str:
    """A long evening's entry: paragraphs with emphasis and links, lists, a quote, a table."""
    rng = random.Random(seed)
    sentences = [
        "I woke before the alarm again and lay there listening to the rain.",
        "When I sit with the feeling instead of running from it, it softens a little.",
        "I talked to a friend and felt *heard* for the first time in weeks.",
        "I want to be someone who can stay, even when it is **hard**.",
        "The article [on attachment](https://example.com/attachment) said it better.",
        "Maybe the distance is teaching me where I end and where they begin.",
        "I keep a note of it at <https://example.org/notes> for later.",
    ]
    blocks = [
        "- a long walk\n- tea by the window\n- one honest sentence to myself",
        "1. breathe\n2. write\n3. let it be",
        "> What you resist persists.",
        "| day | mood |\n|:--|--:|\n| Monday | low |\n| Friday | better |",
    ]
    parts, count = ["# An evening"], 2
    while count < words:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7)))
        parts.append(paragraph)
        count += len(paragraph.split())
        if rng.random() < 0.25:
            parts.append(rng.choice(blocks))
            count += len(parts[-1].split())
    return "\n\n".join(parts)


def setup_django() -> None:
    """Settings as in production; no database is touched (the URL is an in-memory one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-not-used-for-anything-else")
    os.environ.setdefault("DJANGO_MFA_KEY", "bench-only-two-factor-key-not-used-elsewhere")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()


def _time(render, text: str, repeat: int) -> tuple[float, str]:
    """Median seconds of `repeat` renders, and the outcome. Each render gets a text of its
    own (a trailing space more), as render_markdown remembers the last text it rendered
    and the texts it refused."""
    from journal.markdown import MarkdownRefused

    seconds, outcome = [], ""
    for copy in range(repeat):
        start = time.perf_counter()
        try:
            html = render(text + " " * copy)
            outcome = f"rendered ({len(html):,} characters)"
        except MarkdownRefused:
            outcome = "refused"
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), outcome


def _median_ms(render, text: str, runs: int) -> float:
    render(text)  # warm up
    times = []
    for copy in range(runs):
        start = time.perf_counter()
        render(text + " " * (copy % 2 + 1))  # never the text rendered just before
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, help="characters per text (default: the limit)")
    parser.add_argument("--quick", action="store_true", help=f"texts of {QUICK_SIZE:,}")
    parser.add_argument("--repeat", type=int, default=3, help="renders per text (median)")
    parser.add_argument("--runs", type=int, default=101, help="renders of the honest entry")
    args = parser.parse_args()
    setup_django()

    from journal import markdown
    from journal.models import BODY_MAX_LENGTH

    size = args.size or (QUICK_SIZE if args.quick else BODY_MAX_LENGTH)
    repeat = 1 if args.quick else args.repeat
    start = time.perf_counter()
    markdown.render_markdown("The first render starts a helper process.")
    started = time.perf_counter() - start
    print(f"Pathological texts of {size:,} characters, median of {repeat} render(s):\n")
    print(f"{'text':<20} {'chars':>8} {'seconds':>8}  outcome")
    errors, worst = 0, ("", 0.0)
    for name, text in corpus(size).items():
        try:
            seconds, outcome = _time(markdown.render_markdown, text, repeat)
        except Exception as error:  # an error, not a refusal: the bench fails
            errors += 1
            seconds, outcome = 0.0, f"ERROR {type(error).__name__}: {error}"
        print(f"{name:<20} {len(text):>8,} {seconds:>8.3f}  {outcome}")
        if seconds > worst[1]:
            worst = (name, seconds)
    print(f"\nworst: {worst[0]!r}, {worst[1]:.3f} s (budget: {markdown.RENDER_BUDGET} s of CPU)")

    entry = honest_entry()
    runs = max(11, args.runs // 10) if args.quick else args.runs

    def as_before(text: str) -> str:
        return markdown._cleaner.clean(markdown._markdown().convert(text))

    print(
        f"\nAn honest entry of {len(entry.split()):,} words ({len(entry):,} characters), "
        f"median of {runs} renders:"
    )
    for label, render in (
        ("as before the bounds (in process, nothing checked)", as_before),
        ("in process, defused", markdown._render_here),
        ("through the helper process (what saving does)", markdown.render_markdown),
    ):
        print(f"  {label:<52} {_median_ms(render, entry, runs):6.1f} ms")
    html, unbounded = markdown.render_markdown(entry), as_before(entry)
    print(
        f"  the same HTML as before: {'yes' if html == unbounded else 'NO'}; "
        f"starting a helper took {started * 1000:.0f} ms"
    )
    if html != unbounded:
        errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
