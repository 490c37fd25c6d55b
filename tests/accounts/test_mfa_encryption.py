"""Two-factor secrets are stored encrypted: someone with a copy of the database cannot read
an authenticator app's key or the recovery codes' seed, and the admin does not show them.
Signing in with an authenticator app and with a recovery code works as before."""

import importlib
import json
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from accounts.adapter import seal, unseal
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"  # a base32 TOTP key, as an authenticator app holds it


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and the used-code markers of TOTP live in the cache.
    cache.clear()


@pytest.fixture
def carol(db):
    user = make_user("carol@example.com", display_name="Carol")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def stored(user, kind: str) -> str:
    """An authenticator's data as the database holds it."""
    return json.dumps(Authenticator.objects.get(user=user, type=kind).data)


def log_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_an_activated_authenticator_app_is_stored_encrypted_and_signs_in(client, carol, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = False
    log_in(client, carol.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    assert activated.status_code == 302

    data = stored(carol, "totp")
    assert secret not in data
    assert secret.lower() not in data.lower()

    client.post(reverse("account_logout"))
    assert log_in(client, carol.email)["Location"] == reverse("mfa_authenticate")
    cache.clear()  # the activation's code was marked used; the same period's code again
    signed_in = client.post(reverse("mfa_authenticate"), {"code": code_now(secret)})
    assert signed_in.status_code == 302
    assert client.get(reverse("home")).context["user"] == carol


def test_recovery_codes_are_derived_from_an_encrypted_seed_and_still_sign_in(client, carol):
    TOTP.activate(carol, SECRET)
    codes = RecoveryCodes.activate(carol).get_unused_codes()
    seed = unseal(Authenticator.objects.get(user=carol, type="recovery_codes").data["seed"])
    assert seed not in stored(carol, "recovery_codes")
    assert SECRET not in stored(carol, "totp")

    assert log_in(client, carol.email)["Location"] == reverse("mfa_authenticate")
    signed_in = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert signed_in.status_code == 302
    assert client.get(reverse("home")).context["user"] == carol


def test_the_migration_encrypts_secrets_stored_in_plain_text_and_back(carol):
    """As before this release: allauth stored the values as they are."""
    seed = "ab" * 40
    totp = Authenticator.objects.create(user=carol, type="totp", data={"secret": SECRET})
    codes = Authenticator.objects.create(
        user=carol,
        type="recovery_codes",
        data={"seed": seed, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    # Until the migration runs, the plain values still work.
    assert totp.wrap().validate_code(code_now(SECRET))
    migration = importlib.import_module("accounts.migrations.0004_encrypt_two_factor_secrets")

    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # a second run changes nothing
    totp.refresh_from_db()
    codes.refresh_from_db()
    assert SECRET not in json.dumps(totp.data)
    assert seed not in json.dumps(codes.data)
    assert "12345678" not in json.dumps(codes.data)
    assert unseal(totp.data["secret"]) == SECRET
    assert unseal(codes.data["seed"]) == seed
    assert codes.wrap().validate_code("12345678")
    assert codes.data["used_mask"] == 0

    migration.decrypt(apps, None)
    totp.refresh_from_db()
    assert totp.data == {"secret": SECRET}


def test_a_secret_sealed_under_another_key_is_refused_not_misread(settings):
    sealed = seal(SECRET)
    settings.TWO_FACTOR_KEY = "another-key-" + "x" * 40
    with pytest.raises(InvalidToken):
        unseal(sealed)


def test_the_admin_has_no_page_for_authenticators(client, carol):
    admin = make_user("staff@example.com", is_staff=True, is_superuser=True)
    TOTP.activate(carol, SECRET)
    client.force_login(admin)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "authenticator" not in index.content.decode().lower()
    assert client.get("/admin/mfa/authenticator/").status_code == 404
