from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers


class UserTimezoneMiddleware:
    """Activate the signed-in user's time zone for the request, so that "today",
    default entry dates and displayed times follow where the user lives."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserLanguageMiddleware:
    """Speak the request's language: the signed-in user's own choice (`User.language`),
    else what the browser asks for (Accept-Language), else English. Answers say which
    language they are in, and that they vary with the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = user.language if user is not None and user.is_authenticated else ""
        language = chosen or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        if not chosen:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user are never kept in a browser or proxy cache, so the back
    button after logout on a shared computer shows nothing of the journal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        response = self.get_response(request)
        if was_signed_in:
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            if request.method == "POST" and request.path == reverse("account_logout"):
                # Logging out also clears what this browser kept: cached pages and any
                # locally kept draft text, even where the page's script did not run.
                response["Clear-Site-Data"] = '"cache", "storage"'
        return response
