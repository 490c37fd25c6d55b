"""Security events go to the `mirror.security` logger as one line each: the event and the
user's id, never an email address or anything the user wrote."""

import logging
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, make_entry

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Quillwort confession"  # written in alice's entry; must never be logged


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def security_log(caplog):
    """caplog, also seeing `mirror.security` when the logging settings stop it from
    propagating to the root logger (where caplog listens)."""
    logger = logging.getLogger("mirror.security")
    attach = not logger.propagate
    if attach:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    yield caplog
    if attach:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def alice_verified(alice):
    """Alice with her address on record and verified, as after a normal sign-up."""
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    make_entry(alice, title=SECRET_WORDS, body=f"{SECRET_WORDS}, all of it.")
    return alice


def events(caplog) -> list[tuple[str, int | None]]:
    return [
        (record.security_event, record.user_id)
        for record in caplog.records
        if record.name == "mirror.security"
    ]


def assert_nothing_personal_logged(caplog, *texts: str) -> None:
    """No record from any logger holds any of `texts`, in its message or its attributes."""
    for record in caplog.records:
        logged = " ".join([record.getMessage(), *(str(value) for value in vars(record).values())])
        for text in texts:
            assert text.lower() not in logged.lower(), (record.name, record.getMessage())


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_login_and_logout_are_logged_with_the_user_id_only(client, alice_verified, security_log):
    assert log_in(client, "alice@example.com").status_code == 302
    client.post(reverse("account_logout"))

    assert events(security_log) == [("login", alice_verified.pk), ("logout", alice_verified.pk)]
    lines = [r.getMessage() for r in security_log.records if r.name == "mirror.security"]
    assert lines == [f"login user_id={alice_verified.pk}", f"logout user_id={alice_verified.pk}"]
    assert_nothing_personal_logged(security_log, "alice@example.com", PASSWORD, SECRET_WORDS)


def test_failed_login_is_logged_without_the_address_tried(client, alice_verified, security_log):
    log_in(client, "alice@example.com", "a-wrong-password")
    log_in(client, "nobody-here@example.com", "another-guess")

    assert events(security_log) == [("login_failed", None), ("login_failed", None)]
    assert_nothing_personal_logged(
        security_log, "alice@example.com", "nobody-here", "a-wrong-password", "another-guess"
    )


def test_password_change_is_logged(alice_client, alice_verified, security_log):
    new_password = "a-new-and-longer-password"
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302

    assert ("password_changed", alice_verified.pk) in events(security_log)
    assert_nothing_personal_logged(security_log, "alice@example.com", PASSWORD, new_password)


def test_password_reset_is_logged(client, alice_verified, security_log):
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "another-long-quiet-password"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302

    assert ("password_reset", alice_verified.pk) in events(security_log)
    assert_nothing_personal_logged(security_log, "alice@example.com", new_password)


def test_email_changes_are_logged_without_either_address(
    alice_client, alice_verified, security_log
):
    reauthenticate(alice_client)
    alice_client.post(
        reverse("account_email"), {"action_add": "", "email": "alice.new@example.com"}
    )
    EmailAddress.objects.filter(email="alice.new@example.com").update(verified=True)
    alice_client.post(
        reverse("account_email"), {"action_primary": "", "email": "alice.new@example.com"}
    )
    alice_client.post(reverse("account_email"), {"action_remove": "", "email": "alice@example.com"})

    logged = events(security_log)
    for event in ["email_added", "email_changed", "email_removed"]:
        assert (event, alice_verified.pk) in logged
    assert_nothing_personal_logged(security_log, "alice@example.com", "alice.new@example.com")


def test_two_factor_changes_are_logged(
    alice_client, alice_verified, security_log, django_capture_on_commit_callbacks, settings
):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # The notification mails would be sent from the same on-commit callbacks, after the
    # test client's request has ended; they are not what this test is about.
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = False

    reauthenticate(alice_client)
    page = alice_client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    # allauth sends these signals once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        activated = alice_client.post(reverse("mfa_activate_totp"), {"code": code})
        assert activated.status_code == 302
        alice_client.post(reverse("mfa_generate_recovery_codes"))
        alice_client.post(reverse("mfa_deactivate_totp"))

    logged = [(e, u) for e, u in events(security_log) if e.startswith("mfa_")]
    assert ("mfa_added", alice_verified.pk) in logged
    assert ("mfa_reset", alice_verified.pk) in logged
    assert ("mfa_removed", alice_verified.pk) in logged
    lines = [r.getMessage() for r in security_log.records if r.name == "mirror.security"]
    assert f"mfa_added user_id={alice_verified.pk} type=totp" in lines
    assert_nothing_personal_logged(security_log, "alice@example.com", secret, code)


def test_a_wrong_two_factor_code_at_login_is_logged(client, alice_verified, security_log):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(alice_verified, "JBSWY3DPEHPK3PXP")
    response = log_in(client, "alice@example.com")
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert ("mfa_failed", alice_verified.pk) in events(security_log)
    assert ("login", alice_verified.pk) not in events(security_log)
    assert Authenticator.objects.filter(user=alice_verified).exists()
    assert_nothing_personal_logged(security_log, "alice@example.com", "000000")


def test_account_deletion_is_logged_after_the_data_is_gone(
    alice_client, alice_verified, security_log, django_capture_on_commit_callbacks
):
    alice_pk = alice_verified.pk
    alice_client.post(reverse("accounts:delete"), {"password": "not-it"})
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302

    assert events(security_log) == [
        ("account_delete_refused", alice_pk),
        ("logout", alice_pk),
        ("account_deleted", alice_pk),
    ]
    assert_nothing_personal_logged(
        security_log, "alice@example.com", "Alice", SECRET_WORDS, PASSWORD, "not-it"
    )
