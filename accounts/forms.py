from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from config.forms import FocusFirstErrorMixin

from .models import Perspective, User, time_zone_choices


class ProfileForm(FocusFirstErrorMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "perspective"]
        widgets = {"perspective": forms.RadioSelect}


class SignupForm(FocusFirstErrorMixin, AllauthSignupForm):
    """allauth's sign-up (email and password) plus where the user is right now, so the first
    prompt fits, and the browser's time zone (filled in by static/js/timezone.js)."""

    perspective = forms.ChoiceField(
        label="Where are you right now?",
        choices=Perspective.choices,
        initial=Perspective.UNSURE,
        widget=forms.RadioSelect,
        required=False,
        help_text="This shapes the questions Mirror asks you. You can change it any time.",
    )
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_perspective(self) -> str:
        return self.cleaned_data["perspective"] or Perspective.UNSURE

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"]
        return name if name in dict(time_zone_choices()) else "UTC"

    def save(self, request):
        user = super().save(request)
        user.perspective = self.cleaned_data["perspective"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["perspective", "time_zone"])
        return user
