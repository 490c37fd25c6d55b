from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import services
from .forms import AccountDeleteForm, ProfileForm
from .signals import log_security_event


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = AccountDeleteForm(data, user=request.user)
    if request.method == "POST":
        # The same limit as allauth's own password re-entry, so the form cannot be used to
        # guess the password of a session left open.
        limited = consume_or_429(request, action="reauthenticate", user=request.user)
        if limited:
            return limited
        if form.is_valid():
            services.account_delete(user=request.user, request=request)
            messages.success(request, "Your account and everything in it are deleted.")
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
