"""Today's prompt follows the user: simulated journeys through separations and reunions,
day by day, with the user answering the day's question, and properties of the choice."""

import datetime as dt
from collections import Counter
from itertools import pairwise

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import Entry, Prompt, PromptDays, Stage, TimelineEvent
from journal.prompts import (
    MIN_FRESH_THEMES,
    NO_REPEAT_DAYS,
    Situation,
    fitting_prompts,
    prompt_sequence,
    situation_for,
    window_of,
)
from journal.timeline import Timeline
from tests.factories import make_user

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 6)
PRESSES = 30
OFF_PHASE = {
    "separation": {"before", "together", "reunion"},
    "reunion": {"before", "together", "separation"},
    "together": {"separation", "reunion"},
}


def event(user, kind, day, initiator=""):
    return TimelineEvent.objects.create(user=user, kind=kind, occurred_on=day, initiator=initiator)


def situation(user, day):
    return situation_for(user, Timeline(user, day), day, profile_perspective=user.perspective)


class Journey:
    """A user living `days` days from `first`: each day they look at the day's questions,
    press "Ask me something else" PRESSES times and answer the first question."""

    def __init__(self, user, first: dt.date, days: int):
        self.user, self.first, self.days = user, first, days
        self.prompts = {p.pk: p for p in Prompt.objects.for_user(user)}
        self.answered: dict[int, dt.date] = {}
        self.days_seen: list[tuple[dt.date, Situation, list]] = []

    def walk(self, every: int = 1):
        for offset in range(0, self.days, every):
            day = self.first + dt.timedelta(days=offset)
            where = situation(self.user, day)
            shown = prompt_sequence(self.user, day, where, PRESSES)
            self.days_seen.append((day, where, shown))
            Entry.objects.create(
                user=self.user, body="An answer.", written_on=day, prompt_id=shown[0].pk
            )
        return self

    def shown(self, phase: str, perspective: str | None = None):
        return [
            prompt
            for _, where, shown in self.days_seen
            if where.phase == phase and (perspective is None or where.perspective == perspective)
            for prompt in shown
        ]


def own_share(prompts, side):
    counts = Counter(prompt.perspective for prompt in prompts)
    return counts[side] / len(prompts)


def assert_follows(journey: Journey):
    """Every question fits the day; one theme never follows itself; each side walks through
    its themes before one comes back; nothing answered in the last 60 days comes back
    while a fresh question that fits remains."""
    answered: dict[int, dt.date] = {}
    for day, where, shown in journey.days_seen:
        assert len(shown) == PRESSES
        recent = {pk for pk, when in answered.items() if (day - when).days <= NO_REPEAT_DAYS}
        fitting = fitting_prompts(journey.user, where)
        fresh = [prompt for prompt in fitting if prompt.pk not in recent]
        for prompt in shown:
            assert prompt.perspective in where.sides, (day, where)
            assert prompt.phase not in OFF_PHASE.get(where.phase, set()), (day, where, prompt)
            assert not prompt.days or prompt.days == where.window, (day, where, prompt)
            assert prompt.group != "urge"
        assert not fresh or shown[0].pk not in recent, (day, where)  # today's question
        themes = [prompt.theme for prompt in shown]
        assert all(a != b for a, b in pairwise(themes)), (day, themes)
        for side in where.sides:
            walked = [prompt for prompt in shown if prompt.perspective == side]
            side_fresh = [prompt for prompt in fresh if prompt.perspective == side]
            side_themes = {prompt.theme for prompt in side_fresh}
            if len(side_themes) >= MIN_FRESH_THEMES:  # enough fresh ones to vary
                assert not [prompt for prompt in walked if prompt.pk in recent], (day, side)
            else:  # too few to vary: the answered ones fill in, after a round of fresh ones
                # (a theme may wait one turn so as not to follow itself)
                first_round = walked[: len(side_themes) + 1]
                assert side_themes <= {p.theme for p in first_round if p.pk not in recent}
            available = (
                side_themes
                if len(side_themes) >= MIN_FRESH_THEMES
                else {prompt.theme for prompt in fitting if prompt.perspective == side}
            )
            # Every theme comes once a round; one may wait a round so as not to follow itself.
            count = min(len(walked), len(available))
            assert len({prompt.theme for prompt in walked[:count]}) >= count - 1, (day, side)
        answered[shown[0].pk] = day


