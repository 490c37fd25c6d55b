"""Writing an entry: the entry form, the draft the editor autosaves, and the checks they share."""

import datetime as dt
import re
import uuid

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from config.forms import FocusFirstErrorMixin

from ..dates import in_range, out_of_range_message
from ..markdown import MarkdownRefused, render_markdown
from ..models import (
    BODY_MAX_LENGTH,
    DRAFT_KEY_PATTERN,
    MOOD_LABELS,
    TITLE_MAX_LENGTH,
    Entry,
    Feeling,
    Kind,
    Prompt,
    Stage,
    Tag,
)
from ..tags import TagProblem, clean_tags, split_tags
from ..text import day_text

# The largest id or version the database holds (PostgreSQL's integer): a larger number from
# a request is refused, not sent to the database to fail there.
MAX_INTEGER = 2**31 - 1


def mood_choice(value: int, label) -> str:
    """A mood as the lists offer it: "3 · Steady", in the language of the page."""
    return format_lazy("{value} · {label}", value=value, label=label)


def parse_id(value: str | None) -> int | None:
    """An id from a query string, or None when it is not one the database could hold."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_INTEGER else None


def _too_long_message(kept_as: str, *, breaks: bool) -> str:
    """Whole sentences for translators: an entry's text or a note's, with or without a word
    on line breaks (a browser sends each as two characters, "\r\n", and so they count)."""
    if kept_as == "notes":
        if breaks:
            return gettext(
                "This text is %(length)s characters long (a line break counts as two); "
                "Mirror keeps notes of up to %(max)s characters. Shorten it, or split it in two."
            )
        return gettext(
            "This text is %(length)s characters long; Mirror keeps notes of up to %(max)s "
            "characters. Shorten it, or split it in two."
        )
    if breaks:
        return gettext(
            "This text is %(length)s characters long (a line break counts as two); "
            "Mirror keeps entries of up to %(max)s characters. Shorten it, or split it in two."
        )
    return gettext(
        "This text is %(length)s characters long; Mirror keeps entries of up to %(max)s "
        "characters. Shorten it, or split it in two."
    )


def render_checked(text: str, kept_as: str = "entries") -> str:
    """The HTML of an entry's body or a note (`kept_as`: "entries" or "notes"), or a
    ValidationError that says what to change: the text is too long to keep, or
    journal.markdown refuses to lay it out. Saving renders the text again and finds this
    result (render_markdown remembers a thread's last one)."""
    if len(text) > BODY_MAX_LENGTH:
        raise ValidationError(
            _too_long_message(kept_as, breaks="\r\n" in text)
            % {"length": intcomma(len(text)), "max": intcomma(BODY_MAX_LENGTH)}
        )
    try:
        return render_markdown(text)
    except MarkdownRefused as refused:
        raise ValidationError(str(refused)) from None


class EntryForm(FocusFirstErrorMixin, forms.ModelForm):
    mood = forms.TypedChoiceField(
        label=_("Mood"),
        choices=[
            ("", _("Not set")),
            *((str(value), mood_choice(value, label)) for value, label in MOOD_LABELS.items()),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a mood from 1 (very low) to 5 (bright).")},
    )
    feelings = forms.MultipleChoiceField(
        label=_("Feelings"),
        choices=Feeling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose up to five."),
        error_messages={"invalid_choice": _("“%(value)s” is not one of the feelings listed.")},
    )
    # The version the text was loaded from (editing), and the autosave key of this page.
    version = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_INTEGER
    )
    draft_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # Shown only once a date still to come is given (see clean_written_on).
    confirm_future = forms.BooleanField(
        label=_("Yes, this entry is about a day still to come"), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separate tags with commas, e.g. mirror, family, work."),
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
        labels = {
            "title": _("Title"),
            "body": _("Your words"),
            # Translators: a day of the calendar.
            "written_on": _("Date"),
            # Translators: the kind of an entry (a reflection, an unsent letter, a dream…).
            "kind": pgettext_lazy("entry", "Kind"),
            # Translators: the stage of the connection the user feels they are in.
            "stage": pgettext_lazy("connection", "Stage"),
        }
        help_texts = {
            "body": _(
                "Markdown works: *emphasis*, **strong**, lists, > quotes, [links](https://…)."
            ),
            "written_on": _("The day this entry is about."),
            "stage": _("Where you feel you are right now. Optional."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("Optional"), "autocomplete": "off"}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "prompt": forms.HiddenInput,
        }
        error_messages = {
            "title": {
                # The validator's limit is TITLE_MAX_LENGTH (the model field's max_length).
                "max_length": ngettext_lazy(
                    "Keep the title under %(limit_value)d character "
                    "(it has %(show_value)d). Longer thoughts belong in the body.",
                    "Keep the title under %(limit_value)d characters "
                    "(it has %(show_value)d). Longer thoughts belong in the body.",
                    "limit_value",
                ),
            },
            "body": {"required": _("Write a few words before saving. Even one line is enough.")},
            "written_on": {
                "required": _("Give the date this entry is about."),
                "invalid": _("Enter a real date, like 2025-03-14."),
            },
            "kind": {"invalid_choice": _("Choose one of the kinds listed.")},
            "stage": {"invalid_choice": _("Choose one of the stages listed, or leave it empty.")},
            "prompt": {"invalid_choice": _("That prompt is not available any more.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = Kind.choices
        self.fields["stage"].choices = [("", _("Not set")), *Stage.choices]
        self.fields["title"].max_length = TITLE_MAX_LENGTH
        self.fields["prompt"].queryset = Prompt.objects.for_user(user)
        if self.instance.prompt_id:
            # An entry keeps the prompt it answered, even one since retired.
            self.fields["prompt"].queryset = Prompt.objects.answerable(user).filter(
                models.Q(pk=self.instance.prompt_id) | models.Q(retired=False)
            )
        if not self.is_bound and self.instance._state.adding:
            self.initial.setdefault("written_on", timezone.localdate())
        if not self.instance._state.adding:
            self.initial["tags"] = ", ".join(self.instance.tag_names)  # in name order
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
            return self.fields["prompt"].queryset.get(pk=value).words
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
                    gettext(
                        "%(day)s is still to come. If this entry is about that day, "
                        "tick the box below and save again; otherwise correct the date."
                    )
                    % {"day": day_text(day)}
                )
        return day

    @property
    def asks_future_confirmation(self) -> bool:
        """The page shows the box that confirms a date still to come."""
        return self.is_bound and self._future_day

    def clean_feelings(self) -> list[str]:
        feelings = self.cleaned_data["feelings"]
        if len(feelings) > 5:
            raise ValidationError(
                gettext("Choose at most five feelings: the ones that are strongest.")
            )
        # Keep the fixed list's order, so the same feelings always read the same way.
        order = [value for value, _ in Feeling.choices]
        return sorted(feelings, key=order.index)

    def clean_tags(self) -> list[str]:
        try:
            return clean_tags(split_tags(self.cleaned_data["tags"]))
        except TagProblem as problem:
            raise ValidationError(f"{capfirst(str(problem))}.") from None

    @property
    def new_entry_key(self) -> str:
        """The draft key a new entry keeps (Entry.draft_key): one the new-entry page made,
        else none ("")."""
        key = self.cleaned_data.get("draft_key") or ""
        return key if valid_draft_key(key) else ""

    def has_the_words_of(self, entry: Entry) -> bool:
        """The form holds the words `entry` holds: the same draft sent again."""
        return (self.cleaned_data["title"], self.cleaned_data["body"]) == (entry.title, entry.body)

    def save(self, commit: bool = True, *, keep_draft_key: bool = True) -> Entry:
        """Save the entry; a new one keeps its draft's key unless told not to (its key
        already made another entry: journal.views.entries.entry_create)."""
        adding = self.instance._state.adding
        entry = super().save(commit=False)
        entry.user = self.user
        if adding:
            entry.draft_key = self.new_entry_key if keep_draft_key else ""
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
