"""The prompt library and the choice of today's prompt.

Built-in prompts live in journal/data/prompts.yaml, one record per prompt with a stable
`key`. `load_builtin_prompts` makes the database match the file: new keys are added,
changed records are updated in place (entries keep the words they answered, see
Entry.prompt_text), and keys gone from the file are retired rather than deleted. It runs
in a data migration and again after every `migrate`, so editing the file and migrating is
all a deploy needs.

Each prompt says where it fits (its perspective, phase, window of a separation's days,
stage, theme, kind of entry and group), and the user's `Situation` says where they are:
whose side they are on, which phase, which day of it, which stage their recent entries
name. `prompt_sequence` turns the two into the day's questions, in the order "Ask me
something else" walks them:

- Only prompts that fit: the user's side and "any" (both sides when the separation was
  mutual or the user is unsure), the phase (in a separation, nothing about the beginning),
  the window of the day count. Urge prompts wait for the urge button.
- The user's own side dominates: three questions in four are written for it.
- Themes take turns: each side's themes are shuffled for the day, those with questions for
  this very window and stage first, and one theme never follows itself.
- Nothing answered in the last 60 days comes back while fresh questions remain.
- The order is a pure function of the user, the day and the journal, so a reload shows the
  same question, and another user or another day shows others.
"""

import datetime as dt
import functools
import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import gettext

PROMPTS_FILE = Path(__file__).resolve().parent / "data" / "prompts.yaml"
LIBRARY_VERSION = 2
NO_REPEAT_DAYS = 60
# The stage named on the entries of the last STAGE_DAYS days is the user's current stage.
STAGE_DAYS = 30
FIELDS = ("perspective", "phase", "days", "stage", "theme", "kind", "group", "text")
REQUIRED = ("key", "perspective", "phase", "theme", "text")
URGE = "urge"

# A separation's days, as the library's `days` names them (day 1 is the day it began).
WINDOWS = (("first-days", 7), ("first-weeks", 60), ("long-silence", None))

# The phases of the library that fit the user's phase. A phase the timeline does not tell
# (no events yet) takes every phase, but no question meant for a day of a separation.
FITTING_PHASES = {
    "separation": ("separation", "any"),
    "together": ("before", "together", "any"),
    "reunion": ("reunion", "any"),
    "": ("before", "together", "separation", "reunion", "any"),
}
# The timeline's period kinds, as phases.
PERIOD_PHASES = {"together": "together", "separation": "separation", "reunited": "reunion"}

# Whose questions come at each press: the user's own side three times in four.
OWN_SIDE_TURNS = ("own", "own", "any", "own")
BOTH_SIDES_TURNS = ("runner", "chaser", "any")
MAX_PRESSES = 1_000
# A side keeps to its fresh prompts (not answered in the last 60 days) while they span this
# many themes; fewer could not vary, and its answered prompts fill in after the fresh ones.
MIN_FRESH_THEMES = 4


def read_prompt_file(path: Path = PROMPTS_FILE) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    records = data["prompts"]
    keys = [record["key"] for record in records]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ValueError(f"{path.name}: keys used twice: {', '.join(sorted(duplicates))}")
    for record in records:
        missing = [name for name in REQUIRED if not record.get(name)]
        if missing:
            raise ValueError(f"{path.name}: {record['key']} has no {', '.join(missing)}")
    return [
        {"key": record["key"], **{name: record.get(name) or "" for name in FIELDS}}
        for record in records
    ]


@functools.cache
def library_version() -> str:
    """A digest of the prompts file: the built-in prompts change only with it (`migrate`
    loads it), so what is drawn from them can be kept under this version."""
    return hashlib.sha256(PROMPTS_FILE.read_bytes()).hexdigest()[:16]


def load_builtin_prompts(prompt_model=None, path: Path = PROMPTS_FILE) -> dict[str, int]:
    """Make the built-in prompts in the database match the file. Idempotent.
    `prompt_model` lets a data migration pass its historical model, which may not have every
    field yet: those fields are filled by the next load (after `migrate`)."""
    if prompt_model is None:
        from .models import Prompt as prompt_model
    names = {model_field.name for model_field in prompt_model._meta.get_fields()}
    fields = [name for name in FIELDS if name in names]
    records = [
        {"key": record["key"], **{name: record[name] for name in fields}}
        for record in read_prompt_file(path)
    ]
    existing = {p.key: p for p in prompt_model.objects.filter(user__isnull=True)}
    created, changed = [], []
    for record in records:
        prompt = existing.get(record["key"])
        if prompt is None:
            created.append(prompt_model(**record))
            continue
        updates = {name: record[name] for name in fields if getattr(prompt, name) != record[name]}
        if updates or prompt.retired:
            for name, value in updates.items():
                setattr(prompt, name, value)
            prompt.retired = False
            changed.append(prompt)
    prompt_model.objects.bulk_create(created)
    if changed:
        prompt_model.objects.bulk_update(changed, [*fields, "retired"])
    keys = {record["key"] for record in records}
    retired = (
        prompt_model.objects.filter(user__isnull=True, retired=False)
        .exclude(key__in=keys)
        .update(retired=True)
    )
    return {"created": len(created), "updated": len(changed), "retired": retired}


