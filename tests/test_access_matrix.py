"""The access matrix: every page of the project, read from the URL resolver, tried by the
owner (alice), by another signed-in user (bob) and by an anonymous visitor.

A new page joins the matrix by itself. If it takes an id in its path, it must say here
which of alice's objects that id names (OBJECT_IDS); until it does, the matrix fails.

alice owns one of every kind of object, and every text field of hers holds a word that
starts with ALICEMARK. Whatever bob or an anonymous visitor receives — pages, redirects,
streamed Markdown, the files inside a zip — must hold none of those words, and alice's rows
must be exactly as they were after everything they tried.
"""

import copy
import difflib
import io
import re
import zipfile
from dataclasses import dataclass
from operator import attrgetter
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, make_user, sign_in
from tests.world import alices_things, bobs_things, snapshot, whole_database

pytestmark = pytest.mark.django_db

# The pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # with its namespace: "journal:entry-edit"
    route: str  # "entries/<uuid:pk>/edit/"
    kwargs: tuple[str, ...]  # the ids its path takes, in order

    def __str__(self) -> str:
        return self.name or self.route


def discover_routes(resolver: URLResolver | None = None, prefix: str = "", namespace=()):
    """Every URL pattern of the project, however deeply included."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            found += discover_routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespace, pattern.name)) if pattern.name else None
            kwargs = tuple(pattern.pattern.regex.groupindex)
            outer = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", prefix))
            found.append(Route(name, route, tuple(a or b for a, b in outer) + kwargs))
    return found


# Pages anyone may open. The matrix still checks that they show an anonymous visitor (and,
# signed in, bob) nothing of alice's; it only does not expect them to ask for a login.
PUBLIC = {
    "home": "signed out, what the app is; signed in, bob's own today page (checked below)",
    "healthz": "the load balancer's probe, no session",
    "readyz": "the load balancer's readiness probe, no session",
    # The installable app: the same for everyone, nothing of anyone's journal.
    "manifest": "the web app manifest",
    "service-worker": "it keeps only static files and the offline page",
    "offline": "shown offline; the same for everyone",
    "favicon": "a redirect to the app's icon",
    "javascript-catalog": "the scripts' words in a language, the same for everyone",
    "accounts:reminders-stop": "the signed token in a reminder's link is the credential",
    # allauth's pages for someone not signed in yet, or half-way through signing in:
    "account_login": "",
    "account_logout": "signing out is allowed to anyone, and harmless",
    "account_signup": "",
    "account_inactive": "",
    "account_email_verification_sent": "",
    "account_confirm_email": "the key in the link is the credential",
    "account_confirm_login_code": "",
    "account_reset_password": "",
    "account_reset_password_done": "",
    "account_reset_password_from_key": "the key in the link is the credential",
    "account_reset_password_from_key_done": "",
    "mfa_authenticate": "the second step of signing in",
    "mfa_login_webauthn": "signing in with a passkey",
}
# The Django admin (admin/…) is left out: only staff reach it, through Django's own
# permission checks and allauth's login. Static files are not URL patterns: WhiteNoise
# serves them before the resolver is asked.
EXCLUDED_PREFIXES = ("admin/",)

# Which of alice's objects fills each id of a page's path, as an attribute path on the
# `world.alice` namespace built by the `world` fixture below.
OBJECT_IDS = {
    "journal:entry-detail": {"pk": "entry.pk"},
    "journal:entry-edit": {"pk": "entry.pk"},
    "journal:entry-delete": {"pk": "entry.pk"},
    "journal:entry-history": {"pk": "entry.pk"},
    "journal:entry-markdown": {"pk": "entry.pk"},
    "journal:revision-restore": {"pk": "entry.pk", "version": "revision.version"},
    "journal:draft-discard": {"key": "draft.key"},
    "journal:event-edit": {"pk": "event.pk"},
    "journal:event-delete": {"pk": "event.pk"},
    "journal:prompt-edit": {"pk": "prompt.pk"},
    "journal:prompt-delete": {"pk": "prompt.pk"},
    "mfa_edit_webauthn": {"pk": "passkey.pk"},
    "mfa_remove_webauthn": {"pk": "passkey.pk"},
}

# Confirmation pages that ask "delete this?" without repeating the object's words.
CONFIRM_PAGES = {"journal:event-delete", "mfa_remove_webauthn"}

# Query strings that try to reach alice's data through a page's filters. `w` is the world.
PAGE_QUERIES = {
    "home": lambda w: ["", "?another=3", "?perspective=runner"],
    "journal:entry-list": lambda w: [
        "",
        "?q=lighthouse",
        "?q=lighthouse+ocean&page=2",
        f"?q={w.alice.entry.title}",
        "?tag=shared",
        "?tag=alicemarktag",
        f"?prompt={w.alice.prompt.pk}",
        "?kind=letter&stage=running/chasing&mood=2",
        "?perspective=runner",
        "?period=separation-1",
        "?from=2000-01-01&to=2100-12-31",
    ],
    "journal:entry-create": lambda w: [
        "",
        f"?prompt={w.alice.prompt.pk}",
        f"?draft={w.alice.draft.key}",
        f"?draft={w.alice.entry.pk}",
    ],
    "journal:prompt-list": lambda w: ["", "?theme=ALICEMARKtheme", "?perspective=runner"],
    "journal:calendar": lambda w: ["", "?year=2025", "?year=2025&shade=mood", "?year=2024"],
    "journal:export": lambda w: ["", "?format=md", "?period=separation-1"],
    "journal:export-md": lambda w: ["", "?from=2025-01-01&to=2025-12-31", "?period=separation-1"],
    "journal:export-zip": lambda w: ["", "?from=2025-01-01&to=2025-12-31", "?period=separation-1"],
    "journal:export-print": lambda w: ["", "?from=2025-01-01", "?period=separation-1"],
}

# Pages where bob must see his own words, so that "nothing of alice's" is not vacuous.
SHOWS_BOBS_OWN = {
    "home": "",
    "journal:entry-list": "?q=lighthouse",
    "journal:timeline": "",
    "journal:prompt-list": "",
    "journal:export-md": "",
    "journal:export-zip": "",
    "journal:export-print": "",
}

ROUTES = [route for route in discover_routes() if not route.route.startswith(EXCLUDED_PREFIXES)]
OBJECT_ROUTES = [r for r in ROUTES if r.kwargs and r.name not in PUBLIC]
PAGE_ROUTES = [r for r in ROUTES if not r.kwargs]
PRIVATE_ROUTES = [r for r in ROUTES if r.name not in PUBLIC]
PUBLIC_ROUTES = [r for r in ROUTES if r.name in PUBLIC]


def by_name(routes):
    return pytest.mark.parametrize("route", routes, ids=str)


# The cast and their things ---------------------------------------------------------------


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """alice's and bob's things, made once for the module as Django's setUpTestData does:
    an outer transaction holds them, every test runs in a savepoint inside it and is rolled
    back to them, and the outer rollback at the end removes them."""
    with django_db_blocker.unblock(), transaction.atomic():
        alice = make_user("alice@example.com", display_name="Alice")
        bob = make_user("bob@example.com", display_name="Bob")
        owned = alices_things(alice)
        rows = snapshot(alice)
        # Every word of alice's that nobody else may see: the markers in her rows, wherever
        # they ended up (titles, bodies, rendered HTML, tags, drafts, notes…), her address
        # and her entry's id.
        words = re.findall(r"alicemark\w*", str(rows), re.IGNORECASE)
        secrets = {word.lower() for word in words} | {alice.email, str(owned.entry.pk)}
        yield SimpleNamespace(
            alice=owned, alice_rows=rows, bob=bobs_things(bob), secrets=sorted(secrets)
        )
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, db) -> SimpleNamespace:
    # A copy per test, so that nothing a test does to these objects reaches the next one.
    return copy.deepcopy(_module_world)


# One middleware chain for every browser of the matrix, built once as in a running server
# (building it scans the static folders: most of the time of a new test client).
_HANDLER = ClientHandler(enforce_csrf_checks=False)


def browser() -> Client:
    client = Client()
    client.handler = _HANDLER
    return client


def signed_in(user) -> Client:
    """A browser of `user`, who has just typed their password again, so that allauth's
    re-authentication wall does not stop the matrix before a view's own ownership check."""
    client = browser()
    sign_in(client, user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, "re-authentication with the password failed"
    return client


# What a page reveals ---------------------------------------------------------------------


def received(response) -> str:
    """Everything a response carries, as text: a streamed body joined, a zip unpacked."""
    if response.streaming:
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"\n".join(
                archive.getinfo(name).filename.encode() + b"\n" + archive.read(name)
                for name in archive.namelist()
            )
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return f"{headers}\n{raw.decode('utf-8', 'replace')}"


def assert_reveals_nothing(response, world, *, sent: str) -> str:
    """None of alice's words in the response — apart from those the request itself sent,
    which a page may echo (a search box shows what was searched for)."""
    text = received(response).lower()
    sent = sent.lower()
    leaked = [s for s in world.secrets if s.lower() not in sent and s.lower() in text]
    assert not leaked, (
        f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
        f"?{response.request.get('QUERY_STRING', '')} answered {response.status_code} "
        f"with alice's {leaked}"
    )
    return text


def assert_bob_took_nothing(world, *, sent: str, where: str) -> None:
    """None of alice's words were copied into bob's rows (say, her prompt's text into his
    entry), apart from those he sent himself."""
    rows = str(snapshot(world.bob.user)).lower()
    taken = [s for s in world.secrets if s.lower() in rows and s.lower() not in sent.lower()]
    assert not taken, f"bob's rows took alice's {taken} through {where}"


# Parts of a page that differ between two requests for reasons of their own: the length,
# and fresh random tokens (CSRF, a new draft's key, a TOTP secret and its QR code, a
# passkey challenge) — long runs of letters, digits and base64 signs.
_PER_RESPONSE = [
    (re.compile(r"^Content-Length: \d+$", re.MULTILINE), "Content-Length: …"),
    (re.compile(r"[A-Za-z0-9+/_=-]{20,}"), "…"),
]


def page_as_seen(response) -> tuple[int, str]:
    text = received(response)
    for pattern, replacement in _PER_RESPONSE:
        text = pattern.sub(replacement, text)
    return response.status_code, text


def object_url(route: Route, world) -> str:
    """The page's URL for alice's object; fails clearly for a page the matrix does not know."""
    mapping = OBJECT_IDS.get(route.name)
    if mapping is None or set(mapping) != set(route.kwargs):
        pytest.fail(
            f"The page {route.route!r} ({route.name}) takes {list(route.kwargs)} but OBJECT_IDS "
            f"in {__name__} says {mapping}. Add which of alice's objects fills each id, so "
            "the page is tried by bob and by an anonymous visitor."
        )
    kwargs = {name: attrgetter(path)(world.alice) for name, path in mapping.items()}
    return reverse(route.name, kwargs=kwargs)


def public_url(route: Route) -> str:
    # The ids of public pages are credentials from an email link; any value will do.
    return reverse(route.name, kwargs=dict.fromkeys(route.kwargs, "x1"))


def url_of(route: Route, world) -> str:
    if not route.kwargs:
        return reverse(route.name)
    if route.name in PUBLIC:
        return public_url(route)
    return object_url(route, world)


EVIL_NEXT = "https://evil.example/phish"


def assert_stays_on_site(response) -> None:
    """A redirect goes to a page of this site, whatever `next` the request carried."""
    if response.status_code in {301, 302, 303, 307, 308}:
        target = urlsplit(response["Location"])
        assert target.netloc in {"", "testserver"}, (
            f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']} "
            f"redirects off the site, to {response['Location']}"
        )


def probe_data(world) -> dict:
    """A POST body that names alice's things in every field a view might look one up by,
    and is otherwise a valid entry, event, prompt — so that a view that trusted it would
    change or reveal something the matrix then sees."""
    alice = world.alice
    return {
        "pk": str(alice.entry.pk),
        "id": str(alice.entry.pk),
        "entry": str(alice.entry.pk),
        "prompt": str(alice.prompt.pk),
        "draft_key": alice.draft.key,
        "key": alice.draft.key,
        "version": "1",
        "title": "bob's probe",
        "body": "bob's probe text",
        "written_on": "2025-03-20",
        "kind": "reflection",
        "tags": "shared",
        "occurred_on": "2025-03-20",
        "note": "bob's probe note",
        "text": "bob's probe prompt?",
        "perspective": "any",
        "email": alice.user.email,
        "action_remove": "",
        "sessions": "all",
    }


def _import_archive(world) -> tuple[io.BytesIO, str]:
    """An archive in the export's format that claims alice's entry by its id."""
    text = (
        f"---\nid: {world.alice.entry.pk}\ndate: 2025-03-14\ntitle: bob's import\n---\n"
        "bob's own words\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("entries/2025/2025-03-14-bobs-import.md", text)
    buffer.seek(0)
    buffer.name = "journal.zip"
    return buffer, text


def post_data(route: Route, world) -> tuple[dict, str]:
    data = probe_data(world)
    sent = " ".join(data.values())
    if route.name == "journal:import":
        data["archive"], text = _import_archive(world)
        sent += text
    return data, sent


# The matrix ------------------------------------------------------------------------------


def test_every_page_with_an_id_is_in_the_matrix():
    problems = [
        f"{route.route!r} ({route.name}) takes {list(route.kwargs)}; "
        f"OBJECT_IDS says {OBJECT_IDS.get(route.name)}"
        for route in OBJECT_ROUTES
        if set(OBJECT_IDS.get(route.name, ())) != set(route.kwargs)
    ]
    unnamed = [route.route for route in ROUTES if route.name is None]
    known = {route.name for route in ROUTES}
    stale = sorted((set(OBJECT_IDS) | set(PUBLIC)) - known)
    assert not problems, "Pages whose ids the matrix cannot fill:\n" + "\n".join(problems)
    assert not unnamed, f"Name these URL patterns so the matrix can build them: {unnamed}"
    assert not stale, f"No such page any more; remove from OBJECT_IDS / PUBLIC: {stale}"


def test_the_matrix_covers_the_pages_it_should():
    names = {route.name for route in ROUTES}
    for expected in ("journal:entry-edit", "journal:export-zip", "accounts:profile", "home"):
        assert expected in names
    assert len(OBJECT_ROUTES) >= 11
    assert len(PRIVATE_ROUTES) >= 40


def test_alice_owns_one_of_everything_a_user_can_own(world):
    """A new kind of user data joins the matrix through `_alices_things`."""
    # Rows that only exist while signing in or after an email link: no page lists them.
    transient = {"account.EmailConfirmation", "usersessions.UserSession", "admin.LogEntry"}
    # auth's own groups and permissions are not used by Mirror.
    transient |= {"accounts.User_groups", "accounts.User_user_permissions"}
    empty = [label for label, rows in snapshot(world.alice.user).items() if not rows]
    missing = sorted(set(empty) - transient)
    assert not missing, f"alice has none of {missing}: add one to _alices_things"


@by_name(OBJECT_ROUTES)
def test_other_user_gets_nothing_of_alices_object(route, world):
    url = object_url(route, world)
    before = world.alice_rows
    bob = signed_in(world.bob.user)
    data, sent = post_data(route, world)
    for response in (bob.get(url), bob.post(url, data)):
        assert response.status_code in {301, 302, 303, 403, 404, 405}, (
            f"bob's {response.request['REQUEST_METHOD']} {url} answered {response.status_code}"
        )
        assert_reveals_nothing(response, world, sent=f"{url} {sent}")
        assert_stays_on_site(response)
        if response.status_code in {301, 302, 303}:
            # A redirect may only go somewhere of bob's own, never to alice's object.
            assert urlsplit(response["Location"]).path != url
    assert snapshot(world.alice.user) == before, f"bob changed alice's data through {url}"
    assert_bob_took_nothing(world, sent=sent, where=url)


@by_name(PRIVATE_ROUTES)
def test_anonymous_visitor_is_sent_to_log_in(route, world):
    url = url_of(route, world)
    before = whole_database()
    login = reverse("account_login")
    data, sent = post_data(route, world)
    for method in ("get", "post"):
        client = browser()
        response = client.post(url, data) if method == "post" else client.get(url)
        assert_reveals_nothing(response, world, sent=f"{url} {sent}")
        assert_stays_on_site(response)
        if response.status_code == 302:
            target = urlsplit(response["Location"])
            assert target.path == login, f"anonymous {method.upper()} {url} → {target.path}"
            assert "next=" in target.query
        else:
            # JSON endpoints answer 401 (the editor keeps the text and asks to sign in);
            # a wrong method is refused before anything is looked up.
            assert response.status_code in {401, 405}, (
                f"anonymous {method.upper()} {url} answered {response.status_code}"
            )
    assert whole_database() == before, f"an anonymous visitor changed data through {url}"


@by_name(PUBLIC_ROUTES)
def test_public_page_shows_an_anonymous_visitor_nothing_of_alices(route, world):
    url = url_of(route, world)
    before = world.alice_rows
    response = browser().get(url)
    assert response.status_code < 500
    assert_reveals_nothing(response, world, sent=url)
    assert snapshot(world.alice.user) == before


@by_name(PAGE_ROUTES)
def test_page_without_ids_shows_bob_nothing_of_alices(route, world):
    bob = signed_in(world.bob.user)
    base = reverse(route.name)
    before = world.alice_rows
    queries = PAGE_QUERIES.get(route.name, lambda w: [""])(world)
    for query in queries:
        response = bob.get(base + query)
        text = assert_reveals_nothing(response, world, sent=base + query)
        if route.name in SHOWS_BOBS_OWN and SHOWS_BOBS_OWN[route.name] == query:
            assert response.status_code == 200
            assert "bobmark" in text, f"{base}{query} showed bob nothing of his own either"
    data, sent = post_data(route, world)
    response = bob.post(base, data)
    assert_reveals_nothing(response, world, sent=f"{base} {sent}")
    assert_stays_on_site(response)
    assert snapshot(world.alice.user) == before, f"bob changed alice's data through {base}"
    assert_bob_took_nothing(world, sent=sent, where=base)


@by_name(PAGE_ROUTES)
def test_page_is_the_same_for_bob_with_or_without_alice(route, world):
    """Nor anything derived from alice's data — a count, a day shaded on the calendar, a
    period of her timeline: every page bob sees is the same once alice is gone."""
    bob = signed_in(world.bob.user)
    urls = [reverse(route.name) + q for q in PAGE_QUERIES.get(route.name, lambda w: [""])(world)]
    with_alice = [page_as_seen(bob.get(url)) for url in urls]
    world.alice.user.delete()
    without_alice = [page_as_seen(bob.get(url)) for url in urls]
    for url, before, after in zip(urls, with_alice, without_alice, strict=True):
        changes = "\n".join(
            difflib.unified_diff(before[1].splitlines(), after[1].splitlines(), lineterm="", n=0)
        )
        assert before == after, f"{url} is not the same for bob once alice is gone:\n{changes}"


@by_name(OBJECT_ROUTES)
def test_owner_reaches_her_own_object(route, world):
    """The other side of the matrix: the same URLs work for alice, so a 404 for bob means
    "not yours", not "broken"."""
    url = object_url(route, world)
    alice = signed_in(world.alice.user)
    response = alice.get(url)
    if response.status_code == 405:  # a POST-only action: it does its work and redirects
        response = alice.post(url)
        assert response.status_code == 302, f"alice's POST {url} → {response.status_code}"
        return
    assert response.status_code == 200, f"alice's GET {url} → {response.status_code}"
    if route.name not in CONFIRM_PAGES:
        assert "alicemark" in received(response).lower(), f"{url} showed alice nothing of hers"


# Known bugs, kept visible: each test fails until the bug is fixed, then XPASS (strict)
# tells whoever fixed it to remove the line.
OPEN_REDIRECTS: dict[str, str] = {}


@pytest.mark.parametrize(
    "route",
    [
        pytest.param(
            route,
            id=str(route),
            marks=[pytest.mark.xfail(strict=True, reason=OPEN_REDIRECTS[route.name])]
            if route.name in OPEN_REDIRECTS
            else [],
        )
        for route in ROUTES
    ],
)
def test_no_page_redirects_off_the_site(route, world):
    """Whatever `next` a request carries, by GET or POST, signed in or not."""
    url = url_of(route, world)
    data, _ = post_data(route, world)
    data["next"] = EVIL_NEXT
    bob = browser()
    sign_in(bob, world.bob.user)
    for client in (bob, browser()):
        assert_stays_on_site(client.get(url, {"next": EVIL_NEXT}))
        assert_stays_on_site(client.post(url, data))


# CSRF and safe GETs ----------------------------------------------------------------------

_CSRF_HANDLER = ClientHandler(enforce_csrf_checks=True)
# Pages a mail client posts to without a CSRF token. Their credential is in the path, so a
# forged form, without it, is refused all the same (and changes nothing).
CSRF_EXEMPT = {
    "accounts:reminders-stop": "RFC 8058: the one-click stop in a reminder's headers",
}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_post_without_a_csrf_token_is_refused(route, world):
    """The owner's own browser, but a forged form: 403 everywhere, and nothing changes."""
    client = Client()
    client.handler = _CSRF_HANDLER
    sign_in(client, world.alice.user)
    url = url_of(route, world)
    data, _ = post_data(route, world)
    before = whole_database()
    response = client.post(url, data)
    refused = 404 if route.name in CSRF_EXEMPT else 403
    assert response.status_code == refused, (
        f"POST {url} without a CSRF token → {response.status_code}"
    )
    assert whole_database() == before, f"POST {url} without a CSRF token changed the database"


# alice's passkey in this fixture is not a real credential, so allauth cannot start a
# WebAuthn ceremony with it on these two pages; tests/browser/test_two_factor.py covers them
# with a real (virtual) authenticator.
FAKE_PASSKEY_PAGES = {"mfa_add_webauthn", "mfa_reauthenticate_webauthn"}


# allauth's two-factor set-up keeps the secret it shows in the session only, which
# whole_database() leaves out.
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in FAKE_PASSKEY_PAGES], ids=str)
def test_no_get_changes_anything(route, world):
    client = signed_in(world.alice.user)
    url = url_of(route, world)
    before = whole_database()
    client.get(url)
    assert whole_database() == before, f"GET {url} changed the database"
