"""Deterministic demo journals, for screenshots, benchmarks and trying the app out.

Everything is generated from a seed, so the same seed always gives the same journal. A
demo journal is sealed like any other (journal/sealed.py), under a journal key its
password opens: with `--password`, it is what a person who signs up gets.
"""

import datetime as dt
import random
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from accounts.journal_keys import Opened, current_key, journal_key_create, journal_key_open
from accounts.keys import KeyRefused
from accounts.models import User

from .models import (
    TAGS_SEPARATOR,
    Entry,
    EventKind,
    Feeling,
    Kind,
    Prompt,
    Stage,
    Tag,
    TimelineEvent,
)
from .sealing import Keyring, keys_active
from .tags import tag_key

OPENINGS = [
    "I woke before the alarm again.",
    "The house was quiet tonight.",
    "Something small reminded me of them today.",
    "I almost wrote to them, and wrote here instead.",
    "Today felt lighter than yesterday.",
    "I noticed how tight my shoulders were.",
    "A song came on in the café and I had to step outside.",
    "I slept badly and dreamed of the sea.",
]
MIDDLES = [
    "When I sit with the feeling instead of running from it, it softens a little.",
    "I keep checking my phone, and every time I do, I come back to myself a bit later.",
    "What I miss is not only them but the person I was when we were close.",
    "Maybe the distance is teaching me where I end and where they begin.",
    "I walked for an hour and let the thoughts pass like weather.",
    "I talked to a friend and felt *heard* for the first time in weeks.",
    "It is strange how the same memory can feel warm one day and sharp the next.",
    "I want to be someone who can stay, even when it is **hard**.",
]
LISTS = [
    "- a long walk\n- tea by the window\n- one honest sentence to myself",
    "1. breathe\n2. write\n3. let it be",
    "- what I felt: fear, then relief\n- what I needed: rest",
]
CLOSINGS = [
    "> What you resist persists.",
    "Tomorrow I will try to be gentle with myself.",
    "That is enough for today.",
    "I am still here, and that counts.",
]
TITLES = [
    "The morning after", "Quiet", "A dream of water", "Almost", "Sign at the station",
    "Letter I will not send", "Lighter", "Back to myself", "", "", "",
]  # fmt: skip
TAGS = ["mirror", "family", "work", "sleep", "walks", "friends", "signs", "body", "music"]


def demo_body(rng: random.Random, words: int = 300) -> str:
    """A Markdown body of about `words` words (never fewer)."""
    parts = [rng.choice(OPENINGS)]
    if rng.random() < 0.4:
        parts.append(rng.choice(LISTS))
    count = sum(len(part.split()) for part in parts)
    while count < words:
        paragraph = " ".join(rng.sample(MIDDLES, 2))
        parts.append(paragraph)
        count += len(paragraph.split())
    parts.append(rng.choice(CLOSINGS))
    return "\n\n".join(parts)


@transaction.atomic
def create_demo_journal(
    email: str,
    *,
    days: int = 60,
    seed: int = 1,
    password: str | None = None,
    gaps: float = 0.15,
) -> User:
    """A user with an entry on the last `days` days (skipping about `gaps` of them), ending
    today in their zone, and a timeline over the same span. Bulk-inserted: ten years of
    daily entries take seconds."""
    rng = random.Random(seed)
    ids = random.Random(f"{seed}:{email}")  # the same ids for the same user, unique across users
    user, _ = User.objects.get_or_create(
        email=email, defaults={"display_name": "Sam", "time_zone": "Europe/London"}
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    opened = _journal_key(user, password)
    with keys_active(Keyring.of(opened.key, opened.generation, owner=user.pk)):
        _fill(user, rng, ids, days=days, gaps=gaps)
    return user


def _journal_key(user: User, password: str | None) -> Opened:
    """The user's journal key, opened by the password; a new one (a new generation) if
    there is none or the password does not open it. Without a password nobody can sign
    in, so the key is wrapped under a password nobody knows."""
    if password and current_key(user) is not None:
        try:
            return journal_key_open(user=user, password=password)
        except KeyRefused:
            pass
    return journal_key_create(user=user, password=password or secrets.token_urlsafe())[0]


def _fill(user: User, rng: random.Random, ids: random.Random, *, days: int, gaps: float) -> None:
    tags = Tag.objects.for_names(user, TAGS)
    prompts = list(Prompt.objects.filter(user__isnull=True, retired=False).only("id", "text"))
    today = timezone.localdate(timezone=user.zone)
    stages = list(Stage.values)
    feelings = list(Feeling.values)
    entries, links = [], []
    for offset in range(days):
        if rng.random() < gaps:
            continue
        prompt = rng.choice(prompts) if prompts and rng.random() < 0.3 else None
        entry = Entry(
            id=uuid.UUID(int=ids.getrandbits(128), version=4),
            user=user,
            title=rng.choice(TITLES),
            body=demo_body(rng, words=rng.randint(150, 740)),
            written_on=today - dt.timedelta(days=offset),
            kind=rng.choices(list(Kind.values), weights=[6, 2, 1, 1])[0],
            mood=rng.choice([None, 1, 2, 3, 3, 4, 4, 5]),
            feelings=sorted(rng.sample(feelings, rng.randint(0, 3)), key=feelings.index),
            stage=rng.choice(["", *stages]),
            prompt=prompt,
            prompt_text=prompt.text if prompt else "",
        )
        names = sorted(rng.sample(TAGS, rng.randint(0, 3)))
        entry.tags_text = TAGS_SEPARATOR.join(names)
        entry.derive_from_body()
        entries.append(entry)
        links.extend(
            Entry.tags.through(entry_id=entry.id, tag_id=tags[tag_key(n)].id) for n in names
        )
    Entry.objects.bulk_create(entries, batch_size=500)
    Entry.objects.link_tags(user, links, batch_size=2000)
    create_demo_timeline(user, start=today - dt.timedelta(days=days - 1), today=today, rng=rng)


def create_demo_timeline(user: User, *, start: dt.date, today: dt.date, rng: random.Random) -> None:
    """Met on the first day, then cycles of closeness and separation (with contacts and
    urges) up to today; the span sets the scale, so 45 days and ten years both look lived
    (ten years: 40 to 60 events)."""
    span = max((today - start).days, 1)
    unit = max(span // 36, 3)  # about ten cycles whatever the span
    events = [TimelineEvent(user=user, kind=EventKind.MEETING, occurred_on=start)]
    day = start + dt.timedelta(days=rng.randint(unit, 2 * unit))
    while day < today:
        events.append(
            TimelineEvent(
                user=user,
                kind=EventKind.SEPARATION,
                occurred_on=day,
                initiator=rng.choice(["me", "them", "them", "mutual"]),
            )
        )
        length = rng.randint(unit, 2 * unit)
        for _ in range(rng.randint(1, 4)):
            offset = dt.timedelta(days=rng.randint(1, length))
            kind = rng.choice([EventKind.CONTACT, EventKind.URGE])
            if day + offset <= today:
                events.append(TimelineEvent(user=user, kind=kind, occurred_on=day + offset))
        day += dt.timedelta(days=length)
        if day >= today:
            break
        events.append(TimelineEvent(user=user, kind=EventKind.REUNION, occurred_on=day))
        day += dt.timedelta(days=rng.randint(unit, 3 * unit))
    for event in events:
        event.save()  # renders each note like any other save
