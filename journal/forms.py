import datetime as dt
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst

from config.forms import FocusFirstErrorMixin

from .archive.selection import Selection
from .dates import in_range, out_of_range_message
from .markdown import MarkdownRefused, render_markdown
from .models import (
    BODY_MAX_LENGTH,
    DRAFT_KEY_PATTERN,
    MOOD_LABELS,
    TITLE_MAX_LENGTH,
    Entry,
    EventKind,
    Feeling,
    Initiator,
    Kind,
    Prompt,
    PromptPerspective,
    PromptPhase,
    Stage,
    Tag,
    TimelineEvent,
)
from .search import search
from .tags import TAG_KEY_MAX_LENGTH, TagProblem, clean_tags, split_tags, tag_key, unique_tags
from .timeline import Timeline

# The largest id or version the database holds (PostgreSQL's integer): a larger number from
# a request is refused, not sent to the database to fail there.
MAX_INTEGER = 2**31 - 1


def parse_id(value: str | None) -> int | None:
    """An id from a query string, or None when it is not one the database could hold."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_INTEGER else None


def render_checked(text: str, kept_as: str = "entries") -> str:
    """The HTML of an entry's body or a note, or a ValidationError that says what to change:
    the text is too long to keep, or journal.markdown refuses to lay it out. Saving renders
    the text again and finds this result (render_markdown remembers a thread's last one)."""
    if len(text) > BODY_MAX_LENGTH:
        # A browser sends each line break as two characters, "\r\n", and so they count.
        breaks = " (a line break counts as two)" if "\r\n" in text else ""
        raise ValidationError(
            f"This text is {len(text):,} characters long{breaks}; Mirror keeps {kept_as} of "
            f"up to {BODY_MAX_LENGTH:,} characters. Shorten it, or split it in two."
        )
    try:
        return render_markdown(text)
    except MarkdownRefused as refused:
        raise ValidationError(str(refused)) from None


class EntryForm(FocusFirstErrorMixin, forms.ModelForm):
    mood = forms.TypedChoiceField(
        label="Mood",
        choices=[
            ("", "Not set"),
            *((str(value), f"{value} · {label}") for value, label in MOOD_LABELS.items()),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a mood from 1 (very low) to 5 (bright)."},
    )
    feelings = forms.MultipleChoiceField(
        label="Feelings",
        choices=Feeling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose up to five.",
        error_messages={"invalid_choice": "“%(value)s” is not one of the feelings listed."},
    )
    # The version the text was loaded from (editing), and the autosave key of this page.
    version = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_INTEGER
    )
    draft_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # Shown only once a date still to come is given (see clean_written_on).
    confirm_future = forms.BooleanField(
        label="Yes, this entry is about a day still to come", required=False
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=600,
        help_text="Separate tags with commas, e.g. mirror, family, work.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "tag-suggestions"}),
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "body",
            "written_on",
            "kind",
            "mood",
            "feelings",
            "stage",
            "tags",
            "prompt",
        ]
        labels = {"body": "Your words", "written_on": "Date", "kind": "Kind", "stage": "Stage"}
        help_texts = {
            "body": "Markdown works: *emphasis*, **strong**, lists, > quotes, [links](https://…).",
            "written_on": "The day this entry is about.",
            "stage": "Where you feel you are right now. Optional.",
        }
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "Optional", "autocomplete": "off"}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "prompt": forms.HiddenInput,
        }
        error_messages = {
            "title": {
                "max_length": (
                    f"Keep the title under {TITLE_MAX_LENGTH} characters "
                    "(it has %(show_value)d). Longer thoughts belong in the body."
                ),
            },
            "body": {"required": "Write a few words before saving. Even one line is enough."},
            "written_on": {
                "required": "Give the date this entry is about.",
                "invalid": "Enter a real date, like 2025-03-14.",
            },
            "kind": {"invalid_choice": "Choose one of the kinds listed."},
            "stage": {"invalid_choice": "Choose one of the stages listed, or leave it empty."},
            "prompt": {"invalid_choice": "That prompt is not available any more."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = Kind.choices
        self.fields["stage"].choices = [("", "Not set"), *Stage.choices]
        self.fields["title"].max_length = TITLE_MAX_LENGTH
        self.fields["prompt"].queryset = Prompt.objects.for_user(user)
        if self.instance.prompt_id:
            # An entry keeps the prompt it answered, even one since retired.
            self.fields["prompt"].queryset = Prompt.objects.filter(
                pk=self.instance.prompt_id
            ) | Prompt.objects.for_user(user)
        if not self.is_bound and self.instance._state.adding:
            self.initial.setdefault("written_on", timezone.localdate())
        if not self.instance._state.adding:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("draft_key", str(self.instance.pk))
        else:
            self.initial.setdefault("draft_key", uuid.uuid4().hex)
        if self.instance.mood is not None:
            self.initial["mood"] = str(self.instance.mood)

    @property
    def prompt_text(self) -> str:
        """The words of the prompt this entry answers, for showing above the body."""
        value = self["prompt"].value()
        if not value:
            return ""
        if self.instance.prompt_text and str(self.instance.prompt_id) == str(value):
            return self.instance.prompt_text
        try:
            return self.fields["prompt"].queryset.get(pk=value).text
        except (Prompt.DoesNotExist, ValueError, TypeError):
            return ""

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError(self.fields["body"].error_messages["required"])
        render_checked(body)
        return body

    _future_day = False  # a date still to come was given (clean_written_on)

    def clean_written_on(self) -> dt.date:
        day = self.cleaned_data["written_on"]
        today = self.user.today()
        if not in_range(day, today):
            raise ValidationError(out_of_range_message(today))
        # A day still to come is more often a slip than a plan, but a letter to a future
        # self is real: it is asked about once, and an edit that keeps the date is not.
        if day > today and (self.instance._state.adding or day != self.instance.written_on):
            self._future_day = True
            if not self["confirm_future"].value():
                raise ValidationError(
                    f"{day:%-d %B %Y} is still to come. If this entry is about that day, "
                    "tick the box below and save again; otherwise correct the date."
                )
        return day

    @property
    def asks_future_confirmation(self) -> bool:
        """The page shows the box that confirms a date still to come."""
        return self.is_bound and self._future_day

    def clean_feelings(self) -> list[str]:
        feelings = self.cleaned_data["feelings"]
        if len(feelings) > 5:
            raise ValidationError("Choose at most five feelings: the ones that are strongest.")
        # Keep the fixed list's order, so the same feelings always read the same way.
        order = [value for value, _ in Feeling.choices]
        return sorted(feelings, key=order.index)

    def clean_tags(self) -> list[str]:
        try:
            return clean_tags(split_tags(self.cleaned_data["tags"]))
        except TagProblem as problem:
            raise ValidationError(f"{capfirst(str(problem))}.") from None

    def save(self, commit: bool = True) -> Entry:
        entry = super().save(commit=False)
        entry.user = self.user
        if commit:
            entry.save()
            self.save_tags(entry)
        return entry

    def save_tags(self, entry: Entry) -> None:
        """Link the typed tags, the user's existing ones matched in any case (they keep the
        case they were first typed in)."""
        entry.tags.set(Tag.objects.for_names(self.user, self.cleaned_data["tags"]).values())


# The entry form's fields an autosaved draft keeps, as typed, besides the title and body.
DRAFT_FIELDS = ("written_on", "kind", "mood", "feelings", "stage", "tags", "prompt", "version")
_DRAFT_KEY = re.compile(DRAFT_KEY_PATTERN)


def valid_draft_key(key: str) -> bool:
    """A key the pages make (see DRAFT_KEY_PATTERN)."""
    return bool(_DRAFT_KEY.match(key))


def draft_initial(draft) -> dict:
    """Form values from an autosaved draft, to restore it into the entry form: the fields
    autosave keeps, as text (a draft stored before autosave checked them may hold more)."""
    fields = draft.fields if isinstance(draft.fields, dict) else {}
    kept = {
        name: value
        for name, value in fields.items()
        if name in DRAFT_FIELDS and isinstance(value, str | list)
    }
    return {**kept, "title": draft.title, "body": draft.body, "draft_key": draft.key}


class DraftForm(forms.Form):
    """What autosave receives. It answers 400 to what the editor never sends (a key it did
    not make, a mood outside 1 to 5, a number too large to store), so nothing reaches the
    database to fail there. A date outside Mirror's span, which a slip of the keyboard can
    type, is left out of the draft instead: the words are kept whatever the date, and the
    entry form says what is wrong with the date when the entry is saved."""

    draft_key = forms.CharField(max_length=64, strip=False)
    entry = forms.UUIDField(required=False)
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_INTEGER)
    prompt = forms.IntegerField(required=False, min_value=1, max_value=MAX_INTEGER)
    mood = forms.ChoiceField(
        required=False, choices=[("", ""), *((str(value), str(value)) for value in MOOD_LABELS)]
    )
    written_on = forms.CharField(required=False)

    def clean_written_on(self) -> str:
        text = self.cleaned_data["written_on"]
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return ""
        return text if in_range(day) else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        # Editing, the key is the entry's id, whatever the page sent.
        key = cleaned.get("draft_key")
        if key and not cleaned.get("entry") and not valid_draft_key(key):
            self.add_error("draft_key", "Not a key the editor makes.")
        return cleaned


class QueryFilterForm(forms.Form):
    """Filters read from a query string: a bad value is reported beside its field and left
    out, never an error page."""

    def valid_data(self) -> dict:
        """The values that passed validation."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class DateRangeForm(QueryFilterForm):
    """A `from`–`to` date range read from the query string (entry list, exports)."""

    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, like 2025-03-14."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, like 2025-03-14."},
    )

    # `from` and `to` are Python keywords, so these fields carry other names in code
    # and answer to the public query parameters of DESIGN.md in the URL.
    PARAMS = {"date_from": "from", "date_to": "to"}

    def add_prefix(self, field_name: str) -> str:
        return self.PARAMS.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“To” is before “From”: swap the two dates.")
        return cleaned

    def _in_range(self, name: str) -> dt.date | None:
        day = self.cleaned_data[name]
        if day is not None and not in_range(day):
            raise ValidationError(out_of_range_message())
        return day

    def clean_date_from(self) -> dt.date | None:
        return self._in_range("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._in_range("date_to")


class EntryFilterForm(DateRangeForm):
    """The filters of the entry list, read from the query string. Invalid values are
    reported beside their field and ignored, never an error page."""

    field_order = ["q", "kind", "stage", "mood", "period", "perspective", "tag", "prompt"]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=10_000,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'Words or "a phrase"'}),
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    mood = forms.TypedChoiceField(
        choices=[
            ("", "Any mood"),
            *((str(v), f"{v} · {label}") for v, label in MOOD_LABELS.items()),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    period = forms.ChoiceField(choices=[("", "Any period")], required=False)
    perspective = forms.ChoiceField(
        label="Written as",
        choices=[("", "Either"), ("runner", "The runner"), ("chaser", "The chaser")],
        required=False,
        help_text="In a separation on that side, or answering a prompt for it.",
    )
    tag = forms.CharField(required=False, max_length=TAG_KEY_MAX_LENGTH)
    prompt = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_INTEGER
    )

    def __init__(self, data=None, *, timeline=None, **kwargs):
        super().__init__(data, **kwargs)
        self.timeline = timeline
        if timeline is not None and timeline.has_events:
            self.fields["period"].choices = [
                ("", "Any period"),
                *((p.slug, p.title) for p in reversed(timeline.periods)),
            ]
        else:
            del self.fields["period"]

    def clean_tag(self) -> str:
        names = unique_tags(split_tags(self.cleaned_data["tag"]))
        return names[0] if names else ""

    ranked = False

    def filter(self, entries):
        """Apply every valid filter to `entries`; invalid ones are left out."""
        data = self.valid_data()
        if data.get("q"):
            entries, self.ranked = search(entries, data["q"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("stage"):
            entries = entries.filter(stage=data["stage"])
        if data.get("mood"):
            entries = entries.filter(mood=data["mood"])
        if data.get("tag"):
            entries = entries.filter(tags__key=tag_key(data["tag"]))
        if data.get("period"):
            entries = entries.filter(
                self.timeline.date_range(self.timeline.by_slug(data["period"]))
            )
        if data.get("perspective"):
            if self.timeline is not None:
                entries = entries.filter(self.timeline.perspective_filter(data["perspective"]))
            else:
                entries = entries.filter(prompt__perspective=data["perspective"])
        if data.get("prompt"):
            entries = entries.filter(prompt_id=data["prompt"])
        if data.get("date_from"):
            entries = entries.filter(written_on__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(written_on__lte=data["date_to"])
        return entries

    @property
    def active_filters(self) -> bool:
        """A filter other than the search box is set."""
        return self.is_bound and any(
            self.data.get(self.add_prefix(name)) for name in self.fields if name != "q"
        )

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(self.add_prefix(name)) for name in self.fields)


class PromptForm(FocusFirstErrorMixin, forms.ModelForm):
    """A user's own prompt."""

    class Meta:
        model = Prompt
        fields = ["text", "perspective", "phase", "stage", "theme"]
        labels = {"text": "Your question", "perspective": "For", "phase": "When", "theme": "Theme"}
        help_texts = {
            "phase": "When Mirror may ask it: in a separation, for example.",
            "theme": "One or two words, e.g. self-love. Optional.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "text": {
                "required": "Write the question you want to be asked.",
                "max_length": "Keep the question under 500 characters.",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["stage"].choices = [("", "Any stage"), *Stage.choices]
        self.fields["phase"].required = False  # any time, unless the user says otherwise

    def clean_phase(self) -> str:
        return self.cleaned_data["phase"] or PromptPhase.ANY

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise ValidationError(self.fields["text"].error_messages["required"])
        return text

    def clean_theme(self) -> str:
        return " ".join(self.cleaned_data["theme"].split()).lower()

    def save(self, commit: bool = True) -> Prompt:
        prompt = super().save(commit=False)
        prompt.user = self.user
        if commit:
            prompt.save()
        return prompt


class PromptFilterForm(QueryFilterForm):
    perspective = forms.ChoiceField(
        label="For", choices=[("", "Everyone"), *PromptPerspective.choices], required=False
    )
    phase = forms.ChoiceField(
        label="When",
        choices=[("", "Any phase"), *PromptPhase.choices[:-1]],
        required=False,
        help_text="Prompts for any time are included.",
    )
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    theme = forms.ChoiceField(choices=[("", "Any theme")], required=False)

    def __init__(self, data=None, *, themes: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *((t, t.capitalize()) for t in themes)]

    def filter(self, prompts):
        data = self.valid_data()
        if data.get("perspective"):
            prompts = prompts.filter(perspective=data["perspective"])
        if data.get("phase"):
            prompts = prompts.filter(phase__in=[data["phase"], PromptPhase.ANY])
        if data.get("stage"):
            prompts = prompts.filter(stage=data["stage"])
        if data.get("theme"):
            prompts = prompts.filter(theme=data["theme"])
        return prompts


class TimelineEventForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = TimelineEvent
        fields = ["kind", "occurred_on", "initiator", "note"]
        labels = {"kind": "What happened", "occurred_on": "Date", "note": "Note"}
        help_texts = {
            "initiator": "Only for a separation. There is no blame in this; it only shapes "
            "which questions Mirror asks you.",
            "note": "Optional. A few words on what happened; Markdown works.",
        }
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "initiator": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "kind": {"invalid_choice": "Choose one of the kinds of event listed."},
            "occurred_on": {
                "required": "Give the date it happened.",
                "invalid": "Enter a real date, like 2025-03-14.",
            },
            "initiator": {"invalid_choice": "Choose who left, from the list."},
        }

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.fields["kind"].choices = EventKind.choices
        self.fields["initiator"].choices = Initiator.choices
        self.fields["initiator"].required = False
        if not self.is_bound and self.instance._state.adding:
            self.initial.setdefault("occurred_on", today)

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        render_checked(note, kept_as="notes")
        return note

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > self.today:
            raise ValidationError("That date is still to come: record events once they happen.")
        if not in_range(day, self.today):
            raise ValidationError(out_of_range_message(self.today))
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == EventKind.SEPARATION:
            if not cleaned.get("initiator"):
                self.add_error("initiator", "Say who left: you, them, or both of you.")
        else:
            cleaned["initiator"] = ""
        return cleaned

    def save(self, commit: bool = True) -> TimelineEvent:
        event = super().save(commit=False)
        event.user = self.user
        if commit:
            event.save()
        return event


MAX_UPLOAD_BYTES = settings.UPLOAD_MAX_BYTES  # a larger upload stops early: config/uploads.py


class ExportForm(DateRangeForm):
    """The selection, read from the query string: `period`, `from`, `to` (and, on the
    choices page, `format`). The same parameters work on every export URL."""

    field_order = ["period", "date_from", "date_to", "format"]

    period = forms.ChoiceField(
        label="Period",
        required=False,
        help_text="One span of your timeline, or the whole journal.",
        error_messages={"invalid_choice": "That period is not on your timeline any more."},
    )
    format = forms.ChoiceField(
        label="As",
        required=False,
        initial="zip",
        widget=forms.RadioSelect,
        choices=[
            ("zip", "A zip of one Markdown file per entry — to keep, edit, or import again"),
            ("md", "One Markdown document — to read in any Markdown viewer"),
            ("print", "A print-ready page — to save as PDF from your browser"),
        ],
        error_messages={"invalid_choice": "Choose one of the formats listed."},
    )

    def __init__(self, data=None, *, timeline: Timeline, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["date_to"].help_text = "Leave both dates empty for every date."
        self.timeline = timeline
        self.fields["period"].choices = [
            ("", "The whole journal"),
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


TOO_LARGE = (
    f"That file is larger than {MAX_UPLOAD_BYTES // 2**20} MB, the most Mirror imports at "
    "once. Export a range of dates (or one period) and import each part."
)


class ImportForm(FocusFirstErrorMixin, forms.Form):
    archive = forms.FileField(
        label="Archive",
        help_text=f"The .zip file from Export, up to {MAX_UPLOAD_BYTES // 2**20} MB.",
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": "Choose the .zip file to import.",
            "empty": "That file is empty. Choose the .zip file that the export made.",
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
