from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import reminders as reminder_mail
from . import services
from .forms import (
    AccountDeleteForm,
    LockedJournalDeleteForm,
    ProfileForm,
    RecoveryKeyForm,
    ReminderForm,
    StartEmptyForm,
    UnlockForm,
)
from .journal_keys import current_key, journal_key_rewrap, recovery_key_renew
from .models import Reminder
from .signals import log_security_event
from .unlock import (
    RECOVERY_UNSAVED,
    keep_recovery_to_show,
    start_afresh,
    take_recovery_to_show,
    unlock,
)


def _confirmed(request: HttpRequest, form_class, template: str, action, **context) -> HttpResponse:
    """A page whose action asks for the password again: `action(form)` once it is given,
    else the page (`context` values are called with the user)."""
    form, limited = _password_form(request, form_class)
    if limited:
        return limited
    if form.is_bound and form.is_valid():
        return action(form)
    values = {name: value(request.user) for name, value in context.items()}
    return render(request, template, {"form": form, **values})


def _password_form(request: HttpRequest, form_class):
    """A form that asks for the password again, bound on POST, and the rate limit's answer
    when a POST goes past it: the same limit as allauth's own password re-entry, so no
    such form can be used to guess the password of a session left open."""
    if request.method != "POST":
        return form_class(user=request.user), None
    limited = consume_or_429(request, action="reauthenticate", user=request.user)
    return form_class(request.POST, user=request.user), limited


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """The gentle daily reminder, opt-in: its time in the user's day, its days, its words."""
    reminder = Reminder.objects.filter(user=request.user).first() or Reminder(user=request.user)
    form = ReminderForm(request.POST or None, instance=reminder)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.enabled:
            # Translators: a time of day in Django's date format letters ("H:i" is 21:30).
            at = time_format(form.instance.time, _("H:i"))
            messages.success(
                request, _("Your reminder is on, at %(time)s your time.") % {"time": at}
            )
        else:
            messages.success(request, _("Reminders are off."))
        return redirect("accounts:reminders")
    return render(request, "accounts/reminders.html", {"form": form})


# RFC 8058's one-click stop: the mail client posts `List-Unsubscribe=One-Click` with no
# CSRF token. The signed token in the path is the only credential, and all it can do is
# turn one person's reminders off. A GET only asks (link checkers open links).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop(request: HttpRequest, token: str) -> HttpResponse:
    user_id = reminder_mail.user_id_from_stop_token(token)
    context = {"valid": user_id is not None, "days": reminder_mail.STOP_LINK_DAYS}
    if user_id is None:
        return render(request, "accounts/reminders_stop.html", context, status=404)
    if request.method == "POST":
        Reminder.objects.filter(user_id=user_id).update(enabled=False)
        context["stopped"] = True
    return render(request, "accounts/reminders_stop.html", context)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form, limited = _password_form(request, AccountDeleteForm)
    if limited:
        return limited
    if form.is_bound:
        if form.is_valid():
            services.account_delete(user=request.user, request=request)
            messages.success(request, _("Your account and everything in it are deleted."))
            response = redirect("home")
            # Drafts this browser kept (localStorage) and cached pages go too. Cookies are
            # left alone: the session is already ended, and the message above rides in the new one.
            response["Clear-Site-Data"] = '"cache", "storage"'
            return response
        log_security_event("account_delete_refused", request.user.pk)
    user = request.user
    counts = {
        "entries": user.entries.count(),
        "events": user.timeline_events.count(),
    }
    return render(request, "accounts/delete.html", {"form": form, "counts": counts})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def recovery_key(request: HttpRequest) -> HttpResponse:
    """The recovery key: shown once when it is made (after sign-up, a first sign-in, or on
    request here with the password), and noted as kept when the user says so."""
    user = request.user
    stored = current_key(user)
    if request.method == "POST" and "saved" in request.POST:
        if stored is not None and stored.recovery_saved_at is None:
            stored.recovery_saved_at = timezone.now()
            stored.save(update_fields=["recovery_saved_at"])
        take_recovery_to_show(request)
        request.session.pop(RECOVERY_UNSAVED, None)
        messages.success(request, _("Thank you. Keep your recovery key somewhere safe."))
        return redirect("home")
    form = RecoveryKeyForm(request.POST or None, user=user)
    opened = request.journal_key
    if request.method == "POST":
        limited = consume_or_429(request, action="reauthenticate", user=user)
        if limited:
            return limited
        if form.is_valid():
            if opened is None or stored is None:
                form.add_error(
                    None,
                    _(
                        "Your journal is locked in this session, so no new key can be made "
                        "for it. Unlock it first, then come back here."
                    ),
                )
            else:
                text = recovery_key_renew(user=user, opened=opened)
                keep_recovery_to_show(request, text, user_id=user.pk)
                request.session[RECOVERY_UNSAVED] = True
                log_security_event("recovery_key_renewed", user.pk)
                return redirect("accounts:recovery-key")
    shown = take_recovery_to_show(request)  # shown once
    context = {
        "form": form,
        "recovery_key": shown,
        "key_file": _recovery_key_file(user, shown) if shown else "",
        "saved_at": stored.recovery_saved_at if stored else None,
        "locked": opened is None and stored is not None,
        "has_key": stored is not None,
    }
    return render(request, "accounts/recovery_key.html", context)


