"""`manage.py worker`: Mirror's background worker.

It is django-tasks-db's `db_worker` (it runs the queued tasks: mail, accounts/tasks.py)
with a clock: at the start of every minute it queues `send_due_reminders`. Several workers
may run, on one machine or many: a minute is queued once between them (the shared cache's
atomic `add`), and each reminder is claimed in the database before it goes, so even two
clocks never send one twice. The clock also drops finished task records after a day, so
the table does not grow and no queued mail outlives its sending.

`--batch` runs one tick and every queued task, then exits (for cron, and for tests).
"""

import datetime as dt
import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from accounts.tasks import send_due_reminders

logger = logging.getLogger("mirror.worker")

# Finished task records (their sealed mail included) are kept this long, for a look at
# what failed, then dropped.
KEEP_FINISHED = dt.timedelta(days=1)


def tick(now: dt.datetime) -> bool:
    """Queue this minute's reminders unless another worker's clock did: True if queued."""
    minute = now.replace(second=0, microsecond=0)
    if not cache.add(f"mirror:worker:tick:{minute:%Y%m%dT%H%M}", 1, timeout=3600):
        return False
    send_due_reminders.enqueue()
    if minute.minute == 0:  # once an hour
        DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_FINISHED).delete()
    return True


def run_clock(stop: threading.Event) -> None:
    """Tick at once, then at the start of each minute, until `stop` is set."""
    while not stop.is_set():
        try:
            tick(timezone.now())
        except Exception:
            logger.exception("the worker's clock could not queue this minute's reminders")
        finally:
            close_old_connections()
        stop.wait(60 - time.time() % 60 + 0.05)
    connection.close()


class Command(db_worker.Command):
    help = (
        "Run Mirror's background worker: queued mail, and each minute the reminders that are due."
    )

    def configure_logging(self, verbosity: int) -> None:
        """Levels only: Mirror's LOGGING already writes every logger to the console, and
        db_worker's own handlers would print each line twice."""
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django.tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)

    def handle(self, *args, **options) -> None:
        if not settings.SITE_URL:
            raise CommandError(
                "DJANGO_SITE_URL is not set and no allowed host names the site: set it to "
                "the address people open, like https://journal.example.org, so the links "
                "in reminders lead there."
            )
        reloading = options["reload"] and not options["batch"]
        if options["batch"]:
            tick(timezone.now())
            close_old_connections()
        elif not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # With the reloader, only the child process (the one that runs tasks) ticks.
            threading.Thread(
                target=run_clock, args=(threading.Event(),), name="mirror-clock", daemon=True
            ).start()
        super().handle(*args, **options)
