"""Encryption at rest in a real browser, as people meet it: a changed password, a reset by
email without the recovery key, a passkey sign-in that leaves the journal locked, and a
session ended from another device. (The recovery key shown at sign-up and used after a
reset is in test_recovery_key.py.)"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.unlock import cookie_name
from tests.browser.conftest import (
    VIRTUAL_AUTHENTICATOR,
    assert_accessible,
    log_in,
    watched_page,
)
from tests.factories import PASSWORD, make_entry, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-new-and-even-quieter-password"
LOCKED_NOTICE = "Your journal is locked in this session"
AUTHENTICATOR = VIRTUAL_AUTHENTICATOR


@pytest.fixture
def other_page(browser, live_server):
    """A second device."""
    yield from watched_page(browser, live_server)


def expect_entry_reads(page, url: str, title: str, body: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".prose")).to_contain_text(body)


def expect_locked(page, url: str) -> None:
    """The session is signed in but does not hold the journal key: a page without words
    says so in its notice, and a page of the journal says it instead of the words."""
    page.goto(page.base_url + "/accounts/profile/")
    expect(page.get_by_text(LOCKED_NOTICE)).to_be_visible()
    response = page.goto(url)
    assert response.status == 423
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal is locked")
    assert_accessible(page, "journal locked")


def write_entry(page, title: str, body: str) -> str:
    page.goto(page.base_url + "/entries/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your words").fill(body)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def test_a_changed_password_opens_the_journal_and_the_old_one_no_longer_signs_in(page):
    """Sign in, write, change the password, sign out: the new password opens the entry,
    the old one signs in no more."""
    make_user("changer@example.com")
    log_in(page, "changer@example.com")
    url = write_entry(page, "Before the change", "Written under the old password.")

    page.goto(page.base_url + "/accounts/password/change/")
    assert_accessible(page, "change password")
    page.get_by_label("Current Password").fill(PASSWORD)
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Password successfully changed.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "changer@example.com", NEW_PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text(LOCKED_NOTICE)).to_have_count(0)
    expect_entry_reads(page, url, "Before the change", "Written under the old password.")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "changer@example.com", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("not correct")).to_be_visible()


def test_a_reset_without_the_recovery_key_starts_an_empty_journal(page):
    """A reset by email opens the account, not the journal; without the recovery key the
    person starts an empty journal, writes in it, and deletes what stays locked."""
    user = make_user("forgetful@example.com")
    make_entry(user, title="From before", body="Words under the first key.")

    page.goto(page.base_url + "/accounts/password/reset/")
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/"))
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)
    page.goto(page.base_url + link.group(1))
    expect(page.get_by_role("heading", name="Have your recovery key ready")).to_be_visible()
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    log_in(page, "forgetful@example.com", NEW_PASSWORD)
    expect_locked(page, page.base_url + "/entries/")

    page.get_by_role("link", name="Unlock your journal").click()  # the locked page's own
    page.get_by_role("link", name="start an empty journal").click()
    assert_accessible(page, "start an empty journal")
    page.get_by_label("Your password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Start an empty journal").click()
    expect(page.locator("#recovery-key")).to_be_visible()
    expect(page.get_by_text(LOCKED_NOTICE)).to_have_count(0)

    page.get_by_role("link", name="Entries", exact=True).click()
    expect(page.get_by_text("Your journal is waiting for its first page.")).to_be_visible()
    expect(page.get_by_text("From before")).to_have_count(0)
    write_entry(page, "A new first page", "Written under the new key.")
    page.get_by_role("link", name="Entries", exact=True).click()
    expect(page.locator(".entry-card")).to_have_count(1)
    expect(page.locator(".entry-card")).to_contain_text("A new first page")

    page.goto(page.base_url + "/accounts/locked-entries/")
    expect(page.locator("#locked-counts li").first).to_have_text("1 entry")
    assert_accessible(page, "locked entries")
    page.get_by_label("Your password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Delete my locked entries").check()
    page.get_by_role("button", name="Delete my locked entries").click()
    expect(page.get_by_text("Nothing is locked")).to_be_visible()


def add_passkey(page, email: str) -> None:
    """Sign in with the password and add a passwordless passkey on a virtual authenticator."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    log_in(page, email)
    page.goto(page.base_url + "/accounts/2fa/webauthn/add/")
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("This laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))


def test_a_passkey_sign_in_leaves_the_journal_locked_until_the_password_opens_it(page, settings):
    """A passkey proves who you are but holds no journal key: the journal stays locked
    until the password, given on the unlock page, opens it."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://localhost
    user = make_user("passkey-reader@example.com")
    entry = make_entry(user, title="Under the passkey", body="Words the passkey cannot open.")
    url = f"{page.base_url}/entries/{entry.pk}/"
    add_passkey(page, "passkey-reader@example.com")
    page.get_by_role("button", name="Log out").click()

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect_locked(page, url)
    expect(page.get_by_text("Under the passkey")).to_have_count(0)

    page.get_by_role("link", name="Unlock your journal").click()  # the locked page's own
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Unlock my journal").click()
    expect(page.get_by_text("Your journal is open again.")).to_be_visible()
    expect_entry_reads(page, url, "Under the passkey", "Words the passkey cannot open.")


PRF = """async () => {
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  const credential = await navigator.credentials.create({publicKey: {
    rp: {id: location.hostname, name: "Mirror"},
    user: {id: random(16), name: "prf@example.com", displayName: "PRF"},
    challenge: random(32),
    pubKeyCredParams: [{type: "public-key", alg: -7}],
    authenticatorSelection: {residentKey: "required", userVerification: "required"},
    extensions: {prf: {}},
  }});
  const created = credential.getClientExtensionResults().prf;
  const evaluate = async () => {
    const assertion = await navigator.credentials.get({publicKey: {
      challenge: random(32),
      allowCredentials: [{type: "public-key", id: credential.rawId}],
      userVerification: "required",
      extensions: {prf: {eval: {first: new TextEncoder().encode("mirror journal key")}}},
    }});
    const results = (assertion.getClientExtensionResults().prf || {}).results;
    return results ? Array.from(new Uint8Array(results.first)) : null;
  };
  const [first, again] = [await evaluate(), await evaluate()];
  return {
    enabled: created ? created.enabled : null,
    bytes: first ? first.length : null,
    stable: first !== null && JSON.stringify(first) === JSON.stringify(again),
  };
}"""


def test_chromiums_virtual_authenticator_offers_the_prf_extension(page):
    """Whether a passkey could one day open the journal itself: on the site's origin,
    Chromium's virtual authenticator with `hasPrf` makes a credential with PRF enabled,
    and the same salt gives the same 32 bytes each time."""
    version = page.context.browser.version
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    try:
        cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {**AUTHENTICATOR, "hasPrf": True}})
    except Exception as error:  # an older Chromium refuses the option
        pytest.skip(f"Chromium {version}: the virtual authenticator refuses hasPrf ({error})")
    page.goto(page.base_url + "/accounts/login/")
    prf = page.evaluate(PRF)
    if prf["enabled"] is not True:
        pytest.skip(f"Chromium {version}: a credential made with prf reports {prf}")
    assert prf == {"enabled": True, "bytes": 32, "stable": True}, f"Chromium {version}"


def test_a_session_ended_from_another_device_signs_that_device_out(page, other_page):
    """Two devices signed in; the first ends the other's session on the sessions page:
    the other is signed out, and its journal-key cookie opens nothing any more."""
    user = make_user("two-devices@example.com")
    entry = make_entry(user, title="On both devices", body="Read here and there.")
    url = f"{page.base_url}/entries/{entry.pk}/"
    laptop, phone = page, other_page
    log_in(laptop, "two-devices@example.com")
    log_in(phone, "two-devices@example.com")
    expect_entry_reads(phone, url, "On both devices", "Read here and there.")
    phone_cookies = phone.context.cookies()
    assert any(cookie["name"] == cookie_name() for cookie in phone_cookies)

    laptop.goto(laptop.base_url + "/accounts/sessions/")
    expect(laptop.locator("tbody tr")).to_have_count(2)
    assert_accessible(laptop, "sessions")
    laptop.get_by_role("button", name="Sign Out Other Sessions").click()
    expect(laptop.locator("tbody tr")).to_have_count(1)
    expect_entry_reads(laptop, url, "On both devices", "Read here and there.")

    phone.reload()
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    expect(phone.get_by_text("On both devices")).to_have_count(0)
    assert cookie_name() not in {cookie["name"] for cookie in phone.context.cookies()}

    # The phone's old cookies, session and key together, open nothing either.
    phone.context.clear_cookies()
    phone.context.add_cookies(phone_cookies)
    phone.goto(url)
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    expect(phone.get_by_text("On both devices")).to_have_count(0)
