import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import urlencode

from config.forms import FocusFirstErrorMixin

from .export import Selection
from .models import (
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
from .timeline import Timeline

MAX_TAGS = 12
TAG_MAX_LENGTH = 40
_TAG_SPLIT = re.compile(r"[,\n]+")
_TAG_ALLOWED = re.compile(r"^[\w][\w\- ]*$")


def parse_tags(raw: str) -> list[str]:
    """'Mirror, #family,  mirror ' → ['mirror', 'family']: lower case, no '#',
    inner spaces folded, duplicates dropped, order kept."""
    names: list[str] = []
    for part in _TAG_SPLIT.split(raw or ""):
        name = " ".join(part.strip().lstrip("#").split()).lower()
        if name and name not in names:
            names.append(name)
    return names


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
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    draft_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
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
        return body

    def clean_feelings(self) -> list[str]:
        feelings = self.cleaned_data["feelings"]
        if len(feelings) > 5:
            raise ValidationError("Choose at most five feelings: the ones that are strongest.")
        # Keep the fixed list's order, so the same feelings always read the same way.
        order = [value for value, _ in Feeling.choices]
        return sorted(feelings, key=order.index)

    def clean_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data["tags"])
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags on one entry.")
        for name in names:
            if len(name) > TAG_MAX_LENGTH:
                raise ValidationError(
                    f"The tag “{name[:20]}…” is too long: "
                    f"keep tags under {TAG_MAX_LENGTH} characters."
                )
            if not _TAG_ALLOWED.match(name):
                raise ValidationError(
                    f"The tag “{name}” has characters tags cannot hold: use letters, numbers, "
                    "spaces and dashes."
                )
        return names

    def save(self, commit: bool = True) -> Entry:
        entry = super().save(commit=False)
        entry.user = self.user
        if commit:
            entry.save()
            self.save_tags(entry)
        return entry

    def save_tags(self, entry: Entry) -> None:
        names = self.cleaned_data["tags"]
        existing = {tag.name: tag for tag in Tag.objects.for_user(self.user).filter(name__in=names)}
        missing = [Tag(user=self.user, name=name) for name in names if name not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {
                tag.name: tag for tag in Tag.objects.for_user(self.user).filter(name__in=names)
            }
        entry.tags.set([existing[name] for name in names])


def draft_initial(draft) -> dict:
    """Form values from an autosaved draft, to restore it into the entry form."""
    return {**draft.fields, "title": draft.title, "body": draft.body, "draft_key": draft.key}


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
    tag = forms.CharField(required=False, max_length=TAG_MAX_LENGTH)
    prompt = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

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
        names = parse_tags(self.cleaned_data["tag"])
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
            entries = entries.filter(tags__name=data["tag"])
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

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > self.today:
            raise ValidationError("That date is still to come: record events once they happen.")
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


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


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


class ImportForm(FocusFirstErrorMixin, forms.Form):
    archive = forms.FileField(
        label="Archive",
        help_text="The .zip file from Export, up to 50 MB.",
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": "Choose the .zip file to import.",
            "empty": "That file is empty. Choose the .zip file that the export made.",
        },
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"That file is {archive.size / 2**20:,.0f} MB; Mirror imports archives of up "
                f"to {MAX_UPLOAD_BYTES // 2**20} MB."
            )
        return archive
