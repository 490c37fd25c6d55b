"""An entry remembers the key of the new-entry page's draft it was saved from, unique per
user: the same draft sent twice (a retried POST, two tabs, words written offline and sent
when the connection returns) makes one entry. Existing entries have none ("")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0016_journal_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="draft_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("draft_key", ""), _negated=True),
                fields=("user", "draft_key"),
                name="entry_unique_draft_key_per_user",
            ),
        ),
    ]
