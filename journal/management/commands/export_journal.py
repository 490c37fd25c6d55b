from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from journal.archive.document import stream_markdown
from journal.archive.selection import Selection
from journal.archive.writing import stream_zip
from journal.timeline import Timeline


class Command(BaseCommand):
    help = (
        "Export a user's whole journal to a file, exactly as the /export/ downloads: "
        "a zip of one Markdown file per entry, or one Markdown document."
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

    def handle(self, *args, email: str, path: str, format: str | None, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        target = Path(path)
        if format is None:
            format = "md" if target.suffix.lower() == ".md" else "zip"
        timeline = Timeline(user, user.today())
        stream = stream_markdown if format == "md" else stream_zip
        written = 0
        try:
            with target.open("wb") as file:
                for chunk in stream(user, Selection(), timeline=timeline):
                    file.write(chunk)
                    written += len(chunk)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {target} ({format}, {written:,} bytes).")
