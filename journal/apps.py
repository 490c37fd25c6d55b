from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_prompts, sender=self)
        post_migrate.connect(_search_text_trigger, sender=self)


def _sync_prompts(sender, using: str, plan=None, **kwargs) -> None:
    """After every migrate, bring the built-in prompts in line with the data file, so an
    edit of journal/data/prompts.yaml reaches the database on the next deploy."""
    from django.db import transaction

    from .prompts import load_builtin_prompts

    with transaction.atomic(using=using):
        load_builtin_prompts()


def _search_text_trigger(sender, using: str, plan=None, **kwargs) -> None:
    """After every migrate, the trigger that deletes an entry's search text when its words
    change (journal/triggers.py): on SQLite a migration that rebuilds the entry table drops
    it with the table."""
    from django.db import connections

    from . import triggers

    connection = connections[using]
    if "journal_searchtext" in connection.introspection.table_names():
        triggers.install(connection)
    else:  # migrated back before migration 0020
        triggers.remove(connection)
