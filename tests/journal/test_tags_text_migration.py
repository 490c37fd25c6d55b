"""Migration 0008 rewrites each tagged entry's `tags_text` one name per line, so that tag
names holding spaces come back whole in lists (Entry.tag_names)."""

import importlib

from django.apps import apps

from journal.models import Entry
from tests.factories import make_entry

migration = importlib.import_module("journal.migrations.0008_tags_text_one_per_line")


def test_space_separated_copies_become_one_name_per_line(alice):
    entry = make_entry(alice, tags=["night sky", "sea"])
    untagged = make_entry(alice)
    Entry.objects.filter(pk=entry.pk).update(tags_text="night sky sea")  # as before 0008
    migration.one_per_line(apps, None)
    entry.refresh_from_db()
    untagged.refresh_from_db()
    assert entry.tags_text == "night sky\nsea"
    assert entry.tag_names == ["night sky", "sea"]
    assert untagged.tag_names == []
    migration.space_separated(apps, None)
    entry.refresh_from_db()
    assert entry.tags_text == "night sky sea"
