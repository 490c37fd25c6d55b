"""Each entry's words as a search reads them, sealed in one value (models.SearchText), and
the trigger that deletes it when the entry's words change (journal/triggers.py). Existing
entries have none yet: their first search makes them (no migration holds a journal key)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import journal.sealed
from journal import triggers


def install_trigger(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove_trigger(apps, schema_editor):
    triggers.remove(schema_editor.connection)


SEARCH_TEXT = migrations.CreateModel(
    name="SearchText",
    fields=[
        ("sealed_with", models.PositiveSmallIntegerField(default=1, editable=False)),
        (
            "entry",
            models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="search_text",
                serialize=False,
                to="journal.entry",
            ),
        ),
        ("folded_by", models.PositiveSmallIntegerField()),
        ("text", journal.sealed.SealedTextField()),
        (
            "user",
            models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ],
    options={"abstract": False},
)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("journal", "0019_sealed_words_as_bytes"),
    ]
    operations = [SEARCH_TEXT, migrations.RunPython(install_trigger, remove_trigger)]