# Where the user is --------------------------------------------------------------------------


def window_of(day: int | None) -> str:
    """The library's name for a day of a separation: first-days, first-weeks, long-silence."""
    if day is None:
        return ""
    return next(name for name, last in WINDOWS if last is None or day <= last)


@dataclass(frozen=True)
class Situation:
    """Where the user is, as the choice of a prompt sees it."""

    perspective: str  # runner, chaser, or unsure (a mutual separation, or not known)
    phase: str = ""  # together, separation, reunion; "" when the timeline does not say
    day: int | None = None  # the day of the current period, 1 on its first day
    stage: str = ""  # the stage named most on recent entries

    @property
    def window(self) -> str:
        return window_of(self.day) if self.phase == "separation" else ""

    @property
    def sides(self) -> tuple[str, ...]:
        """The perspectives of the prompts that fit."""
        if self.perspective in {"runner", "chaser"}:
            return (self.perspective, "any")
        return ("runner", "chaser", "any")

    @property
    def for_whom(self) -> str:
        """Whose side the question is written for, in words (the active language's)."""
        if self.perspective == "runner":
            # Translators: why a prompt is shown: it is written for the one who left.
            return gettext("For the one who left")
        if self.perspective == "chaser":
            return gettext("For the one left behind")
        return gettext("For either side")

    @property
    def when(self) -> str:
        """Where in the connection, in words: "day 12 of this separation"."""
        day = {"day": self.day}
        if self.phase == "separation":
            if self.day:
                # Translators: why a prompt is shown, after "For the one left behind · ".
                return gettext("day %(day)s of this separation") % day
            return gettext("in this separation")
        if self.phase == "reunion":
            if self.day:
                return gettext("day %(day)s since the reunion") % day
            return gettext("since the reunion")
        if self.phase == "together":
            return gettext("while you are together")
        return ""

    @property
    def reason(self) -> str:
        """Why this question: "For the one left behind · day 12 of this separation"."""
        return " · ".join(part for part in (self.for_whom, self.when) if part)

    def fits(self, prompt: "Candidate") -> bool:
        if prompt.perspective not in self.sides or prompt.phase not in FITTING_PHASES[self.phase]:
            return False
        return not prompt.days or prompt.days == self.window

    def score(self, prompt: "Candidate") -> int:
        """How closely a fitting prompt follows the user: the stage they named (their own
        word for where they are), then the window of days, then its phase (not just any)."""
        return (
            4 * bool(self.stage and prompt.stage == self.stage)
            + 2 * bool(prompt.days)
            + (prompt.phase == self.phase)
        )


def situation_for(user, timeline, today: dt.date, *, profile_perspective: str) -> Situation:
    """The user's situation today: the side from the current separation (who left) or the
    one a reunion ended, else from the profile; the phase and day from the timeline; the
    stage from recent entries."""
    from .models import Entry

    period = timeline.current
    # A reunion keeps the sides of the separation it ended.
    separations = [p for p in timeline.periods if p.kind == "separation" and p.end]
    ended = separations[-1].perspective if period.kind == "reunited" and separations else ""
    perspective = period.perspective or ended or profile_perspective
    if perspective not in {"runner", "chaser"}:
        perspective = "unsure"
    phase = PERIOD_PHASES.get(period.kind, "") if timeline.has_events else ""
    stages = Counter(
        Entry.objects.for_user(user)
        .filter(written_on__gt=today - dt.timedelta(days=STAGE_DAYS), written_on__lte=today)
        .exclude(stage="")
        .values_list("stage", flat=True)
    )
    return Situation(
        perspective=perspective,
        phase=phase,
        day=timeline.day_number(period, today) if phase else None,
        stage=stages.most_common(1)[0][0] if stages else "",
    )


# Choosing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the choice reads of a prompt (one query's values, not model instances)."""

    pk: int
    perspective: str
    phase: str
    days: str
    stage: str
    theme: str
    group: str


CANDIDATE_FIELDS = ("pk", "perspective", "phase", "days", "stage", "theme", "group")


