"""When a reminder is due, in the user's own time zone.

A reminder at 07:30 is due from the first moment the user's wall clock shows 07:30 or later
on one of its days, once that day (ReminderSent guards it in the database). Summer time
needs nothing more: the wall clock is what is compared, so 07:30 arrives at 07:30 local on
both sides of a clock change, and a time the change skips (02:30 on the spring morning in
Europe) arrives at the first minute after it. "Only if I haven't written yet" skips a day
with an entry dated that day.
"""

import datetime as dt
from collections.abc import Iterator

from django.db import IntegrityError, transaction

from .models import Reminder, ReminderSent


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
    return local.time().replace(second=0, microsecond=0) >= reminder.time


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
