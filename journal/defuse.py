"""Defusing: the texts that would cost Python-Markdown time growing with the square of their
length, made linear before they are rendered (journal/markdown.py renders; this module only
rewrites the text and puts it back).

For each kind of opener, the characters Python-Markdown scans looking for its closer
(plus a fixed cost per opener, its handling in several inline patterns), measured in
bench/rendering.py: an unclosed `[` is scanned to the end of its paragraph by each of the
link and reference patterns, the `(` after `]` to the end of the paragraph, and a `<`
that no `>` follows to the end of the text (the HTML parser retries from each one).
Within SCAN_BUDGET (about 0.1 s) nothing is hidden, so honest text is never touched;
past it, the costliest openers are hidden until the rest fits.
"""

import re

SCAN_BUDGET = 300_000
OPENER_COST = 30

# Private-use characters from the last plane stand in for the hidden openers: no text holds
# them (a text that does is left as it is) and no Markdown rule reacts to them. They are put
# back as what the opener would have been: `[` and `(` before sanitizing, `<` (as `&lt;`)
# after, which spares bleach parsing an entity per hidden `<`.
_STAND_INS = {"[": "\U0010ff00", "(": "\U0010ff01", "<": "\U0010ff02"}
PUT_BACK = str.maketrans({"\U0010ff00": "[", "\U0010ff01": "("})
PUT_BACK_AFTER = str.maketrans({"\U0010ff02": "&lt;"})
_RESERVED = re.compile("[\U0010ff00-\U0010ff0f]")
# A blank line ends a paragraph: no inline scan crosses it. (A browser sends "\r\n".)
BLANK_LINE = r"\n[ \t\r]*(?=\n)"
_BRACKETS = re.compile(rf"\\.|[\[\]]|{BLANK_LINE}")
_PARENS = re.compile(rf"\\.|\]\(|[()]|{BLANK_LINE}")


def _bracket_scans(text: str) -> list[tuple[int, int]]:
    """(position, characters scanned) of each `[`: up to its `]`, or the paragraph's end."""
    scans, open_at = [], []
    for match in _BRACKETS.finditer(text):
        token, at = match.group(), match.start()
        if token == "[":
            open_at.append(at)
        elif token == "]":
            if open_at:
                start = open_at.pop()
                scans.append((start, at - start))
        elif token[0] == "\n":
            scans.extend((start, at - start) for start in open_at)
            open_at.clear()
    scans.extend((start, len(text) - start) for start in open_at)
    return scans


def _paren_scans(text: str) -> list[tuple[int, int]]:
    """(position, characters scanned) of each `(` that follows a `]`, as a link's address:
    up to the `)` that balances it, or the paragraph's end."""
    scans, open_at = [], []  # (position, is a link's)
    for match in _PARENS.finditer(text):
        token, at = match.group(), match.start()
        if token == "](":
            open_at.append((at + 1, True))
        elif token == "(":
            open_at.append((at, False))
        elif token == ")":
            if open_at:
                start, is_link = open_at.pop()
                if is_link:
                    scans.append((start, at - start))
        elif token[0] == "\n":
            scans.extend((start, at - start) for start, is_link in open_at if is_link)
            open_at.clear()
    scans.extend((start, len(text) - start) for start, is_link in open_at if is_link)
    return scans


def _angle_scans(text: str) -> list[tuple[int, int]]:
    """(position, characters scanned) of each `<` after the text's last `>`: nothing can
    close it, and the HTML parser scans to the end from each one."""
    last_close = text.rfind(">")
    return [(at, len(text) - at) for at in _indexes(text, "<", last_close + 1)]


def _indexes(text: str, char: str, start: int) -> list[int]:
    found, at = [], text.find(char, start)
    while at != -1:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _costliest(scans: list[tuple[int, int]]) -> list[int]:
    """The positions to hide so that the remaining scans fit in SCAN_BUDGET."""
    total = sum(length for _, length in scans) + OPENER_COST * len(scans)
    if total <= SCAN_BUDGET:
        return []
    hidden = []
    for at, length in sorted(scans, key=lambda scan: scan[1], reverse=True):
        hidden.append(at)
        total -= length + OPENER_COST
        if total <= SCAN_BUDGET:
            break
    return hidden


def defuse(text: str) -> str:
    """The text with its costliest unclosable openers replaced by stand-ins (see above).
    A text that already holds a stand-in character is left as it is."""
    if _RESERVED.search(text):
        return text
    hidden = [
        *_costliest(_bracket_scans(text)),
        *_costliest(_paren_scans(text)),
        *_costliest(_angle_scans(text)),
    ]
    if not hidden:
        return text
    chars = list(text)
    for at in hidden:
        chars[at] = _STAND_INS[chars[at]]
    return "".join(chars)
