"""Operations on an account that span several models."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.db import transaction
from django.http import HttpRequest

from .models import User
from .signals import log_security_event


@transaction.atomic
def account_delete(*, user: User, request: HttpRequest) -> None:
    """Delete `user` and everything that belongs to them, and sign them out everywhere.

    Foreign keys cascade through what they wrote (entries and their earlier versions,
    tags, drafts, the timeline, their own prompts), their email addresses, two-factor
    authenticators and session records. Three things hold no foreign key and are removed
    here: the sessions themselves, and the admin's change history about the account,
    which names objects by their text (for a user, the email address).
    """
    user_id = user.pk
    session_keys = _session_keys_of(user)
    # Signing out first ends the current session and logs the logout with the user's id.
    logout(request)
    _forget_admin_history(user)
    user.delete()
    _end_sessions(session_keys)
    transaction.on_commit(lambda: log_security_event("account_deleted", user_id))


def _session_keys_of(user: User) -> set[str]:
    """Every session signed in as `user` that the server can find.

    allauth.usersessions (when installed) records the key of each session a user signs in
    with. Sessions kept in the database are also decoded one by one, so a session it never
    recorded (made before it was installed, or by another login path) is found as well.
    With a cache-only session engine and without usersessions there is no list to read;
    such sessions stop working at once anyway, because Django checks each session against
    the user's password hash and the user is gone.
    """
    keys: set[str] = set()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        keys.update(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    if apps.is_installed("django.contrib.sessions"):
        from django.contrib.sessions.models import Session

        user_key = user._meta.pk.value_to_string(user)
        sessions = Session.objects.only("session_key", "session_data")
        for session in sessions.iterator(chunk_size=2000):
            if session.get_decoded().get(SESSION_KEY) == user_key:
                keys.add(session.session_key)
    return keys


def _end_sessions(session_keys: set[str]) -> None:
    # Through the session engine, so cached copies (cache and cached_db engines) go too.
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store_class().delete(key)
    if apps.is_installed("django.contrib.sessions"):
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=session_keys).delete()


def _forget_admin_history(user: User) -> None:
    """Remove the admin's log entries about the user and about objects of theirs that the
    admin can edit (email addresses, authenticators, sessions): each keeps the object's
    text, such as the address. Entries the user made as staff cascade with the user."""
    if not apps.is_installed("django.contrib.admin"):
        return
    from django.contrib import admin
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    targets = {User: [user.pk]}
    for relation in user._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or not admin.site.is_registered(model):
            continue
        owned = model._default_manager.filter(**{relation.field.name: user})
        targets[model] = list(owned.values_list("pk", flat=True))
    for model, pks in targets.items():
        if pks:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                object_id__in=[str(pk) for pk in pks],
            ).delete()
