"""The filters of the entry list and the prompt list, and the date range the export shares."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..choices import theme_label
from ..dates import in_range, out_of_range_message
from ..models import (
    MOOD_LABELS,
    Kind,
    PromptPerspective,
    PromptPhase,
    Stage,
    Tag,
)
from ..search import Query, parse
from ..tags import TAG_KEY_MAX_LENGTH, split_tags, unique_tags
from .entries import MAX_INTEGER, mood_choice


def filter_choice(label, anything, choices=(), **kwargs) -> forms.ChoiceField:
    """An optional choice among `choices`, or `anything` (the empty value: no filter)."""
    return forms.ChoiceField(
        label=label, choices=[("", anything), *choices], required=False, **kwargs
    )


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
        # Translators: the first day of a range of dates.
        label=pgettext_lazy("dates", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, like 2025-03-14.")},
    )
    date_to = forms.DateField(
        # Translators: the last day of a range of dates.
        label=pgettext_lazy("dates", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, like 2025-03-14.")},
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
            self.add_error("date_to", gettext("“To” is before “From”: swap the two dates."))
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
        label=_("Search"),
        required=False,
        max_length=10_000,
        widget=forms.TextInput(
            # Translators: keep the straight quotes: they are how a search asks for a phrase.
            attrs={"type": "search", "placeholder": _('Words or "a phrase"')}
        ),
    )
    # Translators: the kind of an entry (a reflection, an unsent letter, a dream…).
    kind = filter_choice(pgettext_lazy("entry", "Kind"), _("Any kind"), Kind.choices)
    stage = filter_choice(
        # Translators: the stage of the connection the user feels they are in.
        pgettext_lazy("connection", "Stage"),
        _("Any stage"),
        Stage.choices,
    )
    mood = forms.TypedChoiceField(
        label=_("Mood"),
        choices=[
            ("", _("Any mood")),
            *((str(v), mood_choice(v, label)) for v, label in MOOD_LABELS.items()),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    period = filter_choice(_("Period"), _("Any period"))
    perspective = filter_choice(
        _("Written as"),
        _("Either"),
        [("runner", _("The runner")), ("chaser", _("The chaser"))],
        help_text=_("In a separation on that side, or answering a prompt for it."),
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=TAG_KEY_MAX_LENGTH)
    prompt = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_INTEGER
    )

    def __init__(self, data=None, *, timeline=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.timeline = timeline
        self.user = user
        if timeline is not None and timeline.has_events:
            self.fields["period"].choices = [
                ("", _("Any period")),
                *((p.slug, p.title) for p in reversed(timeline.periods)),
            ]
        else:
            del self.fields["period"]

    def clean_tag(self) -> str:
        names = unique_tags(split_tags(self.cleaned_data["tag"]))
        return names[0] if names else ""

    # The search the query asks for (journal.search), once `filter` has run: the entries
    # it returns are those the other filters leave, and the search looks in them.
    search: Query | None = None

    def filter(self, entries):
        """Apply every valid filter but the search to `entries`; invalid ones are left out."""
        data = self.valid_data()
        self.search = parse(data["q"]) if data.get("q") else None
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("stage"):
            entries = entries.filter(stage=data["stage"])
        if data.get("mood"):
            entries = entries.filter(mood=data["mood"])
        if data.get("tag"):
            entries = entries.filter(tags__key=Tag.key_for(self.user.pk, data["tag"]))
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


class PromptFilterForm(QueryFilterForm):
    perspective = filter_choice(
        # Translators: whom a prompt is for (the runner, the chaser, any moment).
        pgettext_lazy("prompt perspective", "For"),
        _("Everyone"),
        PromptPerspective.choices,
    )
    phase = filter_choice(
        # Translators: when in the connection a prompt fits (before we met, together…).
        pgettext_lazy("prompt phase", "When"),
        _("Any phase"),
        PromptPhase.choices[:-1],
        help_text=_("Prompts for any time are included."),
    )
    stage = filter_choice(pgettext_lazy("connection", "Stage"), _("Any stage"), Stage.choices)
    theme = filter_choice(_("Theme"), _("Any theme"))

    def __init__(self, data=None, *, themes: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [
            ("", _("Any theme")),
            *((t, theme_label(t).capitalize()) for t in themes),
        ]

    def filter(self, prompts):
        data = self.valid_data()
        if data.get("perspective"):
            prompts = prompts.filter(perspective=data["perspective"])
        if data.get("phase"):
            prompts = prompts.filter(phase__in=[data["phase"], PromptPhase.ANY])
        if data.get("stage"):
            prompts = prompts.filter(stage=data["stage"])
        return prompts

    def keeps(self, prompt) -> bool:
        """Whether the filters keep `prompt`, read: as `filter` does in SQL, and the theme,
        which only Python can compare (a user's own themes are sealed)."""
        data = self.valid_data()
        return (
            (not data.get("perspective") or prompt.perspective == data["perspective"])
            and (not data.get("phase") or prompt.phase in {data["phase"], PromptPhase.ANY})
            and (not data.get("stage") or prompt.stage == data["stage"])
            and (not data.get("theme") or prompt.theme == data["theme"])
        )
