"""Migration 0013 gives every timeline event, tag and prompt a `uid` of its own."""

import datetime as dt
import importlib

from django.apps import apps

from journal.models import Prompt, Tag, TimelineEvent

migration = importlib.import_module("journal.migrations.0013_row_uids")


def test_each_row_gets_a_uid_of_its_own(alice):
    Tag.objects.create(user=alice, name="sea")
    Tag.objects.create(user=alice, name="night")
    TimelineEvent.objects.create(user=alice, kind="meeting", occurred_on=dt.date(2024, 1, 1))
    Prompt.objects.create(user=alice, text="What did you notice?")
    before = {m: set(m.objects.values_list("uid", flat=True)) for m in (Tag, TimelineEvent, Prompt)}
    migration.give_each_row_its_uid(apps, None)
    for model in (Tag, TimelineEvent, Prompt):
        uids = list(model.objects.values_list("uid", flat=True))
        assert None not in uids and len(set(uids)) == len(uids)
        assert set(uids).isdisjoint(before[model])  # new values, one per row
