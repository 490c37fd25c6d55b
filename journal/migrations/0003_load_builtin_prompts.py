from django.db import migrations


def load(apps, schema_editor):
    from journal.prompts import load_builtin_prompts

    load_builtin_prompts(apps.get_model("journal", "Prompt"))


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_prompts")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