def _seed(*parts) -> int:
    text = ":".join(str(part) for part in ("mirror-prompt", *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@dataclass
class _Side:
    """One side's prompts by theme, each theme's best first, and where the walk is."""

    themes: list[str]
    queues: dict[str, list[Candidate]]
    fresh: bool  # its first question was not answered in the last 60 days
    next_theme: int = 0
    taken: Counter = field(default_factory=Counter)

    @classmethod
    def build(
        cls, prompts: list[Candidate], answered: set[int], rng: random.Random, score: Callable
    ) -> "_Side":
        """Only the fresh prompts, while they span enough themes to vary; else every prompt,
        the fresh ones first."""
        fresh = [prompt for prompt in prompts if prompt.pk not in answered]
        if len({prompt.theme for prompt in fresh}) >= MIN_FRESH_THEMES:
            prompts = fresh

        def rank(prompt: Candidate) -> tuple[bool, int]:
            return prompt.pk not in answered, score(prompt)

        queues: dict[str, list[Candidate]] = defaultdict(list)
        for prompt in prompts:
            queues[prompt.theme].append(prompt)
        for queue in queues.values():
            rng.shuffle(queue)
            queue.sort(key=rank, reverse=True)  # stable: the shuffle breaks ties
        themes = sorted(queues)
        rng.shuffle(themes)
        themes.sort(key=lambda theme: rank(queues[theme][0]), reverse=True)
        return cls(themes=themes, queues=dict(queues), fresh=rank(queues[themes[0]][0])[0])

    def take(self, previous_theme: str | None) -> Candidate:
        """The next theme's next prompt. A theme that would follow itself swaps places with
        the theme after it, so every theme still comes once a round."""
        count = len(self.themes)
        index = self.next_theme
        if count > 1 and self.themes[index] == previous_theme:
            other = (index + 1) % count
            self.themes[index], self.themes[other] = self.themes[other], self.themes[index]
        theme = self.themes[index]
        self.next_theme = (index + 1) % count
        queue = self.queues[theme]
        prompt = queue[self.taken[theme] % len(queue)]
        self.taken[theme] += 1
        return prompt


def fitting_prompts(user, situation: Situation) -> list[Candidate]:
    """The prompts that fit the user's situation (urge prompts wait for the urge button)."""
    from .models import Prompt

    fitting = Prompt.objects.filter(perspective__in=situation.sides).exclude(group=URGE)
    rows = [
        *fitting.builtin_values(*CANDIDATE_FIELDS),
        *(
            tuple(getattr(prompt, name) for name in CANDIDATE_FIELDS)
            for prompt in fitting.own(user).only(*CANDIDATE_FIELDS[1:])
        ),
    ]
    rows.sort(key=lambda row: row[0])
    return [prompt for prompt in (Candidate(*row) for row in rows) if situation.fits(prompt)]


def answered_recently(user, today: dt.date) -> set[int]:
    """The prompts the user answered in the last 60 days, before today (answering today's
    prompt does not change today's prompt)."""
    from .models import Entry

    return set(
        Entry.objects.for_user(user)
        .filter(
            prompt__isnull=False,
            written_on__gte=today - dt.timedelta(days=NO_REPEAT_DAYS),
            written_on__lt=today,
        )
        .values_list("prompt_id", flat=True)
    )


def prompt_sequence(
    user, today: dt.date, situation: Situation, count: int, *, answered: set[int] | None = None
) -> list[Candidate]:
    """The first `count` questions of the day, in the order "Ask me something else" shows
    them (the first is today's question)."""
    fitting = fitting_prompts(user, situation)
    if not fitting:
        return []
    if answered is None:
        answered = answered_recently(user, today)
    rng = random.Random(_seed(user.pk, today.isoformat(), situation))
    sides: dict[str, _Side] = {}
    for side in situation.sides:
        prompts = [prompt for prompt in fitting if prompt.perspective == side]
        if prompts:
            sides[side] = _Side.build(prompts, answered, rng, situation.score)
    turns: Sequence[str] = (
        [situation.perspective if turn == "own" else turn for turn in OWN_SIDE_TURNS]
        if situation.perspective in {"runner", "chaser"}
        else BOTH_SIDES_TURNS
    )
    turns = [turn for turn in turns if turn in sides] or list(sides)
    # Whose question comes first differs from day to day; today's question is a fresh one
    # while any side has one.
    start = rng.randrange(len(turns))
    start = next(
        (n for n in range(start, start + len(turns)) if sides[turns[n % len(turns)]].fresh),
        start,
    )
    shown: list[Candidate] = []
    previous = None
    for press in range(min(count, MAX_PRESSES + 1)):
        prompt = sides[turns[(start + press) % len(turns)]].take(previous)
        shown.append(prompt)
        previous = prompt.theme
    return shown


def todays_prompt(user, today: dt.date, *, situation: Situation, another: int = 0):
    """The prompt for `user` on `today` (see the module's notes); `another` counts the
    presses of "Ask me something else"."""
    from .models import Prompt

    shown = prompt_sequence(user, today, situation, min(another, MAX_PRESSES) + 1)
    if not shown:
        return None
    return Prompt.objects.for_user(user).get(pk=shown[-1].pk)


def urge_prompt(user, today: dt.date, *, situation: Situation):
    """A question to write to when the urge to reach out comes, for the user's side: a
    different one for each urge of the day, until every one was asked."""
    from .models import Prompt, TimelineEvent

    prompts = list(
        Prompt.objects.for_user(user)
        .filter(group=URGE, perspective__in=situation.sides)
        .order_by("pk")
    )
    if not prompts:
        return None
    # The user's own side first, in an order of the day's own; then the rest.
    rng = random.Random(_seed(user.pk, today.isoformat(), URGE))
    rng.shuffle(prompts)
    prompts.sort(key=lambda prompt: prompt.perspective == "any")
    urges_today = (
        TimelineEvent.objects.for_user(user).filter(kind="urge", occurred_on=today).count()
    )
    return prompts[max(urges_today - 1, 0) % len(prompts)]  # the urge is recorded first
