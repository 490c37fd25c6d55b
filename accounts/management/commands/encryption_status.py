"""`python manage.py encryption_status`: how many accounts have a journal key yet.

An account gets its key at sign-up, or at its first sign-in with a password after
encryption came: no migration can make one, because only the password can wrap it. Until
then, what that account wrote is stored as it was before (docs/security.md)."""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from accounts.models import JournalKey, User


class Command(BaseCommand):
    help = "Count the accounts whose journal is not yet encrypted (no journal key yet)."

    def handle(self, *args, **options) -> None:
        users = User.objects.annotate(keyed=Exists(JournalKey.objects.filter(user=OuterRef("pk"))))
        total = users.count()
        waiting = users.filter(keyed=False).count()
        self.stdout.write(
            f"{total} account{'' if total == 1 else 's'}: {total - waiting} with a journal key, "
            f"{waiting} waiting for their next sign-in with a password."
        )
