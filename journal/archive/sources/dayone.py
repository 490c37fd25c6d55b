"""Day One (https://dayoneapp.com): its export zip. One JSON file per journal
(`Journal.json`, and others named after their journals), each with `metadata.version` and
`entries[]`: `uuid`, `creationDate` (UTC), `timeZone`, `text` in Day One's Markdown,
`tags`, `starred`, location and weather; media in `photos/`, `videos/`, `audios/` and
`pdfs/`.

An entry's date is its local date in its own time zone. A first line that is a heading
becomes the title. Media cannot come along yet: their references leave the text (no broken
links) and each entry's photos, videos, audio files and PDFs are counted, by kind, for the
preview; the media folders are never unpacked. Day One escapes punctuation in its
Markdown (`\\.`, `\\!`); a title is plain text, so it loses those backslashes, while a body
keeps them, which Markdown reads as the characters themselves."""

import datetime as dt
import json
import re
import zipfile
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext

from ..frontmatter import FormatProblem
from ..reading import ImportRejected, read_text_member
from .base import SourceEntry, SourceRead, heading_title, json_shape_problem

FORMAT = "dayone"
# A journal's JSON holds its text and, per entry, a kilobyte or two of location, weather
# and media records: ten years of daily entries come to about 16 MB.
MAX_JSON_BYTES = 40 * 1024 * 1024
MEDIA = {"photos": "photos", "videos": "videos", "audios": "audio files", "pdfAttachments": "PDFs"}
# What Mirror has no place for yet: counted, so the preview says it stays behind.
KEPT_ELSEWHERE = {
    "starred": "stars (Mirror has none)",
    "location": "places",
    "weather": "weather notes",
}
# ![](dayone-moment://ID), ![](dayone-moment:/video/ID) and the like, with the spaces
# around them.
_MOMENT = re.compile(r"[ \t]*!\[[^\]\n]*\]\(dayone-moment:[^)\s]*\)[ \t]*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")


def journal_files(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The zip's journal files: JSON at its top (or in the one folder it sits in)."""
    return [
        info
        for info in infos
        if not info.is_dir()
        and info.filename.lower().endswith(".json")
        and info.filename.count("/") <= 1
        and not info.filename.startswith(("__MACOSX/", "."))
    ]


def is_dayone(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    """Whether the zip holds a Day One journal: a JSON file with `metadata` and `entries`."""
    for info in journal_files(infos)[:5]:
        try:
            head = read_text_member(archive, info, MAX_JSON_BYTES)[:2000]
        except FormatProblem:
            continue
        if head.lstrip().startswith("{") and '"metadata"' in head:
            return True
    return False


def read_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> SourceRead:
    read = SourceRead(FORMAT)
    budget = MAX_JSON_BYTES
    for info in journal_files(infos):
        try:
            text = read_text_member(archive, info, budget)
            budget -= info.file_size
            if problem := json_shape_problem(text):
                read.problems.append(f"{info.filename}: {problem}")
                continue
            data = json.loads(text)
        except FormatProblem as problem:
            read.problems.append(f"{info.filename}: {problem}")
            continue
        except (ValueError, RecursionError):
            read.problems.append(
                f"{info.filename}: " + gettext("it is not a Day One journal file (JSON).")
            )
            continue
        del text
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            read.skipped["files that are not journals"] += 1
            continue
        journal = info.filename.rsplit("/", 1)[-1].removesuffix(".json")
        for index, raw in enumerate(data["entries"]):
            # Translators: where a problem is: "Journal, entry 3" (the journal's name).
            where = gettext("%(journal)s, entry %(number)s") % {
                "journal": journal,
                "number": index + 1,
            }
            _read_entry(read, raw, where)
    if not any(journal_files(infos)):
        raise ImportRejected([gettext("This Day One export holds no journal (no .json file).")])
    return read


def _read_entry(read: SourceRead, raw: object, where: str) -> None:
    try:
        uuid = str(raw["uuid"]).strip()
        created = dt.datetime.fromisoformat(str(raw["creationDate"]).replace("Z", "+00:00"))
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        zone = _zone(raw.get("timeZone"))
        text = str(raw.get("text") or "")
        tags = tuple(
            dict.fromkeys(str(tag).strip() for tag in raw.get("tags") or [] if str(tag).strip())
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        read.problems.append(f"{where}: " + gettext("it is not an entry as Day One exports one."))
        return
    if not uuid:
        read.problems.append(f"{where}: " + gettext("it has no uuid."))
        return
    for key, label in MEDIA.items():
        if count := len(raw.get(key) or []):
            read.skipped[label] += count
    for key, label in KEPT_ELSEWHERE.items():
        if raw.get(key):
            read.skipped[label] += 1
    text = _without_media(text)
    title, body = _title_and_body(text)
    local = created.astimezone(zone)
    read.add(
        SourceEntry(
            source_id=f"{FORMAT}:{uuid}",
            written_on=local.date(),
            created=created,
            title=title,
            body=body,
            tags=tags,
            where=where,
        )
    )


def _without_media(text: str) -> str:
    """The text without its media references; a line that held only those goes too."""
    if "dayone-moment:" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        kept = _MOMENT.sub(" ", line).strip(" \t") if _MOMENT.search(line) else line
        if kept or not line.strip():
            lines.append(kept)
    return "\n".join(lines)


def _zone(name: object) -> dt.tzinfo:
    try:
        return ZoneInfo(str(name)) if name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _title_and_body(text: str) -> tuple[str, str]:
    split = heading_title(text)
    if split is None:
        return "", text.strip("\n")
    title, body = split
    return _ESCAPE.sub(r"\1", title).strip(), body
