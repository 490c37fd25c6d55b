"""Mirror's archives: writing the export (the zip, `journal.md`, front matter) and reading an
import back (the place a new importer goes).

- `selection`: what an export holds and the entries it reads, in chunks.
- `frontmatter`: the YAML block of an entry file, written and read.
- `timeline_file`: `timeline.md`, written and read.
- `writing`: the zip, streamed; `document`: `journal.md` and the print page's groups.
- `reading`: an uploaded zip's members, under limits, read as entry files.
- `importing`: planning and writing an import, all or nothing.
"""
