from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

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


class AccountDeleteForm(FocusFirstErrorMixin, forms.Form):
    """Deleting an account asks for the password again, so a session left open on a
    shared computer cannot erase someone's journal."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you sign in with, to confirm it is you.",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            raise ValidationError(
                "Your account has no password yet. Set one on the Password page first, "
                "then come back here.",
                code="no_password",
            )
        if not self.user.check_password(password):
            raise ValidationError(
                "That is not your password. Nothing has been deleted.",
                code="incorrect_password",
            )
        return password
