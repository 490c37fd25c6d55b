"""The work Mirror does in the background, run by `manage.py worker`
(accounts/management/commands/worker.py) through Django's tasks framework, queued in the
database (django-tasks-db).

- `send_mail`: every mail Mirror sends (confirmation, password reset, account notices)
  is queued by accounts/mail.py and sent here, so a slow mail server never holds a page.
  A refused or unreachable server is tried again later, a few times.
- `send_due_reminders`: the worker's clock queues it once a minute (deduplicated between
  workers through the shared cache); each reminder is claimed in the database before it
  goes, so it never goes twice (accounts/reminders.py).
"""

import datetime as dt
import logging
from smtplib import SMTPException

from django.tasks import task, task_backends
from django.utils import timezone

from . import mail, reminders

logger = logging.getLogger("mirror.mail")

# After a failed attempt, when to try again: a minute, five, a quarter of an hour, an hour.
RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)


@task
def send_mail(sealed: str, attempt: int = 1) -> None:
    message = mail.unseal(sealed)
    try:
        message.send()
    except (SMTPException, OSError) as error:
        backend = task_backends[send_mail.backend]
        if attempt > len(RETRY_AFTER) or not backend.supports_defer:
            raise
        later = timezone.now() + RETRY_AFTER[attempt - 1]
        send_mail.using(run_after=later).enqueue(sealed, attempt + 1)
        # The error's kind only: its text can hold the addresses.
        logger.warning(
            "mail not sent (%s), attempt %d; trying again at %s",
            type(error).__name__,
            attempt,
            later.isoformat(timespec="seconds"),
        )


@task
def send_due_reminders() -> int:
    """Send the reminders due now; how many went out."""
    return reminders.send_due(timezone.now())
