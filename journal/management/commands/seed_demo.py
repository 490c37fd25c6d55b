from django.core.management.base import BaseCommand, CommandParser

from journal.demo import create_demo_journal


class Command(BaseCommand):
    help = "Create a deterministic demo journal (one entry on most days) for trying Mirror out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@example.com")
        parser.add_argument("--password", default=None, help="Without it the user cannot log in.")
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, email: str, password: str | None, days: int, seed: int, **options):
        user = create_demo_journal(email, days=days, seed=seed, password=password)
        self.stdout.write(f"{user.email}: {user.entries.count()} entries")
