"""The fields that hold what a person writes become sealed fields (journal/sealed.py): text
columns, whatever their length in words, sealed under the owner's journal key.

Here the columns are text (`m1.<generation>.<base64>`); migration 0019 made them bytes.
A migration cannot seal anything: it has no one's key. The words stay as they are until
their owner's next sign-in with a password seals the whole journal in one transaction
(journal/sealing_pass.py); `manage.py encryption_status` counts the accounts still
waiting. A revision gets its entry's owner, whose key seals its words.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import journal.sealed


def revisions_get_their_owner(apps, schema_editor):
    EntryRevision = apps.get_model("journal", "EntryRevision")
    Entry = apps.get_model("journal", "Entry")
    EntryRevision.objects.update(
        user=models.Subquery(
            Entry.objects.filter(pk=models.OuterRef("entry_id")).values("user_id")[:1]
        )
    )


def owner(**options) -> models.ForeignKey:
    """A revision's owner: its entry's."""
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        **options,
    )


sealed = journal.sealed
SEALED = [
    ("entryrevision", "title", sealed.SealedCharField(blank=True, max_length=200)),
    ("entryrevision", "body", sealed.SealedTextField()),
    ("entry", "title", sealed.SealedCharField(blank=True, max_length=200)),
    ("entry", "body", sealed.SealedTextField()),
    ("entry", "body_html", sealed.SealedTextField(editable=False)),
    ("entry", "excerpt", sealed.SealedCharField(blank=True, editable=False, max_length=241)),
    ("entry", "tags_text", sealed.SealedTextField(blank=True, editable=False)),
    ("entry", "prompt_text", sealed.SealedTextField(blank=True, editable=False)),
    ("draft", "title", sealed.SealedCharField(blank=True, max_length=400)),
    ("draft", "body", sealed.SealedTextField(blank=True)),
    ("draft", "fields", sealed.SealedJSONField(blank=True, default=dict)),
    ("prompt", "theme", sealed.SealedCharField(blank=True, max_length=40)),
    ("prompt", "text", sealed.SealedTextField(max_length=500)),
    ("tag", "name", sealed.SealedCharField(max_length=40)),
    ("timelineevent", "note", sealed.SealedTextField(blank=True)),
    ("timelineevent", "note_html", sealed.SealedTextField(blank=True, editable=False)),
]


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0014_drop_search_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="entryrevision", name="user", field=owner(null=True)),
        migrations.RunPython(revisions_get_their_owner, migrations.RunPython.noop),
        migrations.AlterField(model_name="entryrevision", name="user", field=owner()),
        # The columns are text here; migration 0019 makes them bytes, in a database made
        # from scratch as in one that held words before.
        *(
            migrations.SeparateDatabaseAndState(
                database_operations=[
                    migrations.AlterField(
                        model_name=model, name=name, field=models.TextField(blank=True)
                    )
                ],
                state_operations=[migrations.AlterField(model_name=model, name=name, field=field)],
            )
            for model, name, field in SEALED
        ),
    ]
