from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_prompts, sender=self)


def _sync_prompts(sender, using: str, plan=None, **kwargs) -> None:
    """After every migrate, bring the built-in prompts in line with the data file, so an
    edit of journal/data/prompts.yaml reaches the database on the next deploy."""
    from django.db import transaction

    from .prompts import load_builtin_prompts

    with transaction.atomic(using=using):
        load_builtin_prompts()
