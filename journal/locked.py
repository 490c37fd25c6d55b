"""What an earlier journal key still locks after a fresh start (accounts' "start an empty
journal"): rows sealed under a generation that is not the user's current one. No page
shows them (`OwnedQuerySet.for_user`); they are counted, and deleted on request."""

from django.db import transaction

from .models import Draft, Entry, Prompt, Tag, TimelineEvent

LOCKED_MODELS = {"entries": Entry, "events": TimelineEvent, "tags": Tag, "prompts": Prompt}


def locked_counts(user) -> dict[str, int]:
    """How many of each the earlier keys lock; empty when nothing is locked."""
    counts = {name: model.objects.locked(user).count() for name, model in LOCKED_MODELS.items()}
    return counts if any(counts.values()) else {}


@transaction.atomic
def delete_locked(user) -> None:
    """Delete every row an earlier key locks (an entry takes its versions with it)."""
    for model in (*LOCKED_MODELS.values(), Draft):
        # Read as ids only: their words open under no key this request holds.
        model.objects.locked(user).only("pk").delete()
