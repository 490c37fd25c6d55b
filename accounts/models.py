import datetime as dt
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names if "/" in name or name == "UTC"]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Perspective(models.TextChoices):
    """Which side of a separation the user feels they are on, until their timeline says."""

    RUNNER = "runner", _("I’m the one who ran")
    CHASER = "chaser", _("I’m the one left behind")
    UNSURE = "unsure", _("Not sure, or both")


class User(AbstractUser):
    """A Mirror user: signs in with an email address, has no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        # Translators: the field for the name Mirror greets the user by.
        _("name"),
        max_length=80,
        blank=True,
        help_text=_("How Mirror greets you. Optional."),
    )
    # The generation of the journal key the journal is sealed under now (accounts.JournalKey;
    # journal/sealed.py): a fresh start after a lost password makes a new one.
    journal_generation = models.PositiveSmallIntegerField(default=1, editable=False)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        help_text=_("Dates of your entries and “today” follow this time zone."),
    )

    # The interface's language, one of settings.LANGUAGES; "" follows the browser.
    language = models.CharField(max_length=10, blank=True, default="")

    perspective = models.CharField(
        max_length=10,
        choices=Perspective,
        default=Perspective.UNSURE,
        help_text=_("Mirror picks each day’s question to fit. Your timeline can decide it later."),
    )

    # Takes a new random value on every change to the user's journal (entries, tags,
    # timeline events, own prompts): figures derived from the whole journal are cached
    # under it (journal.figures), so a change makes them be derived again. Random rather
    # than counted, so that a rolled-back change never gives a later one the same version.
    # Only `journal.figures.journal_changed` writes it.
    journal_version = models.PositiveBigIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # A user loaded before a journal change must not write its older journal_version
        # back (say a profile saved while an entry is being written in another tab).
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            skip = {"journal_version", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in skip
            ]
        super().save(*args, **kwargs)

    @property
    def journal_stamp(self) -> str:
        """The key figures derived from this user's journal are cached under
        (journal.figures): `{% cache … request.user.journal_stamp using="journal" %}`."""
        from journal.figures import journal_stamp

        return journal_stamp(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def today(self):
        """The date it is now where the user lives."""
        return timezone.localdate(timezone=self.zone)

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class JournalKey(models.Model):
    """A user's journal key, stored only wrapped (accounts.keys): under a key derived from
    their password, and under their recovery key. Neither the key nor the recovery key is
    ever stored in the clear.

    A user has one key per generation. A password reset without the recovery key leaves
    the journal locked; starting an empty journal then makes a new generation, and the
    entries of the old one stay locked until they are deleted or the old recovery key is
    found (accounts.journal_keys).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="journal_keys")
    generation = models.PositiveIntegerField(default=1)
    password_salt = models.BinaryField(max_length=16)
    password_cost = models.JSONField()  # accounts.keys.KdfCost.as_dict()
    password_wrapped = models.BinaryField(max_length=60)
    recovery_salt = models.BinaryField(max_length=16)
    recovery_wrapped = models.BinaryField(max_length=60)
    # When the user said they kept the recovery key; until then the home page reminds them.
    recovery_saved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "generation"], name="one_key_a_generation")
        ]

    def __str__(self) -> str:
        return f"journal key {self.generation} of user {self.user_id}"


class Weekday(models.IntegerChoices):
    # Django's own names of the days, translated in every language it speaks.
    MONDAY = 0, WEEKDAYS[0]
    TUESDAY = 1, WEEKDAYS[1]
    WEDNESDAY = 2, WEEKDAYS[2]
    THURSDAY = 3, WEEKDAYS[3]
    FRIDAY = 4, WEEKDAYS[4]
    SATURDAY = 5, WEEKDAYS[5]
    SUNDAY = 6, WEEKDAYS[6]


REMINDER_MESSAGE_MAX_LENGTH = 120
# Marked only: it is translated where it is shown (`Reminder.text`, the form's help), in the
# language of whoever reads it.
DEFAULT_REMINDER_MESSAGE = gettext_noop("A moment for yourself, whenever you are ready.")


class Reminder(models.Model):
    """A gentle daily reminder, by email, at a time of the user's day (accounts/reminders.py).

    Its message is the one text here the user may write, and the worker sends it while no
    one is signed in, so it is stored readable (docs/security.md lists it); the page says
    to keep it neutral, since lock screens are seen by others."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    enabled = models.BooleanField(default=False)
    time = models.TimeField(default=dt.time(21, 30))
    days = models.JSONField(default=list)  # weekdays (Weekday), Monday 0; all when empty
    only_if_not_written = models.BooleanField(default=True)
    message = models.CharField(max_length=REMINDER_MESSAGE_MAX_LENGTH, blank=True)

    def __str__(self) -> str:
        return f"reminder of user {self.user_id}"

    @property
    def text(self) -> str:
        """The user's own words as written, else Mirror's default in the active language."""
        return self.message or gettext(DEFAULT_REMINDER_MESSAGE)


class ReminderSent(models.Model):
    """One reminder sent to a user on one of their days: the database's guard that several
    app servers and workers never send a day's reminder twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"reminder of user {self.user_id} on {self.day}"
