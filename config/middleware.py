from django.core.exceptions import SuspiciousOperation

NUL = "\x00"


class NulCharacter(SuspiciousOperation):
    """Answered 400 by Django's handler, and logged as django.security.NulCharacter."""


def _holds_nul(values) -> bool:
    return any(NUL in key or any(NUL in value for value in items) for key, items in values)


class RefuseNulMiddleware:
    """A NUL character in the address, the query string or a form field is refused (400)
    before any view reads it. PostgreSQL cannot store text holding one, nor compare with it
    ("A string literal cannot contain NUL"), so a lookup or a save with it is a 500. Django's
    form fields refuse it, but `request.GET.get` and `request.POST.get` do not, and no
    browser sends one while a person types: refusing it here covers every view at once.

    A cookie holding one (a quoted cookie may spell it `\\000`) is dropped rather than
    refused: the session cookie is looked up in the database, and a visitor whose browser
    kept such a cookie could otherwise never load a page again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _holds_nul(request.GET.lists()):
            raise NulCharacter("A NUL character in the address or the query string.")
        # Reading the form fields here parses the body once; views read the same QueryDict.
        if request.method == "POST" and _holds_nul(request.POST.lists()):
            raise NulCharacter("A NUL character in a form field.")
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)
