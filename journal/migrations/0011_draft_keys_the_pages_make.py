"""Every draft gets a key the pages make (models.DRAFT_KEY_PATTERN): autosave took any key
before, and a key with a `/` made the new-entry page fail for its user on every visit. A
draft being an entry's edit takes the entry's id; any other, a fresh key. No draft is
deleted: one that cannot take its entry's id (another draft has it) is offered on the
new-entry page instead."""

import re
import uuid

from django.db import migrations

# The pattern of journal.models at the time of writing (a migration keeps its own copy).
DRAFT_KEY = re.compile(r"\A([0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})\Z")


def rename_bad_keys(apps, schema_editor):
    Draft = apps.get_model("journal", "Draft")
    taken = set(Draft.objects.values_list("user_id", "key"))
    drafts = Draft.objects.only("id", "user_id", "key", "entry_id").order_by("id")
    for draft in [draft for draft in drafts if not DRAFT_KEY.match(draft.key)]:
        key = str(draft.entry_id) if draft.entry_id else ""
        if not key or (draft.user_id, key) in taken:
            key, draft.entry_id = uuid.uuid4().hex, None
        Draft.objects.filter(pk=draft.pk).update(key=key, entry_id=draft.entry_id)
        taken.add((draft.user_id, key))


class Migration(migrations.Migration):
    dependencies = [("journal", "0010_tag_unique_key")]

    operations = [migrations.RunPython(rename_bad_keys, migrations.RunPython.noop)]
