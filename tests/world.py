"""The world of the access matrix (tests/test_access_matrix.py): alice owns one of every
kind of object a user can own, each text field of hers holding a word that starts with
ALICEMARK; bob owns a few of his own. `snapshot` and `whole_database` read every row, so a
test can say that nothing of alice's changed."""

import datetime as dt
from functools import cache
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Reminder, ReminderSent
from journal.models import (
    Draft,
    EntryRevision,
    EventKind,
    Initiator,
    Kind,
    Prompt,
    PromptPerspective,
    Stage,
    TimelineEvent,
)
from tests.factories import make_entry


@cache
def _user_paths() -> dict:
    """For every model whose rows belong to a user, the lookup from its rows to that user."""
    user_model = get_user_model()
    paths = {user_model: "pk"}
    for model in apps.get_models(include_auto_created=True):
        if model is user_model:
            continue
        relations = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
        direct = [f.name for f in relations if f.related_model is user_model]
        if direct:
            paths[model] = direct[0]
            continue
        for field in relations:
            up = [
                f.name
                for f in field.related_model._meta.concrete_fields
                if (f.many_to_one or f.one_to_one) and f.related_model is user_model
            ]
            if up:
                paths[model] = f"{field.name}__{up[0]}"
                break
    return paths


def snapshot(user) -> dict:
    """Every row that belongs to `user`, in every table."""
    return {
        model._meta.label: list(
            model._base_manager.filter(**{path: user.pk}).order_by("pk").values()
        )
        for model, path in _user_paths().items()
    }


def whole_database() -> dict:
    """Every row of every table but the sessions (an anonymous visit may start one)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label != "sessions.Session"
    }


def bobs_things(bob) -> SimpleNamespace:
    TimelineEvent.objects.create(
        user=bob, kind=EventKind.MEETING, occurred_on=dt.date(2024, 5, 1), note="BOBMARKmet"
    )
    TimelineEvent.objects.create(
        user=bob,
        kind=EventKind.SEPARATION,
        initiator=Initiator.THEM,
        occurred_on=dt.date(2025, 2, 1),
        note="BOBMARKnote",
    )
    prompt = Prompt.objects.create(user=bob, text="BOBMARKprompt: what did you notice?")
    entry = make_entry(
        bob,
        title="BOBMARKtitle",
        body="BOBMARKbody by the lighthouse and the ocean",
        tags=["shared"],
        written_on=dt.date(2025, 3, 15),
        kind=Kind.LETTER,
        mood=2,
    )
    return SimpleNamespace(user=bob, entry=entry, prompt=prompt)


def alices_things(alice) -> SimpleNamespace:
    alice.display_name = "ALICEMARKname"
    alice.save()
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    TimelineEvent.objects.create(
        user=alice,
        kind=EventKind.MEETING,
        occurred_on=dt.date(2024, 1, 1),
        note="ALICEMARKmeeting at the lighthouse",
    )
    event = TimelineEvent.objects.create(
        user=alice,
        kind=EventKind.SEPARATION,
        initiator=Initiator.ME,
        occurred_on=dt.date(2025, 3, 1),
        note="ALICEMARKnote: *I* left, by the lighthouse",
    )
    prompt = Prompt.objects.create(
        user=alice,
        perspective=PromptPerspective.RUNNER,
        stage=Stage.RUNNING_CHASING,
        theme="ALICEMARKtheme",
        text="ALICEMARKprompt: what were you afraid of at the lighthouse?",
    )
    entry = make_entry(
        alice,
        title="ALICEMARKtitle",
        body="ALICEMARKbody: the lighthouse and the ocean, and **ALICEMARKbold**",
        tags=["shared", "alicemarktag"],
        written_on=dt.date(2025, 3, 14),
        kind=Kind.LETTER,
        mood=2,
        feelings=["fear", "longing"],
        stage=Stage.RUNNING_CHASING,
        prompt=prompt,
    )
    revision = EntryRevision.objects.create(
        entry=entry,
        user=alice,
        title="ALICEMARKrevisiontitle",
        body="ALICEMARKrevisionbody at the lighthouse",
        version=1,
        saved_at=timezone.now() - dt.timedelta(days=1),
    )
    entry.version = 2
    entry.save()
    draft = Draft.objects.create(
        user=alice,
        key="ALICEMARKdraftkey",
        title="ALICEMARKdrafttitle",
        body="ALICEMARKdraftbody by the lighthouse",
        fields={"kind": "dream", "tags": "alicemarktag"},
    )
    Draft.objects.create(
        user=alice,
        key=str(entry.pk),
        entry=entry,
        title="ALICEMARKeditdrafttitle",
        body="ALICEMARKeditdraftbody",
        base_version=2,
    )
    # Her reminder: its words are the one text stored readable (the worker sends them).
    Reminder.objects.create(user=alice, enabled=True, message="ALICEMARKreminder")
    ReminderSent.objects.create(user=alice, day=dt.date(2025, 3, 14))
    passkey = Authenticator.objects.create(
        user=alice,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "ALICEMARKpasskey", "credential": {}},
    )
    return SimpleNamespace(
        user=alice,
        entry=entry,
        revision=revision,
        draft=draft,
        event=event,
        prompt=prompt,
        passkey=passkey,
    )
