"""`tags_text` holds the tag names one per line (they may hold spaces), so that lists of
entries show tags without reading them (Entry.tag_names). Rewrites every tagged entry's
copy, in name order as the signal writes it; the reverse puts back spaces."""

from itertools import groupby

from django.db import migrations

BATCH = 500


def _rewrite(apps, separator: str) -> None:
    Entry = apps.get_model("journal", "Entry")
    links = (
        Entry.tags.through.objects.order_by("entry_id", "tag__name")
        .values_list("entry_id", "tag__name")
        .iterator(chunk_size=2000)
    )
    changed = []
    for entry_id, rows in groupby(links, key=lambda row: row[0]):
        changed.append(Entry(pk=entry_id, tags_text=separator.join(name for _, name in rows)))
        if len(changed) >= BATCH:
            Entry.objects.bulk_update(changed, ["tags_text"])
            changed = []
    Entry.objects.bulk_update(changed, ["tags_text"])


def one_per_line(apps, schema_editor):
    _rewrite(apps, "\n")


def space_separated(apps, schema_editor):
    _rewrite(apps, " ")


class Migration(migrations.Migration):
    dependencies = [("journal", "0007_stored_search_vector")]

    operations = [migrations.RunPython(one_per_line, space_separated)]
