"""When a reminder is due: at its time on the user's wall clock, on its days, once a day,
on both sides of a clock change, and not on a day the user already wrote."""

import datetime as dt
import email.policy
import threading
import time
import zoneinfo

import pytest
from django.db import connection

from accounts.management.commands.worker import tick
from accounts.models import Reminder, ReminderSent
from accounts.reminders import (
    STOP_LINK_DAYS,
    claim,
    due_reminders,
    is_due,
    send_due,
    stop_token,
)
from tests.factories import make_entry, make_user
from tests.mailserver import free_port

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour, minute, zone=LONDON) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


@pytest.fixture
def reminder(db):
    user = make_user("evening@example.com", time_zone="Europe/London")
    return Reminder.objects.create(user=user, enabled=True, time=dt.time(7, 30))


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (at(2026, 3, 28, 7, 29), False),  # the day before summer time
        (at(2026, 3, 28, 7, 30), True),
        (at(2026, 3, 29, 7, 29), False),  # the morning the clocks go forward
        (at(2026, 3, 29, 7, 30), True),  # 06:30 UTC: still 07:30 on the wall clock
        (at(2026, 10, 25, 7, 29), False),  # the morning they go back
        (at(2026, 10, 25, 7, 30), True),  # 07:30 UTC now
    ],
)
def test_a_reminder_arrives_at_its_local_time_on_both_sides_of_a_clock_change(
    reminder, moment, due
):
    assert is_due(reminder, moment.astimezone(dt.UTC)) is due


def test_a_time_the_clock_change_skips_arrives_at_the_first_minute_after(reminder):
    reminder.time = dt.time(1, 30)  # 01:00–02:00 does not exist in London on 29 March 2026
    assert not is_due(reminder, dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC))  # 00:59 GMT
    assert is_due(reminder, dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC))  # 02:00 BST


def test_a_reminder_comes_within_the_hour_of_its_time_never_out_of_the_blue(reminder):
    """A worker stopped for a while, or a reminder for 07:30 set at noon, sends nothing
    hours late."""
    assert is_due(reminder, at(2026, 3, 30, 8, 29))
    assert not is_due(reminder, at(2026, 3, 30, 8, 30))
    assert not is_due(reminder, at(2026, 3, 30, 12, 0))


def test_a_reminder_keeps_to_its_days(reminder):
    reminder.days = [0, 2]  # Mondays and Wednesdays
    assert is_due(reminder, at(2026, 3, 30, 8, 0))  # a Monday
    assert not is_due(reminder, at(2026, 3, 31, 8, 0))  # a Tuesday


def test_a_day_goes_out_once_and_not_after_writing(reminder):
    now = at(2026, 3, 30, 8, 0)
    assert [day for _, day in due_reminders(now)] == [dt.date(2026, 3, 30)]
    assert claim(reminder, dt.date(2026, 3, 30))
    assert not claim(reminder, dt.date(2026, 3, 30))  # a second worker: refused
    assert list(due_reminders(now)) == []
    make_entry(reminder.user, written_on=dt.date(2026, 3, 31))
    assert list(due_reminders(at(2026, 3, 31, 8, 0))) == []  # already wrote today
    reminder.only_if_not_written = False
    reminder.save()
    assert len(list(due_reminders(at(2026, 3, 31, 8, 0)))) == 1


def test_the_worker_clock_queues_each_minute_once_between_workers(db):
    moment = dt.datetime(2026, 3, 30, 7, 30, 5, tzinfo=dt.UTC)
    assert tick(moment)
    assert not tick(moment.replace(second=40))  # another worker, the same minute
    assert tick(moment + dt.timedelta(minutes=1))


def test_the_mail_names_nothing_of_the_journal_and_offers_a_way_to_stop(reminder, mailoutbox):
    make_entry(reminder.user, title="What he said at the station", body="I cried.")
    reminder.message = "Tea, then words."
    reminder.save()
    assert send_due(at(2026, 3, 30, 7, 30)) == 1
    [message] = mailoutbox
    assert message.subject == "Tea, then words." and message.to == [reminder.user.email]
    for private in ("station", "cried", "twin", "runner"):
        assert private not in message.subject + message.body
    stop_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop_url in message.body and "07:30" in message.body
    raw = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{stop_url}>\r\n" in raw  # as clients read it, whole
    assert f"\r\n{stop_url}\r\n" in raw  # the link in the text, unbroken
    assert send_due(at(2026, 3, 30, 7, 31)) == 0  # once that day


def test_a_mail_server_that_refuses_gives_the_day_back_for_the_next_minute(reminder, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    assert send_due(at(2026, 3, 30, 7, 30)) == 0
    assert not ReminderSent.objects.exists()
    assert [r.pk for r, _ in due_reminders(at(2026, 3, 30, 7, 31))] == [reminder.pk]


def test_a_stop_link_stops_only_its_owners_reminders(client, reminder):
    other = Reminder.objects.create(user=make_user("other@example.com"), enabled=True)
    url = f"/accounts/reminders/stop/{stop_token(reminder.user)}/"
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    reminder.refresh_from_db()
    other.refresh_from_db()
    assert not reminder.enabled and other.enabled

    forged = f"/accounts/reminders/stop/{other.user_id}:1vAbCd:forged/"
    response = client.post(forged)
    assert response.status_code == 404 and "expired or is not whole" in response.text
    other.refresh_from_db()
    assert other.enabled


def test_a_stop_link_expires_after_its_days(client, reminder, monkeypatch):
    token = stop_token(reminder.user)
    later = time.time() + (STOP_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(f"/accounts/reminders/stop/{token}/")
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.enabled


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises every writer")
def test_two_workers_at_once_send_a_day_once():
    user = make_user("twice@example.com", journal_key=False)
    reminder = Reminder.objects.create(user=user, enabled=True)
    wins = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        wins.append(claim(reminder, dt.date(2026, 3, 30)))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False, False, False, True]
    assert ReminderSent.objects.filter(user=user).count() == 1


REMINDERS = "/accounts/reminders/"


def test_a_reminder_is_asked_for_on_its_page_and_kept_as_chosen(alice_client, alice):
    page = alice_client.get(REMINDERS).content.decode()
    for name in ('name="enabled"', 'name="time"', 'name="days"', 'name="only_if_not_written"'):
        assert name in page
    response = alice_client.post(
        REMINDERS,
        {"enabled": "on", "time": "21:30", "days": ["4", "0"], "message": "  Tea,   then words. "},
    )
    assert response.status_code == 302
    reminder = Reminder.objects.get(user=alice)
    assert (reminder.enabled, reminder.time, reminder.days) == (True, dt.time(21, 30), [0, 4])
    assert reminder.text == "Tea, then words." and not reminder.only_if_not_written
    assert "Your reminder is on, at 21:30 your time." in alice_client.get(REMINDERS).text


def test_a_bad_time_is_said_beside_the_field_and_what_was_typed_is_kept(alice_client):
    response = alice_client.post(REMINDERS, {"enabled": "on", "time": "25:99", "message": "Hi"})
    assert response.status_code == 200
    assert "time" in response.context["form"].errors
    assert 'value="Hi"' in response.text
    assert not Reminder.objects.exists()


def test_reminders_are_off_until_asked_for(alice_client, alice):
    alice_client.post(REMINDERS, {"time": "07:00"})
    assert not Reminder.objects.get(user=alice).enabled
    assert list(due_reminders(at(2026, 3, 30, 8, 0))) == []
