"""The signed-in home page: today's prompt, quick write, streak and "on this day"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from journal.models import Entry, Prompt
from journal.prompts import NO_REPEAT_DAYS, Situation, fitting_prompts, todays_prompt
from tests.factories import make_entry, make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def pick(user, day=DAY, perspective=None, another=0):
    situation = Situation(perspective=perspective or user.perspective)
    return todays_prompt(user, day, situation=situation, another=another)


# Today's prompt --------------------------------------------------------------------------


def test_todays_prompt_is_stable_within_a_day(alice):
    assert len({pick(alice).pk for _ in range(5)}) == 1


def test_todays_prompt_varies_across_days_and_users(alice):
    days = {pick(alice, DAY + dt.timedelta(days=n)).pk for n in range(30)}
    assert len(days) >= 20
    users = [make_user(f"u{n}@example.com") for n in range(20)]
    assert len({pick(user).pk for user in users}) >= 12


@pytest.mark.parametrize("perspective", ["runner", "chaser"])
def test_todays_prompt_fits_the_perspective(alice, perspective):
    for n in range(40):
        prompt = pick(alice, DAY + dt.timedelta(days=n), perspective=perspective)
        assert prompt.perspective in {perspective, "any"}


def test_unsure_users_get_prompts_of_every_perspective(alice):
    seen = {
        pick(alice, DAY + dt.timedelta(days=n), perspective="unsure").perspective for n in range(60)
    }
    assert seen == {"runner", "chaser", "any"}


def test_asking_for_another_prompt_gives_a_different_one(alice):
    first, second = pick(alice), pick(alice, another=1)
    assert first != second
    assert pick(alice, another=1) == second  # and that one is stable too


def test_prompts_answered_in_the_last_60_days_are_not_repeated(alice):
    fitting = fitting_prompts(alice, Situation(perspective="runner"))
    # Left unanswered: two prompts of each of five themes, on each side.
    remaining = set()
    for side in ("runner", "any"):
        themes = sorted({prompt.theme for prompt in fitting if prompt.perspective == side})[:5]
        for theme in themes:
            same = [p.pk for p in fitting if p.perspective == side and p.theme == theme]
            remaining.update(same[:2])
    answered = [prompt.pk for prompt in fitting if prompt.pk not in remaining]
    for n, pk in enumerate(answered):
        make_entry(alice, prompt_id=pk, written_on=DAY - dt.timedelta(days=1 + n % NO_REPEAT_DAYS))
    for n in range(20):
        assert pick(alice, DAY, perspective="runner", another=n).pk in remaining


def test_when_every_prompt_was_answered_they_come_round_again(alice):
    for prompt in fitting_prompts(alice, Situation(perspective="chaser")):
        make_entry(alice, prompt_id=prompt.pk, written_on=DAY - dt.timedelta(days=5))
    assert pick(alice, perspective="chaser") is not None


def test_an_answer_older_than_60_days_does_not_block_a_prompt(alice):
    prompt = pick(alice)
    make_entry(alice, prompt=prompt, written_on=DAY - dt.timedelta(days=NO_REPEAT_DAYS + 1))
    assert pick(alice) == prompt


def test_answering_todays_prompt_keeps_it_for_the_rest_of_the_day(alice):
    prompt = pick(alice)
    make_entry(alice, prompt=prompt, written_on=DAY)
    assert pick(alice) == prompt


def test_own_prompts_are_offered_only_to_their_owner(alice, bob):
    Prompt.objects.filter(user__isnull=True).update(retired=True)
    own = Prompt.objects.create(user=alice, text="Mine?", perspective="any")
    assert pick(alice) == own
    assert pick(bob) is None


# Streak and on this day --------------------------------------------------------------------


def days_back(user, *offsets, today=DAY):
    for offset in offsets:
        make_entry(user, written_on=today - dt.timedelta(days=offset))


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((), 0),
        ((0,), 1),
        ((0, 1, 2), 3),
        ((1, 2, 3), 3),  # not written today yet: the streak is still alive
        ((0, 0, 1), 2),  # two entries on one day count once
        ((0, 1, 3), 2),
        ((2, 3), 0),  # a day was missed
    ],
)
def test_streak(alice, offsets, expected):
    days_back(alice, *offsets)
    assert Entry.objects.for_user(alice).streak(DAY) == expected


def test_streak_crosses_month_and_year_ends(alice):
    new_year = dt.date(2026, 1, 1)
    days_back(alice, 0, 1, 2, 3, today=new_year)
    assert Entry.objects.for_user(alice).streak(new_year) == 4
    march = dt.date(2024, 3, 1)  # a leap year: 29 February in between
    days_back(alice, 0, 1, 2, today=march)
    assert Entry.objects.for_user(alice).streak(march) == 3


def test_streak_follows_the_users_time_zone(alice_client, alice, monkeypatch):
    # 23:30 UTC on 9 March is already 10 March in Tokyo.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC))
    make_entry(alice, written_on=dt.date(2026, 3, 10))
    make_entry(alice, written_on=dt.date(2026, 3, 9))
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    assert alice_client.get(reverse("home")).context["streak"] == 2
    alice.time_zone = "America/New_York"  # still 9 March: the 10th is in the future
    alice.save()
    assert alice_client.get(reverse("home")).context["streak"] == 1


def test_on_this_day_shows_the_same_day_of_earlier_months_and_years(alice):
    today = dt.date(2026, 3, 31)
    for day in [
        dt.date(2026, 1, 31),
        dt.date(2025, 3, 31),
        dt.date(2024, 12, 31),
        dt.date(2026, 3, 30),
        dt.date(2026, 3, 31),  # today itself is not "on this day"
        dt.date(2026, 2, 28),  # February has no 31st: nothing to show
    ]:
        make_entry(alice, written_on=day, title=str(day))
    found = [e.title for e in Entry.objects.for_user(alice).on_this_day(today).newest_first()]
    assert found == ["2026-01-31", "2025-03-31", "2024-12-31"]


def test_on_this_day_is_private(bob_client, alice, bob):
    make_entry(alice, title="Alice a year ago", written_on=bob.today().replace(year=2020))
    assert not bob_client.get(reverse("home")).context["on_this_day"]


# The page and quick write ----------------------------------------------------------------


def test_home_shows_prompt_streak_recent_and_quick_write(alice_client, alice):
    make_entry(alice, title="Yesterday's words", written_on=alice.today() - dt.timedelta(days=1))
    response = alice_client.get(reverse("home"))
    prompt = response.context["prompt"]
    assert escape(prompt.text) in response.text
    assert "1</strong> day in a row" in response.text
    assert "Yesterday&#x27;s words" in response.text
    assert 'name="body"' in response.text
    assert f'name="prompt" value="{prompt.pk}"' in response.text
    assert "?another=1" in response.text
    assert alice_client.get(reverse("home"), {"another": "1"}).context["prompt"] != prompt
    assert alice_client.get(reverse("home"), {"another": "junk"}).context["prompt"] == prompt


def test_newcomer_gets_a_prompt_for_the_perspective_chosen_at_signup(client):
    from tests.factories import PASSWORD

    client.post(
        reverse("account_signup"),
        {
            "email": "n@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "perspective": "runner",
        },
    )
    response = client.get(reverse("home"))
    assert response.context["prompt"].perspective in {"runner", "any"}
    assert not response.context["recent"]


def test_quick_write_saves_a_titleless_entry_answering_the_prompt(alice_client, alice):
    home = alice_client.get(reverse("home"))
    prompt = home.context["prompt"]
    response = alice_client.post(
        reverse("journal:entry-create"),
        {
            "prompt": prompt.pk,
            "written_on": alice.today().isoformat(),
            "kind": "reflection",
            "body": "A quick, honest answer.",
        },
    )
    entry = Entry.objects.get(user=alice)
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.title, entry.prompt, entry.prompt_text) == ("", prompt, prompt.text)
    page = alice_client.get(entry.get_absolute_url())
    assert escape(prompt.text) in page.text
    assert alice_client.get(reverse("home")).context["answered_today"]


def test_quick_write_with_nothing_written_keeps_the_prompt(alice_client, alice):
    prompt = alice_client.get(reverse("home")).context["prompt"]
    response = alice_client.post(
        reverse("journal:entry-create"),
        {
            "prompt": prompt.pk,
            "written_on": alice.today().isoformat(),
            "kind": "reflection",
            "body": "",
        },
    )
    assert response.status_code == 200
    assert "Write a few words before saving" in response.text
    assert escape(prompt.text) in response.text
    assert not Entry.objects.exists()


def test_new_entry_from_a_prompt_shows_it_and_presets_its_stage(alice_client):
    prompt = Prompt.objects.filter(user__isnull=True).exclude(stage="").first()
    response = alice_client.get(reverse("journal:entry-create"), {"prompt": prompt.pk})
    assert escape(prompt.text) in response.text
    assert response.context["form"].initial["stage"] == prompt.stage
    assert (
        alice_client.get(reverse("journal:entry-create"), {"prompt": "999999"}).status_code == 200
    )


def test_entries_filter_by_prompt_and_perspective(alice_client, alice):
    runner = Prompt.objects.filter(perspective="runner").first()
    chaser = Prompt.objects.filter(perspective="chaser").first()
    make_entry(alice, title="ran", prompt=runner)
    make_entry(alice, title="chased", prompt=chaser)
    make_entry(alice, title="free")

    def listed(**query):
        return [e.title for e in alice_client.get("/entries/", query).context["page"].object_list]

    assert listed(perspective="runner") == ["ran"]
    assert listed(prompt=chaser.pk) == ["chased"]
    assert sorted(listed()) == ["chased", "free", "ran"]
