"""What text written in other apps relies on, for journal.markdown: ~~strikethrough~~,
task lists (`- [ ] call`, `- [x] called`, as Obsidian and GitHub write them) and footnotes
(`[^1]`), with the ids and classes the sanitizer lets through for them and nothing else."""

import hashlib
import re
import xml.etree.ElementTree as etree

# What footnotes add, and nothing else: their ids (numbered, with a prefix of the text's own
# digest, so two entries on one page never share one), their links' classes, their block.
FOOTNOTE_ID = re.compile(r"\Afn(ref)?-[0-9a-f]{6}-\d{1,4}(-\d{1,4})?\Z")
FOOTNOTE_LINK_CLASSES = frozenset({"footnote-ref", "footnote-backref"})

STRIKE = r"(~{2})(?!~)(.+?)(?<!~)~{2}"
_TASK = re.compile(r"\A\[([ xX])\] ")
_BALLOT = {" ": "\u2610 ", "x": "\u2611 ", "X": "\u2611 "}  # ☐ to do, ☑ done


def mark_task(item: etree.Element) -> None:
    """`[ ] ` or `[x] ` at the start of a list item becomes ☐ or ☑ (text: nothing to click,
    and nothing for the sanitizer to allow)."""
    holder = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() else item
    match = _TASK.match(holder.text or "")
    if match:
        holder.text = _BALLOT[match.group(1)] + holder.text[match.end() :]


_FOOTNOTE_REF = re.compile(r"\A(#?)fnref(\d*):(.+)\Z")
_FOOTNOTE = re.compile(r"\A(#?)fn:(.+)\Z")


def number_footnotes(root: etree.Element, source: str) -> None:
    """Footnote ids numbered as shown (`fn:my-note` → `fn-1a2b3c-2`), under a prefix of the
    text's digest: two entries on one page (the print page) never share an id, and the
    same text always renders the same."""
    block = next((e for e in root.iter("div") if e.get("class") == "footnote"), None)
    if block is None:
        return
    prefix = hashlib.sha256(source.encode()).hexdigest()[:6]
    numbers = {}
    for number, item in enumerate((li for li in block.iter("li") if li.get("id")), 1):
        numbers[item.get("id")[3:]] = number

    def renamed(value: str) -> str | None:
        if match := _FOOTNOTE_REF.match(value):
            hash_, again, label = match.groups()
            number = numbers.get(label)
            suffix = f"-{again}" if again else ""
            return None if number is None else f"{hash_}fnref-{prefix}-{number}{suffix}"
        if match := _FOOTNOTE.match(value):
            hash_, label = match.groups()
            number = numbers.get(label)
            return None if number is None else f"{hash_}fn-{prefix}-{number}"
        return None

    for element in root.iter():
        for name in ("id", "href"):
            value = element.get(name)
            if value and (new := renamed(value)) is not None:
                element.set(name, new)
