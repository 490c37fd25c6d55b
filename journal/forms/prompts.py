"""A prompt of the user's own."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.forms import FocusFirstErrorMixin

from ..models import (
    Prompt,
    PromptPhase,
    Stage,
)


class PromptForm(FocusFirstErrorMixin, forms.ModelForm):
    """A user's own prompt."""

    class Meta:
        model = Prompt
        fields = ["text", "perspective", "phase", "stage", "theme"]
        labels = {
            "text": _("Your question"),
            # Translators: whom a prompt is for (the runner, the chaser, any moment).
            "perspective": pgettext_lazy("prompt perspective", "For"),
            # Translators: when in the connection a prompt fits (before we met, together…).
            "phase": pgettext_lazy("prompt phase", "When"),
            "stage": pgettext_lazy("connection", "Stage"),
            "theme": _("Theme"),
        }
        help_texts = {
            "phase": _("When Mirror may ask it: in a separation, for example."),
            "theme": _("One or two words, e.g. self-love. Optional."),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "text": {
                "required": _("Write the question you want to be asked."),
                "max_length": _("Keep the question under 500 characters."),
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["stage"].choices = [("", _("Any stage")), *Stage.choices]
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