def test_a_chaser_through_a_first_separation_and_a_reunion():
    chaser = make_user("chaser@example.com", perspective="chaser")
    event(chaser, "meeting", START - dt.timedelta(days=200))
    event(chaser, "separation", START, initiator="them")
    event(chaser, "reunion", START + dt.timedelta(days=150))
    journey = Journey(chaser, START, 220).walk()
    assert_follows(journey)

    separation = journey.shown("separation", "chaser")
    assert own_share(separation, "chaser") >= 0.70
    assert not [prompt for prompt in separation if prompt.perspective == "runner"]
    # Questions for the first days come first in the first days, long silence later.
    first_days = [shown for day, where, shown in journey.days_seen if where.window == "first-days"]
    assert len(first_days) == 7
    assert all(any(p.days == "first-days" for p in shown[:3]) for shown in first_days)
    late = [shown for _, where, shown in journey.days_seen if where.window == "long-silence"]
    assert all(any(p.days == "long-silence" for p in shown[:5]) for shown in late[:14])

    reunion = journey.shown("reunion")
    assert reunion and Counter(p.phase for p in reunion)["reunion"] >= len(reunion) / 3
    # After the reunion, the days differ from each other (not the same few in one order).
    firsts = [tuple(p.pk for p in shown[:6]) for _, w, shown in journey.days_seen[-60:]]
    assert len(set(firsts)) == len(firsts)


def test_a_runner_through_two_separations():
    runner = make_user("runner@example.com", perspective="chaser")  # the timeline decides
    event(runner, "meeting", START - dt.timedelta(days=90))
    event(runner, "separation", START, initiator="me")
    event(runner, "reunion", START + dt.timedelta(days=40))
    event(runner, "separation", START + dt.timedelta(days=100), initiator="me")
    journey = Journey(runner, START, 190).walk()
    assert_follows(journey)
    separation = journey.shown("separation")
    assert {where.perspective for _, where, _ in journey.days_seen if where.phase == "separation"}
    assert own_share(separation, "runner") >= 0.70
    assert not [prompt for prompt in separation if prompt.perspective == "chaser"]
    # The second separation starts again from its own first days.
    second = journey.days_seen[100]
    assert (second[1].day, second[1].window) == (1, "first-days")


def test_an_unsure_user_together_hears_from_both_sides():
    user = make_user("unsure@example.com", perspective="unsure")
    event(user, "meeting", START - dt.timedelta(days=30))
    journey = Journey(user, START, 60).walk(every=2)
    assert_follows(journey)
    seen = Counter(prompt.perspective for _, _, shown in journey.days_seen for prompt in shown)
    assert min(seen.values()) / sum(seen.values()) >= 0.25
    phases = {prompt.phase for _, _, shown in journey.days_seen for prompt in shown}
    assert phases <= {"before", "together", "any"} and "together" in phases


def test_a_mutual_separation_draws_from_both_sides():
    user = make_user("mutual@example.com", perspective="runner")
    event(user, "separation", START, initiator="mutual")
    where = situation(user, START + dt.timedelta(days=20))
    assert where.perspective == "unsure"
    shown = prompt_sequence(user, START + dt.timedelta(days=20), where, PRESSES)
    assert {prompt.perspective for prompt in shown} == {"runner", "chaser", "any"}


def test_the_chaser_of_the_report_hears_chaser_questions_at_once():
    """Day 62 of a separation where they ran: the first questions are the chaser's, for a
    long silence, none about meeting."""
    chaser = make_user("day62@example.com", perspective="chaser")
    event(chaser, "meeting", START - dt.timedelta(days=400))
    event(chaser, "separation", START, initiator="them")
    day = START + dt.timedelta(days=61)
    where = situation(chaser, day)
    assert (where.perspective, where.phase, where.day, where.window) == (
        "chaser",
        "separation",
        62,
        "long-silence",
    )
    shown = prompt_sequence(chaser, day, where, 12)
    assert sum(prompt.perspective == "chaser" for prompt in shown[:4]) >= 2
    assert own_share(shown, "chaser") >= 0.70


