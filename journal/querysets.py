"""The querysets every journal model starts from: a user's rows (`for_user`, the only way
in to user data), and bulk writes that renew the figures cached for the journals they
touch (journal.figures). The models are in journal/models.py."""

from django.db import models, transaction

from .choices import PromptPerspective
from .figures import journal_changed, journal_changed_where
from .sealed import SealedQuerySet


def _current_generation(user) -> dict:
    """The filter that keeps a journal started afresh apart from the rows its earlier key
    locks; nothing to filter for a journal never started afresh (the first generation),
    so its queries stay on the indexes they were made for."""
    if user.journal_generation == 1:
        return {}
    return {"sealed_with": user.journal_generation}


class OwnedQuerySet(SealedQuerySet):
    """Rows that belong to one user. Every read of user data starts from `for_user`."""

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user, **_current_generation(user))

    def for_user_with_ids(self, user, ids):
        """The user's rows among `ids` (a page of them), found by their primary key. The
        owner's condition stays, written so that it cannot pick the owner's index: without
        statistics (ANALYZE), SQLite took that index and walked a whole journal to pick out
        20 ids (6 ms at 3,650 entries, against 0.1 ms by key)."""
        if not user.is_authenticated:
            return self.none()
        return self.alias(owner_unindexed=models.F("user_id") + 0).filter(
            pk__in=ids, owner_unindexed=user.pk, **_current_generation(user)
        )


class JournalQuerySet(SealedQuerySet):
    """Rows that make up a user's journal: every bulk write renews the version of the
    journals it touches (journal.figures), in the same transaction, so no write path
    leaves figures derived from the rows as they were."""

    def update(self, **kwargs) -> int:
        with transaction.atomic(using=self.db):
            journal_changed_where(self._owners())
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            journal_changed_where(self._owners())
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            journal_changed(*{obj.user_id for obj in objs})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            journal_changed(*{obj.user_id for obj in objs})
        return updated

    def _owners(self):
        return self.order_by().values("user_id")


class PromptQuerySet(JournalQuerySet):
    def for_user(self, user) -> "PromptQuerySet":
        """Built-in prompts (still in the library) and the user's own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(user__isnull=True, retired=False)
            | models.Q(user=user, **_current_generation(user))
        )

    def own(self, user) -> "PromptQuerySet":
        return OwnedQuerySet.for_user(self, user)

    def answerable(self, user) -> "PromptQuerySet":
        """The prompts an entry of the user's may answer: their own and every built-in
        one, retired ones included (an entry keeps the prompt it answered)."""
        return self.own(user) | self.filter(user__isnull=True)

    def builtin_values(self, *fields, **kwargs):
        """`values_list` of the built-in prompts (still in the library): their words are
        Mirror's, stored as they are, so they can be read without opening rows."""
        library = self.filter(user__isnull=True, retired=False)
        return models.QuerySet.values_list(library, *fields, **kwargs)

    def fitting(self, perspective: str) -> "PromptQuerySet":
        """Prompts for a runner, a chaser, or (unsure/both) every perspective."""
        if perspective in {PromptPerspective.RUNNER, PromptPerspective.CHASER}:
            return self.filter(perspective__in=[perspective, PromptPerspective.ANY])
        return self
