import pytest
from django.urls import reverse

from tests.factories import make_entry

pytestmark = pytest.mark.django_db


def test_signed_out_home_says_what_mirror_is(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "private journal" in response.text
    assert reverse("account_signup") in response.text
    assert reverse("account_login") in response.text


def test_signed_in_home_greets_and_shows_recent_entries(alice_client, alice):
    make_entry(alice, title="A quiet Sunday")
    response = alice_client.get(reverse("home"))
    assert 'Hello, <span dir="auto">Alice</span>.' in response.text
    assert "A quiet Sunday" in response.text
    assert reverse("journal:entry-create") in response.text


def test_healthz_answers_without_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "sessionid" not in response.cookies
