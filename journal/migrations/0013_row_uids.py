"""Every timeline event, tag and prompt gets a `uid`: its identity in what seals its words
(journal/sealing.py), known before the row is first written. Added in three steps, so that
each existing row gets a value of its own (a default alone would give them all one)."""

import uuid

from django.db import migrations, models

MODELS = ("prompt", "tag", "timelineevent")


def give_each_row_its_uid(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("journal", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.uid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uid"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("journal", "0012_prompt_fit")]

    operations = [
        *(
            migrations.AddField(
                model_name=name, name="uid", field=models.UUIDField(null=True, editable=False)
            )
            for name in MODELS
        ),
        migrations.RunPython(give_each_row_its_uid, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=name,
                name="uid",
                field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
            )
            for name in MODELS
        ),
    ]
