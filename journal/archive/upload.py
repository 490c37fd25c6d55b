"""What an upload is, from its content: Mirror's own export, or another app's.

A zip is Mirror's export when it holds `entries/…md` files or a `timeline.md`, Day One's
when it holds a journal's JSON, else a vault of Markdown notes. A text file is jrnl's JSON
export, jrnl's journal file or Daylio's CSV. Anything else is refused with what Mirror
reads."""

from django.utils.translation import gettext, gettext_lazy

from .reading import MAX_ARCHIVE_BYTES, ImportRejected, MirrorArchive, mirror_export_in, open_zip
from .sources import Format, SourceRead, daylio, dayone, detect, jrnl, markdown_notes

UNKNOWN = gettext_lazy(
    "Mirror does not know this file. It imports Mirror's own export (.zip), Day One's export "
    "(.zip), jrnl's journal file or its JSON export, Daylio's CSV export, and Obsidian vaults "
    "or other Markdown notes as a .zip."
)
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")


def read_upload(upload) -> SourceRead | MirrorArchive:
    """Another app's entries, or Mirror's own export, read (a zip is opened once). Raises
    ImportRejected for a file Mirror does not know, or one it refuses."""
    upload.seek(0)
    start = upload.read(4)
    upload.seek(0)
    if start in _ZIP_STARTS:
        return _read_zip(upload)
    data = upload.read(MAX_ARCHIVE_BYTES + 1)
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ImportRejected(
            [
                gettext(
                    "The file is larger than %(size)s MB of text, the most Mirror imports at "
                    "once. Export a range of dates and import each part."
                )
                % {"size": MAX_ARCHIVE_BYTES // 2**20}
            ]
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ImportRejected([str(UNKNOWN)]) from None
    if "\x00" in text:
        raise ImportRejected([gettext("The file holds a NUL character, which text cannot hold.")])
    found = detect(text)
    if found == Format.JRNL_JSON:
        return _checked(jrnl.read_json(jrnl.parse_json(text)))
    if found == Format.JRNL_TEXT:
        return _checked(jrnl.read_text(text))
    if found == Format.DAYLIO:
        return _checked(daylio.read_csv(text))
    raise ImportRejected([str(UNKNOWN)])


def _read_zip(upload) -> SourceRead | MirrorArchive:
    archive, infos = open_zip(upload)
    with archive:
        if (export := mirror_export_in(archive, infos)) is not None:
            return export
        if dayone.is_dayone(archive, infos):
            return _checked(dayone.read_zip(archive, infos))
        if markdown_notes.notes_in(infos):
            return _checked(markdown_notes.read_zip(archive, infos))
    raise ImportRejected([str(UNKNOWN)])


def _checked(read: SourceRead) -> SourceRead:
    if read.problems:
        raise ImportRejected(read.problems)
    return read


__all__ = ["UNKNOWN", "read_upload"]
