"""An event on the timeline."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.forms import FocusFirstErrorMixin

from ..dates import in_range, out_of_range_message
from ..models import (
    EventKind,
    Initiator,
    TimelineEvent,
)
from .entries import render_checked


class TimelineEventForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = TimelineEvent
        fields = ["kind", "occurred_on", "initiator", "note"]
        labels = {
            "kind": _("What happened"),
            # Translators: a day of the calendar.
            "occurred_on": _("Date"),
            "note": _("Note"),
        }
        help_texts = {
            "initiator": _(
                "Only for a separation. There is no blame in this; it only shapes "
                "which questions Mirror asks you."
            ),
            "note": _("Optional. A few words on what happened; Markdown works."),
        }
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "initiator": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "kind": {"invalid_choice": _("Choose one of the kinds of event listed.")},
            "occurred_on": {
                "required": _("Give the date it happened."),
                "invalid": _("Enter a real date, like 2025-03-14."),
            },
            "initiator": {"invalid_choice": _("Choose who left, from the list.")},
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
            raise ValidationError(
                gettext("That date is still to come: record events once they happen.")
            )
        if not in_range(day, self.today):
            raise ValidationError(out_of_range_message(self.today))
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == EventKind.SEPARATION:
            if not cleaned.get("initiator"):
                self.add_error("initiator", gettext("Say who left: you, them, or both of you."))
        else:
            cleaned["initiator"] = ""
        return cleaned

    def save(self, commit: bool = True) -> TimelineEvent:
        event = super().save(commit=False)
        event.user = self.user
        if commit:
            event.save()
        return event
