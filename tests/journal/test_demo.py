"""The demo journal that screenshots and benchmarks use."""

import pytest
from django.core.management import call_command

from accounts.models import User
from journal.models import Entry, TimelineEvent
from tests.factories import make_demo_journal

pytestmark = pytest.mark.django_db


FIELDS = ("title", "body", "mood", "feelings", "stage", "kind", "tags_text", "prompt_text")


def content(user):
    entries = Entry.objects.filter(user=user).order_by("written_on")
    return [tuple(getattr(entry, name) for name in FIELDS) for entry in entries]


def test_the_same_seed_gives_the_same_journal():
    first = make_demo_journal("one@example.com", days=40, seed=7)
    second = make_demo_journal("two@example.com", days=40, seed=7)
    other = make_demo_journal("three@example.com", days=40, seed=8)
    assert content(first) == content(second) != content(other)


def test_a_demo_entry_looks_like_real_writing():
    user = make_demo_journal("demo@example.com", days=120, seed=1, gaps=0)
    entries = Entry.objects.filter(user=user)
    assert entries.count() == 120
    for entry in entries:
        assert 150 <= len(entry.body.split()) <= 800
        assert entry.body_html.startswith("<p>")
        assert entry.tag_names == sorted(tag.name for tag in entry.tags.all())
    assert entries.exclude(prompt=None).exists()
    assert TimelineEvent.objects.filter(user=user, kind="separation").exists()


def test_seed_demo_command_creates_several_users(capsys):
    call_command("seed_demo", "--users", "2", "--days", "30", "--email", "d@example.com")
    assert set(User.objects.values_list("email", flat=True)) == {"d@example.com", "d+1@example.com"}
    assert Entry.objects.count() == 60
    assert "done in" in capsys.readouterr().out
