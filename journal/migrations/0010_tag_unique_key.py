"""A user's tags are unique by key (after 0009 filled it in), in its own transaction: on
PostgreSQL a table cannot be altered in the transaction that changed its rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0009_tag_key_and_repair")]

    operations = [
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("user", "key"), name="tag_unique_key_per_user"
            ),
        ),
    ]
