"""`python manage.py export_journal user@example.org journal.zip`: a user's whole journal,
exactly as /export/ downloads it.

The journal is encrypted (journal/sealed.py): the server cannot read it by itself, so the
command asks for the user's password (or, with --recovery-key, their recovery key) and
opens the journal with it, as a sign-in does. Typed at a prompt, never an argument (which
the shell's history and the process list would keep); read from standard input when it is
not a terminal, for a script the user runs themselves.
"""

import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.journal_keys import Opened, journal_key_open, journal_key_recover
from accounts.keys import KeyRefused
from accounts.models import User
from journal.archive.document import stream_markdown
from journal.archive.selection import Selection
from journal.archive.writing import stream_zip
from journal.sealing import Keyring, keys_active
from journal.timeline import Timeline


class Command(BaseCommand):
    help = (
        "Export a user's whole journal to a file, exactly as the /export/ downloads: "
        "a zip of one Markdown file per entry, or one Markdown document. The journal is "
        "encrypted: the command asks for the user's password (or recovery key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The account's email address.")
        parser.add_argument("path", help="The file to write, e.g. mirror-journal.zip.")
        parser.add_argument(
            "--format",
            choices=["md", "zip"],
            default=None,
            help="md or zip; by default the path's extension decides, else zip.",
        )
        parser.add_argument(
            "--recovery-key",
            action="store_true",
            help="Ask for the recovery key instead of the password (after a reset by email).",
        )

    def handle(self, *args, email: str, path: str, format: str | None, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        opened = self.open_journal(user, recovery=options["recovery_key"])
        target = Path(path)
        if format is None:
            format = "md" if target.suffix.lower() == ".md" else "zip"
        stream = stream_markdown if format == "md" else stream_zip
        written = 0
        keyring = Keyring.of(opened.key, opened.generation, owner=user.pk)
        try:
            with keys_active(keyring), target.open("wb") as file:
                timeline = Timeline(user, user.today())
                for chunk in stream(user, Selection(), timeline=timeline):
                    file.write(chunk)
                    written += len(chunk)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {target} ({format}, {written:,} bytes).")

    def open_journal(self, user: User, *, recovery: bool) -> Opened:
        what = "recovery key" if recovery else "password"
        secret = self.ask(f"The {what} of {user.email}: ", hidden=not recovery)
        try:
            if recovery:
                return journal_key_recover(user=user, recovery_text=secret)
            return journal_key_open(user=user, password=secret)
        except KeyRefused:
            raise CommandError(
                f"That {what} does not open this journal. Nothing was written."
            ) from None
        except LookupError:
            raise CommandError(
                "This account has no journal key yet: its owner gets one at their next "
                "sign-in with a password."
            ) from None

    def ask(self, prompt: str, *, hidden: bool) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        return getpass.getpass(prompt) if hidden else input(prompt)
