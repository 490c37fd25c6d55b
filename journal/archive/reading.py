"""Reading an archive: its members, under limits checked from the zip's headers before
anything is unpacked, then on each file as it is unpacked, before the next one."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext

from ..models import (
    BODY_MAX_LENGTH,
)
from .frontmatter import EntryFile, FormatProblem, parse_entry_file
from .timeline_file import EventRecord

# What an import reads. A ten-year journal (seed_demo: 3,650 entries of 150-740 words and a
# timeline of 50 events) is a 3 MB zip of 8.9 MB of text, 30 YAML values an entry, files
# under 5 KB. Rendering every new entry is most of an import's time (some 2.5 s a megabyte
# of text, bench/import.py), so the text an archive may hold is set by the time a request
# may take: 12 MB, some 30 s, within MAX_IMPORT_SECONDS below; ten years of 600-word days
# fit. The limits are checked from the zip's headers before anything is unpacked (the
# number of files even before zipfile reads the list of them), then on each file as it is
# unpacked, before the next one.
MAX_ARCHIVE_FILES = 20_000  # members of any kind, folders included
MAX_ENTRY_FILES = 10_000
MAX_ARCHIVE_BYTES = 12 * 1024 * 1024  # unpacked, the entry files and timeline.md together
# An entry file: a body of BODY_MAX_LENGTH 4-byte characters and the longest front matter.
MAX_ENTRY_FILE_BYTES = 512 * 1024
# YAML keys, values and list items of all files together: 40 an entry at MAX_ENTRY_FILES (an
# export writes about 30). Reading them costs about 4 s a million.
MAX_ARCHIVE_VALUES = 400_000
MAX_TIMELINE_BYTES = 4 * 1024 * 1024
MAX_TIMELINE_EVENTS = 5_000
# The longest one import may take. Within the limits above a hostile archive is refused in
# seconds and an honest one imports in under 30 s, but texts that render slowly (each one
# within journal.markdown's budget) could still add up: the import is refused at this
# point, naming the file it reached, rather than the worker being killed at
# GUNICORN_TIMEOUT (60 s) with no word to the user.
MAX_IMPORT_SECONDS = 45
TIMELINE = "timeline.md"
MAX_PROBLEMS_SHOWN = 100
_SYMLINK = 0o120000

# The archive ------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        not name
        or "\x00" in name
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[0].isalpha() and name[1] == ":")
        or ".." in parts
    )


@dataclass(frozen=True)
class MirrorArchive:
    """Mirror's own export, read: its entry files (parsed), its timeline.md as text, and the
    problems of the files that could not be read."""

    files: list[EntryFile]
    timeline_text: str | None
    problems: list[str]


def mirror_export_in(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> MirrorArchive | None:
    """Mirror's export read from a zip open_zip opened, or None when the zip holds no entry
    file and no timeline.md (another app's). A hostile archive is refused from its headers,
    before anything is unpacked, or while a file is unpacked, as soon as it passes a limit."""
    members = _members([info for info in infos if _worth_reading(info)])
    if not members:
        return None
    _check_members(members)
    return MirrorArchive(*_read_members(archive, members))


def open_zip(archive_file) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """A zip whose list of files is safe to read: not too many files (counted before ZipFile
    reads the list), no path that leaves its folder, no link, nothing encrypted, no name
    twice. Every importer of a zip starts here."""
    try:
        listed = _listed_files(archive_file)
        if listed > MAX_ARCHIVE_FILES:
            raise ImportRejected(
                [
                    gettext(
                        "The archive holds more than %(max)s files; Mirror imports at most %(max)s."
                    )
                    % {"max": intcomma(MAX_ARCHIVE_FILES)}
                ]
            )
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportRejected(
            [
                gettext(
                    "This file is not a zip archive. Choose the .zip file that Mirror's export "
                    "made."
                )
            ]
        ) from None
    infos = archive.infolist()
    problems = []
    for info in infos:
        if _unsafe_name(info.filename):
            problems.append(
                f"{info.filename!r}: "
                + gettext("a path that leaves the archive's folder is not allowed.")
            )
        elif (info.external_attr >> 16) & 0o170000 == _SYMLINK:
            problems.append(
                f"{info.filename}: " + gettext("the archive holds a link, which is not allowed.")
            )
        elif info.flag_bits & 0x1:
            problems.append(
                f"{info.filename}: " + gettext("password-protected files cannot be imported.")
            )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        problems.append(gettext("The archive holds two files with the same name."))
    if problems:
        archive.close()
        raise ImportRejected(problems)
    return archive, infos


def read_text_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> str:
    """One file of a zip as UTF-8 text, unpacked no further than `limit` bytes (and the size
    its header claims): a file that lies about its size, or is damaged, refuses the import;
    one that is not text raises FormatProblem."""
    limit = min(info.file_size, limit)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)  # zipfile inflates no more than it is asked for
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        raise ImportRejected(
            [
                f"{info.filename}: "
                + gettext(
                    "the file is damaged or larger than the archive says (Mirror stopped "
                    "reading it). Export again and import the new zip."
                )
            ]
        ) from None
    if len(data) > limit:
        raise ImportRejected(
            [
                f"{info.filename}: "
                + gettext("the file is larger than the archive says; the import was stopped.")
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatProblem(
            gettext("the file is not UTF-8 text; save it as UTF-8 and try again")
        ) from None
    if "\x00" in text:
        raise FormatProblem(gettext("the file holds a NUL character, which text cannot hold"))
    return text


def _listed_files(archive_file) -> int:
    """How many files the zip's central directory (its list of files) holds, counted up to
    MAX_ARCHIVE_FILES + 1 before ZipFile reads it: ZipFile makes an object of every record
    first, and a 50 MB upload of 47-byte records lists a million files (7 s and 500 MB).
    The records are found with zipfile's own _EndRecData, so they are the bytes ZipFile
    reads next; 0 when there is no list, which ZipFile then reports."""
    end = zipfile._EndRecData(archive_file)
    if not end:
        return 0
    size = end[zipfile._ECD_SIZE]
    start = end[zipfile._ECD_LOCATION] - size
    if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    if start < 0:
        return 0
    archive_file.seek(start)
    count = read = 0
    while read < size and count <= MAX_ARCHIVE_FILES:
        record = archive_file.read(zipfile.sizeCentralDir)
        if len(record) < zipfile.sizeCentralDir or record[:4] != zipfile.stringCentralDir:
            break  # a damaged list: ZipFile refuses it
        name_extra_comment = sum(struct.unpack_from("<3H", record, 28))
        archive_file.seek(name_extra_comment, io.SEEK_CUR)
        read += zipfile.sizeCentralDir + name_extra_comment
        count += 1
    return count


def _worth_reading(info: zipfile.ZipInfo) -> bool:
    """Files, not folders, and none a system or an editor added (__MACOSX/, .obsidian/)."""
    parts = info.filename.split("/")
    hidden = parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)
    return not info.is_dir() and not hidden


def _top_folder(infos: list[zipfile.ZipInfo]) -> str:
    """The one folder everything sits in, when a zip tool wrapped the export in one."""
    tops = {info.filename.split("/", 1)[0] for info in infos}
    if len(tops) == 1 and all("/" in info.filename for info in infos):
        top = tops.pop()
        if top != "entries":
            return top + "/"
    return ""


def _members(infos: list[zipfile.ZipInfo]) -> list[tuple[str, zipfile.ZipInfo]]:
    """The entry files and timeline.md, by their path inside the export, in path order.
    README.md, and anything else a person put beside the entries, is left out."""
    prefix = _top_folder(infos)
    members = []
    for info in infos:
        path = info.filename.removeprefix(prefix)
        if _is_entry(path) or path == TIMELINE:
            members.append((path, info))
    return sorted(members, key=lambda member: member[0])


def _is_entry(path: str) -> bool:
    return path.startswith("entries/") and path.lower().endswith(".md")


def _check_members(members: list[tuple[str, zipfile.ZipInfo]]) -> None:
    """The limits the archive's own headers show, before a byte of any file is unpacked.
    Only the files an import reads count: pictures or notes beside them are never unpacked."""
    entries = sum(1 for path, _ in members if _is_entry(path))
    if entries > MAX_ENTRY_FILES:
        raise ImportRejected(
            [
                gettext(
                    "The archive holds %(count)s entry files; Mirror imports up to %(max)s "
                    "entries at a time. Export a range of dates (or one period), or split the "
                    "archive, and import each part."
                )
                % {"count": intcomma(entries), "max": intcomma(MAX_ENTRY_FILES)}
            ]
        )
    problems = []
    for path, info in members:
        limit = MAX_ENTRY_FILE_BYTES if _is_entry(path) else MAX_TIMELINE_BYTES
        if info.file_size > limit:
            problems.append(f"{path}: {_too_large(path, info.file_size)}")
    if problems:
        raise ImportRejected(problems)
    declared = sum(info.file_size for _, info in members)
    if declared > MAX_ARCHIVE_BYTES:
        raise ImportRejected(
            [
                gettext("The archive unpacks to %(size)s; Mirror imports at most %(max)s.")
                % {"size": _size(declared), "max": _size(MAX_ARCHIVE_BYTES)}
            ]
        )


def _too_large(path: str, size: int) -> str:
    if _is_entry(path):
        return gettext(
            "the file is %(size)s; Mirror reads entry files up to %(max)s (an entry keeps up "
            "to %(characters)s characters)"
        ) % {
            "size": _size(size),
            "max": _size(MAX_ENTRY_FILE_BYTES),
            "characters": intcomma(BODY_MAX_LENGTH),
        }
    return gettext("the file is %(size)s; Mirror reads a timeline of up to %(max)s") % {
        "size": _size(size),
        "max": _size(MAX_TIMELINE_BYTES),
    }


def _size(size: int) -> str:
    """A file's size as people read it: 512 KB, 1.5 MB, 12 MB (in the active language's
    numbers)."""
    if size < 2**20:
        # Translators: a size in kilobytes: "512 KB".
        return gettext("%(number)s KB") % {
            "number": number_format(round(size / 2**10), force_grouping=True)
        }
    megabytes = round(size / 2**20, 1)
    places = 0 if megabytes == int(megabytes) else 1
    # Translators: a size in megabytes: "1.5 MB".
    return gettext("%(number)s MB") % {
        "number": number_format(megabytes, decimal_pos=places, force_grouping=True)
    }


def _read_members(
    archive: zipfile.ZipFile, members: list[tuple[str, zipfile.ZipInfo]]
) -> tuple[list[EntryFile], str | None, list[str]]:
    """Each file unpacked, checked and parsed before the next is read, so a file that breaks
    a limit costs no more than the limit, and only what was parsed is kept."""
    budget = MAX_ARCHIVE_BYTES
    values_budget = MAX_ARCHIVE_VALUES
    files: list[EntryFile] = []
    timeline_text = None
    problems = []
    for path, info in members:
        # The header's size is a claim: read no more than it (and the budget) allows.
        try:
            text = read_text_member(archive, info, budget)
        except FormatProblem as problem:
            budget -= min(info.file_size, budget)
            problems.append(f"{path}: {problem}")
            continue
        budget -= len(text.encode())
        if not _is_entry(path):
            timeline_text = text
            continue
        try:
            file = parse_entry_file(path, text)
        except FormatProblem as problem:
            problems.append(f"{path}: {problem}")
            continue
        values_budget -= file.values_read
        if values_budget < 0:
            raise ImportRejected(
                [
                    f"{path}: "
                    + gettext(
                        "with this file, the front matter of the archive holds more than "
                        "%(max)s keys, values and list items; Mirror imports up to %(max)s at a "
                        "time. Split the archive and import each part."
                    )
                    % {"max": intcomma(MAX_ARCHIVE_VALUES)}
                ]
            )
        files.append(file)
    if not files and timeline_text is None and not problems:
        raise ImportRejected(
            [
                gettext(
                    "The archive holds no entries/…md files and no timeline.md: is it a zip "
                    "made by Mirror's export?"
                )
            ]
        )
    return files, timeline_text, problems


def event_problems(events: list[EventRecord]) -> list[str]:
    return [
        f"{TIMELINE}: "
        + gettext(
            # Translators: the kind of event is as timeline.md writes it, in English.
            "the note of the %(kind)s on %(day)s is %(length)s characters; Mirror keeps notes "
            "up to %(max)s characters"
        )
        % {
            "kind": event.kind,
            "day": event.occurred_on,
            "length": intcomma(len(event.note)),
            "max": intcomma(BODY_MAX_LENGTH),
        }
        for event in events
        if len(event.note) > BODY_MAX_LENGTH
    ]


class ImportRejected(Exception):
    """The archive was refused; nothing was changed. `problems` says why, per file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems
