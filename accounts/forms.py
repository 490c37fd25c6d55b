from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from config.forms import FocusFirstErrorMixin

from .journal_keys import journal_key_create, journal_key_open, journal_key_rewrap
from .keys import KeyRefused
from .models import Perspective, User, time_zone_choices
from .unlock import keep_recovery_to_show, open_at_sign_in, unlock


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
        # The journal key is made with the password, and the recovery key waits to be
        # shown once (accounts/unlock.py).
        opened, recovery = journal_key_create(user=user, password=self.cleaned_data["password1"])
        unlock(request, opened, user_id=user.pk)
        keep_recovery_to_show(request, recovery, user_id=user.pk)
        return user


class LoginForm(AllauthLoginForm):
    """allauth's sign-in; the password also opens the journal for the session."""

    def login(self, request, redirect_url=None):
        response = super().login(request, redirect_url)
        password = self.cleaned_data.get("password")
        if password and getattr(self, "user", None) is not None:
            open_at_sign_in(request, self.user, password)
        return response


class ChangePasswordForm(AllauthChangePasswordForm):
    """allauth's password change; the journal key is wrapped again under the new password
    (nothing encrypted under it changes)."""

    def save(self) -> None:
        try:
            opened = journal_key_open(user=self.user, password=self.cleaned_data["oldpassword"])
        except (LookupError, KeyRefused):
            opened = None  # no key yet, or a locked journal: nothing to wrap again
        super().save()
        if opened is not None:
            journal_key_rewrap(
                user=self.user, opened=opened, password=self.cleaned_data["password1"]
            )


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
