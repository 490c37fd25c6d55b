"""An Obsidian vault, or any folder of Markdown notes, as a zip of `.md` files.

A note's date is its properties' `date` (or `created`) when it has front matter, else the
date of a daily note's file name (`2024-02-14.md`), else the time its file was last changed,
with a warning. Its title is its file's name, unless that is a date (a daily note): then
its first heading, if it starts with one. `tags` (a list, or a string of names) and `mood`
(1 to 5) come from the properties. Hidden folders (`.obsidian/`, `.trash/`) and files that
are not notes (attachments) are skipped and counted. A note is known by its path in the
vault: importing the same vault again finds the same notes."""

import datetime as dt
import re
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext

from ..frontmatter import FormatProblem, parse_entry_file
from ..reading import MAX_ARCHIVE_BYTES, MAX_ENTRY_FILE_BYTES, read_text_member
from .base import SourceEntry, SourceRead, heading_title, stable_id

FORMAT = "markdown"
_DAILY = re.compile(r"\A(\d{4}-\d{2}-\d{2})\Z")
_TAG_SPLIT = re.compile(r"[,\s]+")


def notes_in(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    return [info for info in infos if _is_note(info)]


def _hidden(info: zipfile.ZipInfo) -> bool:
    parts = info.filename.split("/")
    return parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def _is_note(info: zipfile.ZipInfo) -> bool:
    return not info.is_dir() and not _hidden(info) and info.filename.lower().endswith(".md")


def read_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> SourceRead:
    read = SourceRead(FORMAT)
    files = [info for info in infos if not info.is_dir()]
    hidden = sum(1 for info in files if _hidden(info))
    others = sum(1 for info in files if not _hidden(info) and not _is_note(info))
    if hidden:
        read.skipped["files in hidden folders (.obsidian, .trash)"] = hidden
    if others:
        read.skipped["files that are not notes (attachments)"] = others
    budget = MAX_ARCHIVE_BYTES
    for info in notes_in(infos):
        path = info.filename
        if info.file_size > MAX_ENTRY_FILE_BYTES:
            read.problems.append(
                f"{path}: "
                + gettext(
                    "the note is larger than %(size)s KB, the most Mirror reads in one entry."
                )
                % {"size": MAX_ENTRY_FILE_BYTES // 1024}
            )
            continue
        if budget <= 0:
            read.problems.append(
                gettext(
                    "The notes unpack to more than %(size)s MB; Mirror imports at most that at "
                    "once. Zip the vault in parts and import each."
                )
                % {"size": MAX_ARCHIVE_BYTES // 2**20}
            )
            break
        try:
            text = read_text_member(archive, info, budget)
            values, body = _properties(path, text)
        except FormatProblem as problem:
            read.problems.append(f"{path}: {problem}")
            continue
        budget -= info.file_size
        _read_note(read, info, values, body)
    return read


def _properties(path: str, text: str) -> tuple[dict, str]:
    if not text.removeprefix("\ufeff").startswith("---"):
        return {}, text.removeprefix("\ufeff")
    note = parse_entry_file(path, text)
    return note.values, note.body


def _read_note(read: SourceRead, info: zipfile.ZipInfo, values: dict, body: str) -> None:
    path = info.filename
    stem = PurePosixPath(path).stem
    day, created = _when(values)
    daily = _DAILY.match(stem)
    if day is None and daily:
        try:
            day = dt.date.fromisoformat(daily.group(1))
        except ValueError:
            day = None
    if day is None:
        created = dt.datetime(*info.date_time)
        day = created.date()
        read.skipped["notes dated by when their file last changed (no date found)"] += 1
    title, body = stem, body.strip("\n")
    if daily:
        title, body = heading_title(body) or ("", body)
    read.add(
        SourceEntry(
            source_id=stable_id(FORMAT, path),
            written_on=day,
            created=created,
            title=title,
            body=body,
            tags=_tags(values.get("tags")),
            mood=_mood(values.get("mood")),
            where=path,
        )
    )


def _when(values: dict) -> tuple[dt.date | None, dt.datetime | None]:
    for key in ("date", "created"):
        value = values.get(key)
        if isinstance(value, dt.datetime):
            return value.date(), value
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                continue
            return moment.date(), moment
    return None, None


def _tags(value) -> tuple[str, ...]:
    if isinstance(value, str):
        names = _TAG_SPLIT.split(value)
    elif isinstance(value, list):
        names = [str(item) for item in value if isinstance(item, str | int)]
    else:
        return ()
    return tuple(dict.fromkeys(name.strip().lstrip("#") for name in names if name.strip("# ")))


def _mood(value) -> int | None:
    """A mood of 1 to 5 (front matter values are read as text, journal.archive.frontmatter)."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    return int(text) if text in {"1", "2", "3", "4", "5"} else None
