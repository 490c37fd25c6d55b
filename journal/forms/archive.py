"""The export's choices and the import's upload."""

from django import forms
from django.conf import settings
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.forms import FocusFirstErrorMixin

from ..archive.selection import Selection
from ..timeline import Timeline
from .filters import DateRangeForm

MAX_UPLOAD_BYTES = settings.UPLOAD_MAX_BYTES  # a larger upload stops early: config/uploads.py


class ExportForm(DateRangeForm):
    """The selection, read from the query string: `period`, `from`, `to` (and, on the
    choices page, `format`). The same parameters work on every export URL."""

    field_order = ["period", "date_from", "date_to", "format"]

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        help_text=_("One span of your timeline, or the whole journal."),
        error_messages={"invalid_choice": _("That period is not on your timeline any more.")},
    )
    format = forms.ChoiceField(
        # Translators: the export's format: "As: a zip of one Markdown file per entry…".
        label=pgettext_lazy("export format", "As"),
        required=False,
        initial="zip",
        widget=forms.RadioSelect,
        choices=[
            ("zip", _("A zip of one Markdown file per entry — to keep, edit, or import again")),
            ("md", _("One Markdown document — to read in any Markdown viewer")),
            ("print", _("A print-ready page — to save as PDF from your browser")),
        ],
        error_messages={"invalid_choice": _("Choose one of the formats listed.")},
    )

    def __init__(self, data=None, *, timeline: Timeline, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["date_to"].help_text = _("Leave both dates empty for every date.")
        self.timeline = timeline
        self.fields["period"].choices = [
            ("", _("The whole journal")),
            *((p.slug, p.title) for p in reversed(timeline.periods if timeline.has_events else [])),
        ]

    @property
    def selection(self) -> Selection:
        data = self.cleaned_data
        period = self.timeline.by_slug(data["period"]) if data.get("period") else None
        return Selection(period=period, start=data.get("date_from"), end=data.get("date_to"))

    def query(self) -> str:
        """The selection as a query string (empty values left out)."""
        data = self.cleaned_data
        values = {
            "period": data.get("period"),
            "from": data.get("date_from"),
            "to": data.get("date_to"),
        }
        params = {name: str(value) for name, value in values.items() if value}
        return f"?{urlencode(params)}" if params else ""


TOO_LARGE = format_lazy(
    _(
        "That file is larger than {size} MB, the most Mirror imports at once. Export a range "
        "of dates (or one period) and import each part."
    ),
    size=MAX_UPLOAD_BYTES // 2**20,
)


class ImportForm(FocusFirstErrorMixin, forms.Form):
    archive = forms.FileField(
        label=_("File"),
        help_text=format_lazy(
            _(
                "Mirror's export (.zip), Day One's export (.zip), jrnl's journal file or JSON "
                "export, Daylio's CSV export, or an Obsidian vault or other Markdown notes as a "
                ".zip; up to {size} MB."
            ),
            size=MAX_UPLOAD_BYTES // 2**20,
        ),
        widget=forms.FileInput(attrs={"accept": ".zip,.json,.txt,.csv,application/zip"}),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("That file is empty. Choose the file your journal app exported."),
        },
    )

    def __init__(self, *args, upload_stopped: bool = False, **kwargs) -> None:
        """`upload_stopped`: the upload was stopped part way for its size (config/uploads.py),
        so the file is missing for that reason."""
        super().__init__(*args, **kwargs)
        if upload_stopped:
            field = self.fields["archive"]
            field.error_messages = {**field.error_messages, "required": TOO_LARGE}

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return archive
