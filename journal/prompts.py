"""The prompt library and the choice of today's prompt.

Built-in prompts live in journal/data/prompts.yaml, one record per prompt with a stable
`key`. `load_builtin_prompts` makes the database match the file: new keys are added,
changed texts are updated in place (entries keep the words they answered, see
Entry.prompt_text), and keys gone from the file are retired rather than deleted. It runs
in a data migration and again after every `migrate`, so editing the file and migrating is
all a deploy needs.
"""

import datetime as dt
import hashlib
from pathlib import Path

import yaml

PROMPTS_FILE = Path(__file__).resolve().parent / "data" / "prompts.yaml"
NO_REPEAT_DAYS = 60
FIELDS = ("perspective", "stage", "theme", "text")


def read_prompt_file(path: Path = PROMPTS_FILE) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    records = data["prompts"]
    keys = [record["key"] for record in records]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ValueError(f"{path.name}: keys used twice: {', '.join(sorted(duplicates))}")
    return [
        {"key": record["key"], **{name: record.get(name) or "" for name in FIELDS}}
        for record in records
    ]


def load_builtin_prompts(prompt_model=None, path: Path = PROMPTS_FILE) -> dict[str, int]:
    """Make the built-in prompts in the database match the file. Idempotent.
    `prompt_model` lets a data migration pass its historical model."""
    if prompt_model is None:
        from .models import Prompt as prompt_model
    records = read_prompt_file(path)
    existing = {p.key: p for p in prompt_model.objects.filter(user__isnull=True)}
    created, changed = [], []
    for record in records:
        prompt = existing.get(record["key"])
        if prompt is None:
            created.append(prompt_model(**record))
            continue
        updates = {name: record[name] for name in FIELDS if getattr(prompt, name) != record[name]}
        if updates or prompt.retired:
            for name, value in updates.items():
                setattr(prompt, name, value)
            prompt.retired = False
            changed.append(prompt)
    prompt_model.objects.bulk_create(created)
    if changed:
        prompt_model.objects.bulk_update(changed, [*FIELDS, "retired"])
    keys = {record["key"] for record in records}
    retired = (
        prompt_model.objects.filter(user__isnull=True, retired=False)
        .exclude(key__in=keys)
        .update(retired=True)
    )
    return {"created": len(created), "updated": len(changed), "retired": retired}


def _day_seed(user_id: int, day: dt.date) -> int:
    digest = hashlib.sha256(f"mirror-prompt:{user_id}:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def todays_prompt(user, today: dt.date, *, perspective: str, another: int = 0):
    """The prompt for `user` on `today`: stable all day (the same on every refresh), different
    across users and days, fitting `perspective`, and not one answered in the last 60 days
    while unanswered ones remain. `another` steps to a different prompt on request."""
    from .models import Entry, Prompt

    candidates = list(
        Prompt.objects.for_user(user)
        .fitting(perspective)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not candidates:
        return None
    answered = set(
        Entry.objects.for_user(user)
        .filter(
            prompt__isnull=False,
            written_on__gte=today - dt.timedelta(days=NO_REPEAT_DAYS),
            written_on__lt=today,  # answering today's prompt does not change today's prompt
        )
        .values_list("prompt_id", flat=True)
    )
    fresh = [pk for pk in candidates if pk not in answered] or candidates
    chosen = fresh[(_day_seed(user.pk, today) + another) % len(fresh)]
    return Prompt.objects.for_user(user).get(pk=chosen)


URGE_THEMES = ("contact", "longing", "self-love")


def urge_prompt(user, today: dt.date, *, perspective: str):
    """A question to write to when the urge to reach out comes: one about contact and
    longing, for the user's side, different on each urge of the day."""
    from .models import Prompt, TimelineEvent

    prompts = list(
        Prompt.objects.for_user(user)
        .fitting(perspective)
        .filter(theme__in=URGE_THEMES)
        .order_by("id")
    )
    if not prompts:
        return None
    urges_today = (
        TimelineEvent.objects.for_user(user).filter(kind="urge", occurred_on=today).count()
    )
    return prompts[(_day_seed(user.pk, today) + urges_today) % len(prompts)]
