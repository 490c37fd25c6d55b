"""The generation of the journal key each journal is sealed under now (journal/sealed.py):
the first, for every account so far."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_journal_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='journal_generation',
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
    ]
