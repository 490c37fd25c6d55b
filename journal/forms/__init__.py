"""The journal's forms, by topic: writing an entry and its draft (`entries`), the lists'
filters (`filters`), a prompt of one's own (`prompts`), a timeline event (`timeline`), and
the export's choices and the import's upload (`archive`). Views import them from here."""

from .archive import MAX_UPLOAD_BYTES, ExportForm, ImportForm
from .entries import DRAFT_FIELDS, DraftForm, EntryForm, draft_initial, parse_id, render_checked
from .filters import EntryFilterForm, PromptFilterForm
from .prompts import PromptForm
from .timeline import TimelineEventForm

__all__ = [
    "DRAFT_FIELDS",
    "MAX_UPLOAD_BYTES",
    "DraftForm",
    "EntryFilterForm",
    "EntryForm",
    "ExportForm",
    "ImportForm",
    "PromptFilterForm",
    "PromptForm",
    "TimelineEventForm",
    "draft_initial",
    "parse_id",
    "render_checked",
]
