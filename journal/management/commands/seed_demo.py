import time

from django.core.management.base import BaseCommand, CommandParser

from journal.demo import create_demo_journal


class Command(BaseCommand):
    help = (
        "Create deterministic demo journals: by default one user with ten years of daily "
        "entries and a timeline. The same --seed always gives the same journal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@example.com", help="the (first) user")
        parser.add_argument("--users", type=int, default=1, help="how many users to create")
        parser.add_argument("--password", default=None, help="without it nobody can log in")
        parser.add_argument("--days", type=int, default=3650, help="days of entries per user")
        parser.add_argument("--gaps", type=float, default=0.0, help="share of days skipped")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, email: str, users: int, password, days, gaps, seed, **options):
        local, _, domain = email.partition("@")
        started = time.perf_counter()
        for n in range(users):
            address = email if n == 0 else f"{local}+{n}@{domain}"
            user = create_demo_journal(
                address, days=days, seed=seed + n, password=password, gaps=gaps
            )
            self.stdout.write(
                f"{user.email}: {user.entries.count()} entries, "
                f"{user.timeline_events.count()} timeline events"
            )
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
