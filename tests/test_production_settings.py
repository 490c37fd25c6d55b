"""With debug off, Mirror starts only when mail can really be sent and two-factor secrets
can be encrypted, and sign-up does not tell whether an address already has an account."""

import os
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

ROOT = settings.BASE_DIR
PRODUCTION = {
    "DJANGO_SECRET_KEY": "s" * 50,
    "DJANGO_MFA_KEY": "m" * 50,
    "EMAIL_HOST": "smtp.example.org",
    "DJANGO_ALLOWED_HOSTS": "journal.example.org",
}
SHOW = (
    "import config.settings as s; "
    "print(s.ACCOUNT_EMAIL_VERIFICATION, s.MAILERS['default']['BACKEND'].rsplit('.', 2)[-2])"
)


def start(env: dict[str, str], show: str = SHOW) -> subprocess.CompletedProcess:
    """Load the settings with only `env` (and PATH) in the environment."""
    return subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in PRODUCTION.items() if k != name}


# --- email verification, and sign-up that tells nothing --------------------------------


def test_production_confirms_addresses_and_development_does_not_ask_to():
    assert start(PRODUCTION).stdout.split() == ["mandatory", "smtp"]
    development = start({"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "s" * 50})
    assert development.stdout.split() == ["optional", "console"], development.stderr
    chosen = start({**PRODUCTION, "ACCOUNT_EMAIL_VERIFICATION": "optional"})
    assert chosen.stdout.split()[0] == "optional"


def _sign_up(client, email: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_looks_like_any_sign_up(client, alice, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # production's default
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    cache.clear()

    new = _sign_up(client, "someone.new@example.com")
    new_page = client.get(new["Location"])
    client.logout()
    taken = _sign_up(client, alice.email)
    taken_page = client.get(taken["Location"])

    assert (
        (new.status_code, new["Location"])
        == (taken.status_code, taken["Location"])
        == (
            302,
            reverse("account_email_verification_sent"),
        )
    )
    assert new_page.status_code == taken_page.status_code == 200
    assert [t.name for t in new_page.templates] == [t.name for t in taken_page.templates]
    # What the page cannot say, a mail to the address's owner does.
    assert [message.to for message in mail.outbox] == [["someone.new@example.com"], [alice.email]]
    assert User.objects.filter(email=alice.email).count() == 1
    assert not taken_page.wsgi_request.user.is_authenticated


# --- mail ----------------------------------------------------------------------------------


def test_production_without_a_mail_server_refuses_to_start():
    result = start(without("EMAIL_HOST"))
    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr
    assert "DJANGO_EMAIL_BACKEND=console" in result.stderr


def test_mail_goes_to_the_console_only_when_asked_for_or_in_development():
    asked = start({**without("EMAIL_HOST"), "DJANGO_EMAIL_BACKEND": "console"})
    assert asked.stdout.split() == ["mandatory", "console"], asked.stderr
    over_smtp = start({**PRODUCTION, "DJANGO_EMAIL_BACKEND": "console"})
    assert over_smtp.stdout.split()[1] == "console"
    development = start({"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "s" * 50})
    assert development.stdout.split()[1] == "console"


def test_an_unknown_email_backend_is_refused():
    result = start({**PRODUCTION, "DJANGO_EMAIL_BACKEND": "smtp-ish"})
    assert result.returncode != 0
    assert "DJANGO_EMAIL_BACKEND" in result.stderr


# --- the two-factor key --------------------------------------------------------------------


def test_production_without_a_two_factor_key_refuses_to_start():
    result = start(without("DJANGO_MFA_KEY"))
    assert result.returncode != 0
    assert "DJANGO_MFA_KEY is not set" in result.stderr


def test_a_short_two_factor_key_is_refused():
    result = start({**PRODUCTION, "DJANGO_MFA_KEY": "short"})
    assert result.returncode != 0
    assert "DJANGO_MFA_KEY is too short" in result.stderr


# --- the site's address, for links in mail sent without a request --------------------------

SITE = "import config.settings as s; print(s.SITE_URL)"


def _site_url(env: dict[str, str]) -> subprocess.CompletedProcess:
    return start(env, SITE)


def test_links_in_mail_lead_to_the_site_people_open():
    assert _site_url({**PRODUCTION, "DJANGO_SECURE": "1"}).stdout.strip() == (
        "https://journal.example.org"
    )
    given = {**PRODUCTION, "DJANGO_SITE_URL": "https://mirror.example.org/"}
    assert _site_url(given).stdout.strip() == "https://mirror.example.org"
    nameless = _site_url({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ".example.org"})
    assert nameless.returncode == 0 and nameless.stdout.strip() == ""  # the worker refuses
    pathless = _site_url({**PRODUCTION, "DJANGO_SITE_URL": "journal.example.org"})
    assert pathless.returncode != 0 and "like https://journal.example.org" in pathless.stderr
