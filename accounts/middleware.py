from django.utils import timezone


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


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user are never kept in a browser or proxy cache, so the back
    button after logout on a shared computer shows nothing of the journal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
