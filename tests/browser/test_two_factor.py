"""Two-factor sign-in in a real browser: an authenticator app (TOTP), recovery codes, and
a passkey on Chromium's virtual authenticator."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from tests.browser.conftest import VIRTUAL_AUTHENTICATOR, assert_accessible, log_in
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = mfa_settings.TOTP_PERIOD  # seconds a code lasts; the server accepts no other period


def totp_now(secret: str) -> str:
    """The code an authenticator app shows now; near the end of its 30-second period, the
    next period's (so that it is still valid when the server checks it)."""
    left = PERIOD - time.time() % PERIOD
    if left < 3:
        time.sleep(left + 0.1)
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def confirm_password_if_asked(page) -> None:
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()


def test_authenticator_app_and_recovery_codes(page):
    user = make_user("totp@example.com")
    log_in(page, "totp@example.com")
    page.goto(page.base_url + "/accounts/2fa/")
    assert_accessible(page, "two-factor overview")
    page.goto(page.base_url + "/accounts/2fa/totp/activate/")
    confirm_password_if_asked(page)
    assert_accessible(page, "activate authenticator app")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Recovery|Two-Factor"))
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    page.goto(page.base_url + "/accounts/2fa/recovery-codes/")
    assert_accessible(page, "recovery codes")
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert len(codes) >= 8

    page.get_by_role("button", name="Log out").click()
    log_in(page, "totp@example.com")
    expect(page.get_by_label("Code")).to_be_visible()
    assert_accessible(page, "two-factor at login")
    page.get_by_label("Code").fill(totp_now(secret))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    # A recovery code works once, when the phone is lost.
    page.get_by_role("button", name="Log out").click()
    log_in(page, "totp@example.com")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_passkey_added_and_used_to_sign_in(page, settings):
    # Passkeys need a secure origin; the test server is http://localhost, which browsers
    # treat as secure, and the server must accept it too.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    user = make_user("passkey@example.com")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": VIRTUAL_AUTHENTICATOR},
    )
    log_in(page, "passkey@example.com")
    page.goto(page.base_url + "/accounts/2fa/webauthn/add/")
    confirm_password_if_asked(page)
    assert_accessible(page, "add a passkey")
    page.get_by_label("Name").fill("This laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))
    assert Authenticator.objects.filter(user=user, type="webauthn").exists()
    page.goto(page.base_url + "/accounts/2fa/webauthn/")
    expect(page.get_by_text("This laptop").first).to_be_visible()
    assert_accessible(page, "passkeys")

    page.get_by_role("button", name="Log out").click()
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello", timeout=10_000)
