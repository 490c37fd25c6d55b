from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from config.forms import FocusFirstErrorMixin

from .journal_keys import (
    journal_key_create,
    journal_key_open,
    journal_key_recover,
    journal_key_rewrap,
)
from .keys import KeyRefused, parse_recovery_text
from .models import (
    DEFAULT_REMINDER_MESSAGE,
    Perspective,
    Reminder,
    User,
    Weekday,
    time_zone_choices,
)
from .unlock import RECOVERY_UNSAVED, keep_recovery_to_show, open_at_sign_in, unlock


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, after the browser's own choice."""
    return [("", _("As my browser asks")), *settings.LANGUAGES]


class ProfileForm(FocusFirstErrorMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label=_("Time zone"))
    language = forms.ChoiceField(choices=language_choices, required=False, label=_("Language"))

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "language", "perspective"]
        widgets = {"perspective": forms.RadioSelect}


class ReminderForm(FocusFirstErrorMixin, forms.ModelForm):
    """The daily reminder: on or off, a time of the user's day, its days, and its words."""

    days = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("On these days"),
        help_text=_("None ticked: every day."),
    )

    class Meta:
        model = Reminder
        fields = ["enabled", "time", "days", "only_if_not_written", "message"]
        labels = {
            "enabled": _("Send me a gentle reminder"),
            # Translators: the label of the reminder's time of day ("At 21:30").
            "time": pgettext_lazy("reminder time", "At"),
            "only_if_not_written": _("Only if I haven't written that day"),
            "message": _("In these words"),
        }
        help_texts = {
            "time": _("Your time, in your time zone (Profile), e.g. 21:30."),
            "message": format_lazy(
                _(
                    "Optional. It shows on your lock screen, where others may see it: keep it "
                    "neutral. Without it: “{default}”"
                ),
                default=_(DEFAULT_REMINDER_MESSAGE),  # marked in accounts/models.py
            ),
        }
        widgets = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean_days(self) -> list[int]:
        return sorted(set(self.cleaned_data["days"]))

    def clean_message(self) -> str:
        return " ".join(self.cleaned_data["message"].split())


class SignupForm(FocusFirstErrorMixin, AllauthSignupForm):
    """allauth's sign-up (email and password) plus where the user is right now, so the first
    prompt fits, and the browser's time zone (filled in by static/js/timezone.js)."""

    perspective = forms.ChoiceField(
        label=_("Where are you right now?"),
        choices=Perspective.choices,
        initial=Perspective.UNSURE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("This shapes the questions Mirror asks you. You can change it any time."),
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
        # The language the sign-up page spoke (the browser's), kept for mail the worker
        # sends; the profile changes it.
        user.language = getattr(request, "LANGUAGE_CODE", "")
        user.save(update_fields=["perspective", "time_zone", "language"])
        # The journal key is made with the password, and the recovery key waits to be
        # shown once (accounts/unlock.py).
        opened, recovery = journal_key_create(user=user, password=self.cleaned_data["password1"])
        unlock(request, opened, user_id=user.pk)
        keep_recovery_to_show(request, recovery, user_id=user.pk)
        request.session[RECOVERY_UNSAVED] = True
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


class ConfirmPasswordForm(FocusFirstErrorMixin, forms.Form):
    """The password entered again, so a session left open on a shared computer cannot act
    for its owner."""

    refused = _("That is not your password.")

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("The one you sign in with, to confirm it is you."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            raise ValidationError(
                gettext(
                    "Your account has no password yet. Set one on the Password page first, "
                    "then come back here."
                ),
                code="no_password",
            )
        if not self.user.check_password(password):
            raise ValidationError(self.refused, code="incorrect_password")
        return password


class AccountDeleteForm(ConfirmPasswordForm):
    """Deleting an account asks for the password again, so a session left open on a
    shared computer cannot erase someone's journal."""

    refused = _("That is not your password. Nothing has been deleted.")


class RecoveryKeyForm(ConfirmPasswordForm):
    """A new recovery key asks for the password again: the old key stops working."""

    refused = _("That is not your password. Your recovery key is unchanged.")


class StartEmptyForm(ConfirmPasswordForm):
    """A journal started afresh without the recovery key: the password it opens with from
    now on, and a plain yes to what it means."""

    refused = _("That is not your password. Nothing has changed.")
    confirm = forms.BooleanField(
        label=_(
            "I understand: my earlier entries stay locked until I delete them, and only "
            "the recovery key of my earlier journal could open them again."
        ),
        error_messages={"required": _("Tick the box to say you understand what this does.")},
    )


class LockedJournalDeleteForm(ConfirmPasswordForm):
    """Deleting the entries an earlier journal key locked: for good, so asked twice."""

    refused = _("That is not your password. Nothing has been deleted.")
    confirm = forms.BooleanField(
        label=_("Delete my locked entries, events, tags and prompts for good."),
        error_messages={"required": _("Tick the box to say you want them deleted.")},
    )


class UnlockForm(ConfirmPasswordForm):
    """Opening a locked journal: the password (after a passkey sign-in), or the recovery
    key with the password the account has now (after a reset by email), which then opens
    the journal at every sign-in again."""

    refused = _("That is not your password.")
    recovery_key = forms.CharField(
        label=_("Your recovery key"),
        required=False,
        strip=True,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Only if your password was reset by email: the key Mirror showed you when "
            "your journal was made, 13 groups of four letters and digits."
        ),
    )

    def clean_recovery_key(self) -> str:
        text = self.cleaned_data["recovery_key"]
        if text:
            try:
                parse_recovery_text(text)
            except KeyRefused:
                raise ValidationError(
                    gettext(
                        "This is not a recovery key: it has 13 groups of four letters and "
                        "digits, like 7K3Q-…. Check it against the copy you kept."
                    ),
                    code="malformed",
                ) from None
        return text

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            if cleaned.get("recovery_key"):
                self.opened = journal_key_recover(
                    user=self.user, recovery_text=cleaned["recovery_key"]
                )
                self.recovered = True
            else:
                self.opened = journal_key_open(user=self.user, password=cleaned["password"])
                self.recovered = False
        except KeyRefused:
            field = "recovery_key"
            message = (
                gettext(
                    "This recovery key does not open your journal. Check it against the copy "
                    "you kept; a key made later replaces the ones before it."
                )
                if cleaned.get("recovery_key")
                else gettext(
                    "Your password no longer opens your journal: it was reset by email. "
                    "Enter your recovery key as well."
                )
            )
            self.add_error(field, ValidationError(message, code="refused"))
        return cleaned
