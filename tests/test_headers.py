"""Security headers on every page, caching rules for journal pages, and a clean
`check --deploy` for the production environment the README documents."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_entry

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def assert_security_headers(response) -> None:
    policy = csp(response)
    for name, value in EXPECTED_CSP.items():
        assert policy[name] == value, (name, policy.get(name))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


SIGNED_OUT_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
def test_public_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_security_headers(response)


def signed_in_pages(entry) -> list[str]:
    return [
        "/",
        reverse("journal:entry-list"),
        reverse("journal:entry-list") + "?q=morning",
        reverse("journal:entry-create"),
        entry.get_absolute_url(),
        reverse("journal:entry-edit", args=[entry.pk]),
        reverse("journal:entry-history", args=[entry.pk]),
        reverse("journal:timeline"),
        reverse("journal:prompt-list"),
        reverse("journal:calendar"),
        reverse("journal:export"),
        reverse("journal:export-print"),
        reverse("accounts:profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("usersessions_list"),
    ]


def test_journal_pages_carry_the_headers_and_are_never_cached(alice_client, alice):
    entry = make_entry(alice, title="morning")
    for path in signed_in_pages(entry):
        response = alice_client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
        assert response["Cache-Control"] == "no-store", path


def test_downloads_are_never_cached(alice_client, alice):
    entry = make_entry(alice)
    for path in [
        reverse("journal:export-md"),
        reverse("journal:export-zip"),
        reverse("journal:entry-markdown", args=[entry.pk]),
    ]:
        assert "no-store" in alice_client.get(path)["Cache-Control"], path


def test_healthz_has_no_session_and_no_store(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_cookies_are_httponly_and_samesite(client, alice):
    from tests.factories import PASSWORD

    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["httponly"]


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7Qv2-production-like-secret-key-for-the-check-only-9f3kL0p2ZrT8mN4b",
    "DJANGO_MFA_KEY": "Lq8w3-production-like-two-factor-key-for-the-check-only-Zt5pX1",
    "DJANGO_ALLOWED_HOSTS": "journal.example.org",
    "DJANGO_SECURE": "1",
    "ACCOUNT_EMAIL_VERIFICATION": "mandatory",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_for_the_documented_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_https_hsts_and_host_cookies():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, "
            "s.CSRF_COOKIE_NAME, s.DEBUG)",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "__Host-mirror-session",
        "__Host-mirror-csrf",
        "False",
    ], result.stderr
