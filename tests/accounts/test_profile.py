import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_profile_saves_time_zone_and_name(alice_client, alice):
    response = alice_client.post(
        PROFILE, {"display_name": "Al", "time_zone": "Asia/Tokyo", "perspective": "runner"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Tokyo"
    assert alice.display_name == "Al"
    assert alice.perspective == "runner"


def test_unknown_time_zone_is_refused_beside_the_field(alice_client, alice):
    response = alice_client.post(
        PROFILE, {"display_name": "Al", "time_zone": "Mars/Olympus", "perspective": "runner"}
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert 'value="Al"' in response.text
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_today_follows_the_users_time_zone(alice, monkeypatch):
    # 23:30 UTC on 31 December is already 1 January in Tokyo, still 31 December in New York.
    moment = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    alice.time_zone = "Asia/Tokyo"
    assert alice.today() == dt.date(2026, 1, 1)
    alice.time_zone = "America/New_York"
    assert alice.today() == dt.date(2025, 12, 31)


def test_pages_render_in_the_users_time_zone(alice_client, alice):
    alice.time_zone = "Pacific/Kiritimati"
    alice.save()
    response = alice_client.get(reverse("home"))
    assert response.context["today"] == alice.today()
    assert str(timezone.get_current_timezone()) == "UTC"  # deactivated after the request


def test_profile_needs_login_and_refuses_other_methods(client, alice_client):
    assert alice_client.delete(PROFILE).status_code == 405
    client.logout()
    assert client.get(PROFILE).status_code == 302
