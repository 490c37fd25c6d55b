"""When a reminder is due, in the user's own time zone.

A reminder at 07:30 is due from the first moment the user's wall clock shows 07:30 or later
on one of its days, once that day (ReminderSent guards it in the database). Summer time
needs nothing more: the wall clock is what is compared, so 07:30 arrives at 07:30 local on
both sides of a clock change, and a time the change skips (02:30 on the spring morning in
Europe) arrives at the first minute after it. "Only if I haven't written yet" skips a day
with an entry dated that day.

A day's reminder goes out within an hour of its time (LATE_BY): a worker that was stopped
for a while, or a reminder set for 07:30 at noon, sends nothing out of the blue later that
day. The hour covers summer time's skipped hour, so a skipped 02:30 still arrives at 03:00.

The worker (accounts/tasks.py) sends what is due each minute. A day is claimed in the
database before its mail leaves (ReminderSent, unique per user and day), so any number of
workers and app servers send it at most once; if the mail server refuses it, the claim is
given back and the next minute tries again.
"""

import datetime as dt
import email.policy
import logging
from collections.abc import Iterator
from smtplib import SMTPException

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Reminder, ReminderSent

logger = logging.getLogger("mirror.reminders")

LATE_BY = dt.timedelta(hours=1)
# The link that stops reminders works without signing in, for this long after its mail.
STOP_LINK_DAYS = 60
STOP_SALT = "mirror.reminders.stop"


def local_now(user, now: dt.datetime) -> dt.datetime:
    return now.astimezone(user.zone)


def is_due(reminder: Reminder, now: dt.datetime) -> bool:
    """Whether `reminder` should go out at `now` (aware), before checking it went out
    already today or that the user wrote."""
    if not reminder.enabled:
        return False
    local = local_now(reminder.user, now)
    if reminder.days and local.weekday() not in reminder.days:
        return False
    wall = dt.datetime.combine(local.date(), local.time().replace(second=0, microsecond=0))
    at = dt.datetime.combine(local.date(), reminder.time)
    return at <= wall < at + LATE_BY


def due_reminders(now: dt.datetime) -> Iterator[tuple[Reminder, dt.date]]:
    """Each reminder due at `now` that has not gone out on its user's day, with that day."""
    from journal.models import Entry

    reminders = Reminder.objects.filter(enabled=True).select_related("user")
    for reminder in reminders.iterator(chunk_size=500):
        if not is_due(reminder, now):
            continue
        day = local_now(reminder.user, now).date()
        if ReminderSent.objects.filter(user_id=reminder.user_id, day=day).exists():
            continue
        if reminder.only_if_not_written and (
            Entry.objects.for_user(reminder.user).filter(written_on=day).exists()
        ):
            continue
        yield reminder, day


def claim(reminder: Reminder, day: dt.date) -> bool:
    """Claim the user's day for this reminder: True for the one worker that may send it.
    The database's unique constraint decides, so two workers never both send it."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user_id=reminder.user_id, day=day)
    except IntegrityError:
        return False
    return True


def stop_token(user) -> str:
    """The credential in a reminder's stop link: the user's id, signed and dated."""
    return signing.TimestampSigner(salt=STOP_SALT).sign(str(user.pk))


def user_id_from_stop_token(token: str) -> int | None:
    """The id a stop link was made for, or None when it is forged, mangled or too old."""
    try:
        value = signing.TimestampSigner(salt=STOP_SALT).unsign(
            token, max_age=dt.timedelta(days=STOP_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def _site(path: str) -> str:
    return settings.SITE_URL + path


class ReminderMessage(EmailMessage):
    """Headers folded at RFC 5322's 998 characters rather than 78: Python's email package
    would otherwise turn a long List-Unsubscribe URL into an encoded word, which mail
    clients do not read as a link."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_mail(reminder: Reminder) -> EmailMessage:
    """The reminder as mail: the user's own neutral words (or Mirror's), a way to write and
    a way to stop, and nothing of the journal: lock screens are seen by others. Mail clients
    offer the stop link as their own unsubscribe button (RFC 2369 and RFC 8058)."""
    with translation.override(reminder.user.language or settings.LANGUAGE_CODE):
        return _reminder_mail(reminder)


def _reminder_mail(reminder: Reminder) -> EmailMessage:
    stop_url = _site(reverse("accounts:reminders-stop", args=[stop_token(reminder.user)]))
    context = {
        "reminder": reminder,
        "write_url": _site(reverse("journal:entry-create")),
        "settings_url": _site(reverse("accounts:reminders")),
        "stop_url": stop_url,
    }
    return ReminderMessage(
        subject=" ".join(reminder.text.split()),
        body=render_to_string("accounts/email/reminder.txt", context),
        to=[reminder.user.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def send_due(now: dt.datetime) -> int:
    """Send every reminder due at `now`, each claimed first; how many went out."""
    sent = 0
    for reminder, day in due_reminders(now):
        if not claim(reminder, day):
            continue  # another worker has it
        try:
            reminder_mail(reminder).send()
        except (SMTPException, OSError) as error:
            ReminderSent.objects.filter(user_id=reminder.user_id, day=day).delete()
            logger.warning(
                "reminder for user %s not sent (%s); tried again next minute",
                reminder.user_id,
                type(error).__name__,
            )
            continue
        sent += 1
    return sent
