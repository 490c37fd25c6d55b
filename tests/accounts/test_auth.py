"""Sign-up, log-in, log-out and password reset through django-allauth, email as the login."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signup_asks_for_email_and_password_only(client):
    page = client.get(reverse("account_signup"))
    assert page.status_code == 200
    assert set(page.context["form"].fields) >= {"email", "password1", "password2"}
    assert "username" not in page.context["form"].fields
    assert 'name="username"' not in page.text


def test_signup_creates_the_user_and_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "New.Person@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "perspective": "chaser",
            "time_zone": "Europe/Lisbon",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert user.perspective == "chaser"
    assert user.time_zone == "Europe/Lisbon"
    home = client.get(reverse("home"))
    assert home.context["user"] == user
    assert 'Hello, <span dir="auto">new.person</span>.' in home.text
    # Verification is optional in development: a confirmation mail is sent all the same.
    assert any("Confirm" in message.subject for message in mail.outbox)


def test_signup_without_javascript_falls_back_to_utc_and_unsure(client):
    client.post(
        reverse("account_signup"),
        {"email": "plain@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    user = User.objects.get()
    assert (user.time_zone, user.perspective) == ("UTC", "unsure")


def test_signup_ignores_an_unknown_time_zone(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "odd@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Mars/Olympus",
        },
    )
    assert User.objects.get().time_zone == "UTC"


def test_signup_refuses_a_taken_email_and_a_weak_password(client, alice):
    response = client.post(
        reverse("account_signup"),
        {"email": "alice@example.com", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors
    assert "password1" in errors
    assert User.objects.count() == 1


def test_login_with_email_and_logout(client, alice):
    response = client.post(
        reverse("account_login"), {"login": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("journal:entry-list")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("journal:entry-list")).status_code == 302


def test_login_with_wrong_password_is_refused(client, alice):
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("journal:entry-list")).status_code == 302


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "another-long-quiet-password"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_change_password(alice_client, alice):
    new_password = "a-new-and-longer-password"
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_changing_email_asks_for_the_password_again(alice_client, alice):
    response = alice_client.post(
        reverse("account_email"), {"action_add": "", "email": "alice.new@example.com"}
    )
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not alice.emailaddress_set.filter(email="alice.new@example.com").exists()
    alice_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = alice_client.get(reverse("account_email"))
    assert page.status_code == 200
    response = alice_client.post(
        reverse("account_email"), {"action_add": "", "email": "alice.new@example.com"}
    )
    assert response.status_code == 302
    assert alice.emailaddress_set.filter(email="alice.new@example.com").exists()


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_use_mirrors_layout(client, name):
    page = client.get(reverse(name))
    assert page.status_code == 200
    assert 'class="skip-link"' in page.text
    assert "css/mirror.css" in page.text
