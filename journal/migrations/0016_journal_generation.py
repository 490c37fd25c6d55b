"""Each row with sealed words notes the generation of the journal key that sealed it
(journal/sealed.py): a journal started afresh after a lost password leaves the rows of the
earlier key out of every page until they are deleted. Every existing row is of the first."""

from django.db import migrations, models

SEALED_MODELS = ("draft", "entry", "entryrevision", "prompt", "tag", "timelineevent")


class Migration(migrations.Migration):
    dependencies = [("journal", "0015_sealed_words")]

    operations = [
        migrations.AddField(
            model_name=model,
            name="sealed_with",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        )
        for model in SEALED_MODELS
    ]