def _recovery_key_file(user, key: str) -> str:
    """The words of the recovery key's text file: plain text, which the page's link
    percent-encodes whole (never HTML)."""
    heading = _("Mirror recovery key for %(email)s") % {"email": user.email}
    note = _(
        "Keep it somewhere safe. With it, a journal can be opened again after a forgotten password."
    )
    return f"{heading}\n\n{key}\n\n{note}\n"


@sensitive_post_parameters("password", "recovery_key")
@login_required
@require_http_methods(["GET", "POST"])
def journal_unlock(request: HttpRequest) -> HttpResponse:
    """A locked journal opened again: by the password, or by the recovery key after a
    password reset (the key is then wrapped under the new password)."""
    user = request.user
    if request.journal_key is not None or current_key(user) is None:
        return redirect("home")
    form, limited = _password_form(request, UnlockForm)
    if limited:
        return limited
    if form.is_bound:
        if form.is_valid():
            if form.recovered:
                journal_key_rewrap(
                    user=user, opened=form.opened, password=form.cleaned_data["password"]
                )
                log_security_event("journal_recovered", user.pk)
            unlock(request, form.opened, user_id=user.pk)
            messages.success(request, _("Your journal is open again."))
            target = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("home")
        log_security_event("journal_unlock_refused", user.pk)
    return render(request, "accounts/unlock.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def journal_start_empty(request: HttpRequest) -> HttpResponse:
    """Without the recovery key, a locked journal cannot be opened by anyone: the user may
    start an empty one under a new key (a new generation). The earlier entries stay,
    locked and out of every page, until they are deleted (`locked_entries`)."""
    user = request.user
    if request.journal_key is not None or current_key(user) is None:
        return redirect("home")

    def start(form: StartEmptyForm) -> HttpResponse:
        start_afresh(request, user, form.cleaned_data["password"])
        log_security_event("journal_started_afresh", user.pk)
        messages.success(request, _("Your new journal is ready. Keep its recovery key."))
        return redirect("accounts:recovery-key")

    return _confirmed(request, StartEmptyForm, "accounts/start_empty.html", start)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def locked_entries(request: HttpRequest) -> HttpResponse:
    """What an earlier journal key still locks (after a fresh start), and its deletion."""
    from journal.locked import delete_locked, locked_counts

    user = request.user

    def delete(form: LockedJournalDeleteForm) -> HttpResponse:
        delete_locked(user)
        log_security_event("locked_entries_deleted", user.pk)
        messages.success(request, _("Your locked entries are deleted."))
        return redirect("accounts:locked-entries")

    template = "accounts/locked_entries.html"
    return _confirmed(request, LockedJournalDeleteForm, template, delete, counts=locked_counts)
