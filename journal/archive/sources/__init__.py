"""Journals written in other apps, read into `SourceEntry`s: what every format has in
common, before the import plans and writes them like any other (journal/archive/importing).

Each reader takes the file's bytes (already bounded in size by the upload) and returns a
`SourceRead`: the entries, what was left out and why (counted, for the preview), and the
problems that refuse the file. The format is found from the content, never the file's name
(`detect`)."""

from .base import SourceEntry, SourceRead, left_out
from .detect import Format, detect

__all__ = ["Format", "SourceEntry", "SourceRead", "detect", "left_out"]
