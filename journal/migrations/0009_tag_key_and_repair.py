"""Tags follow one rule (journal.tags): a tag is one whatever the case it is typed in, so
each tag gets a `key` (its name case-folded), unique per user instead of the name.

Names an old import stored that the rule refuses (`../x`, `<script>`, `a"b`) are repaired
by journal.tags.repair_tag (`x`, `script`, `a b`), so that every entry can be saved in the
editor again; a tag that becomes another of the user's tags is merged into it, and a name
with nothing left (`//`) is removed. Names the rule allows are left as they are (the
lower-cased names of earlier versions too). Entries whose tag names changed get their
`tags_text` written again."""

from collections import defaultdict

from django.db import migrations, models

from journal.tags import TAG_KEY_MAX_LENGTH, normalize_tag, repair_tag, tag_key, tag_problem

BATCH = 500


def _fixed(name: str) -> str:
    normal = normalize_tag(name)
    return normal if normal and tag_problem(normal) is None else repair_tag(name)


def repair_and_key(apps, schema_editor):
    Tag = apps.get_model("journal", "Tag")
    Entry = apps.get_model("journal", "Entry")
    Link = Entry.tags.through
    by_key: dict[tuple, list] = defaultdict(list)
    touched: set = set()  # entries whose tag names change
    for tag in Tag.objects.order_by("user_id", "id").iterator(chunk_size=2000):
        fixed = _fixed(tag.name)
        if not fixed:
            touched.update(Link.objects.filter(tag_id=tag.pk).values_list("entry_id", flat=True))
            tag.delete()
            continue
        by_key[tag.user_id, tag_key(fixed)].append((tag, fixed))
    for (_, key), tags in by_key.items():
        # The tag kept is one whose name needs no repair, else the oldest.
        tags.sort(key=lambda pair: (pair[0].name != pair[1], pair[0].pk))
        (kept, fixed), merged = tags[0], tags[1:]
        for tag, _ in merged:
            linked = set(Link.objects.filter(tag_id=kept.pk).values_list("entry_id", flat=True))
            moved = set(Link.objects.filter(tag_id=tag.pk).values_list("entry_id", flat=True))
            Link.objects.bulk_create(
                [Link(entry_id=entry_id, tag_id=kept.pk) for entry_id in moved - linked],
                batch_size=BATCH,
            )
            touched.update(moved)
            tag.delete()
        if kept.name != fixed:
            touched.update(Link.objects.filter(tag_id=kept.pk).values_list("entry_id", flat=True))
        kept.name, kept.key = fixed, key
        kept.save(update_fields=["name", "key"])
    _rewrite_tags_text(Entry, Link, sorted(touched))


def _rewrite_tags_text(Entry, Link, entry_ids: list) -> None:
    for start in range(0, len(entry_ids), BATCH):
        batch = entry_ids[start : start + BATCH]
        names = defaultdict(list)
        links = Link.objects.filter(entry_id__in=batch).order_by("tag__key", "tag__name")
        for entry_id, name in links.values_list("entry_id", "tag__name"):
            names[entry_id].append(name)
        Entry.objects.bulk_update(
            [Entry(pk=pk, tags_text="\n".join(names[pk])) for pk in batch], ["tags_text"]
        )


class Migration(migrations.Migration):
    dependencies = [("journal", "0008_tags_text_one_per_line")]

    operations = [
        migrations.RemoveConstraint(model_name="tag", name="tag_unique_per_user"),
        migrations.AddField(
            model_name="tag",
            name="key",
            field=models.CharField(default="", editable=False, max_length=TAG_KEY_MAX_LENGTH),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(name="tag", options={"ordering": ["key"]}),
        migrations.RunPython(repair_and_key, migrations.RunPython.noop),
    ]