@pytest.mark.parametrize("stage", ["running/chasing", "crisis", "surrender"])
def test_the_stage_of_recent_entries_is_preferred(stage):
    user = make_user("stage@example.com", perspective="chaser")
    event(user, "separation", START, initiator="them")
    day = START + dt.timedelta(days=90)
    assert situation(user, day).stage == ""
    Entry.objects.create(user=user, body="x", written_on=day - dt.timedelta(days=3), stage=stage)
    where = situation(user, day)
    assert where.stage == stage
    assert [p for p in fitting_prompts(user, where) if p.stage == stage]
    shown = prompt_sequence(user, day, where, 10)
    for side in where.sides:  # each side's first question is one for that stage, if it has one
        if [p for p in fitting_prompts(user, where) if p.stage == stage and p.perspective == side]:
            assert next(p for p in shown if p.perspective == side).stage == stage, side


# Properties ----------------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    perspective=st.sampled_from(["runner", "chaser", "unsure"]),
    phase=st.sampled_from(["separation", "together", "reunion", ""]),
    day=st.integers(min_value=1, max_value=3000),
    stage=st.sampled_from(["", *Stage.values]),
    offset=st.integers(min_value=0, max_value=5000),
)
def test_any_situation_gets_fitting_varied_questions(alice, perspective, phase, day, stage, offset):
    where = Situation(perspective=perspective, phase=phase, day=day if phase else None, stage=stage)
    today = START + dt.timedelta(days=offset)
    shown = prompt_sequence(alice, today, where, 40)
    assert len(shown) == 40
    assert shown == prompt_sequence(alice, today, where, 40)  # stable on reload
    assert all(where.fits(prompt) for prompt in shown)
    themes = [prompt.theme for prompt in shown]
    assert all(a != b for a, b in pairwise(themes))
    if perspective != "unsure":
        assert own_share(shown, perspective) >= 0.70


def test_windows_follow_the_day_count():
    assert [window_of(day) for day in (1, 7, 8, 60, 61, 900)] == [
        "first-days",
        "first-days",
        "first-weeks",
        "first-weeks",
        "long-silence",
        "long-silence",
    ]
    assert set(PromptDays.values) == {"first-days", "first-weeks", "long-silence"}


# The pages -------------------------------------------------------------------------------


def test_home_says_whom_the_question_is_for_and_when(alice_client, alice):
    event(alice, "separation", alice.today() - dt.timedelta(days=11), initiator="them")
    page = alice_client.get(reverse("home"))
    assert "For the one left behind · day 12 of this separation" in page.text
    assert page.context["prompt"].perspective in {"chaser", "any"}


def test_the_urge_button_asks_about_the_urge_and_each_urge_differently(alice_client, alice):
    event(alice, "separation", alice.today() - dt.timedelta(days=30), initiator="them")
    asked = []
    for _ in range(4):
        response = alice_client.post(reverse("journal:urge"))
        prompt = Prompt.objects.get(pk=response.url.split("prompt=")[1])
        assert (prompt.group, prompt.theme) == ("urge", "urge")
        assert prompt.perspective in {"chaser", "any"}
        asked.append(prompt.pk)
    assert len(set(asked)) == 4


def test_a_prompt_for_a_letter_opens_the_editor_as_a_letter(alice_client):
    letter = Prompt.objects.filter(user__isnull=True, kind="letter").first()
    page = alice_client.get(reverse("journal:entry-create"), {"prompt": letter.pk})
    assert page.context["form"]["kind"].value() == "letter"


def test_the_prompt_page_filters_by_phase_and_shows_each_fit(alice_client):
    page = alice_client.get(reverse("journal:prompt-list"), {"phase": "reunion"})
    phases = {prompt.phase for prompt in page.context["builtin"]}
    assert phases == {"reunion", "any"}
    page = alice_client.get(reverse("journal:prompt-list"), {"phase": "separation"})
    assert "The first days" in page.text and "A long silence" in page.text
    assert "Unsent letter" in page.text
