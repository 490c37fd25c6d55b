"""The mail Mirror sends: from Mirror, with a proper subject and Mirror's own words, over a
real SMTP server on localhost; queued for the worker, sealed, rather than sent inside the
web request; and tried again when the mail server is away."""

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import mail
from accounts.tasks import RETRY_AFTER, send_mail
from tests.factories import PASSWORD
from tests.mailserver import body_of, free_port

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_sign_up_confirmation_comes_from_mirror_with_a_proper_subject(db, client, smtp_server):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = smtp_server.inbox.wait_for(1)
    assert message["Subject"] == "[Mirror] Confirm your email address"
    assert message["To"] == "new@example.com" and "Mirror" in message["From"]
    body = body_of(message)
    assert body.startswith("Hello,") and "sign up for Mirror" in body
    assert "/accounts/confirm-email/" in body
    assert "Hello from" not in body and "testserver" not in body.split("http")[0]


def test_the_password_reset_mail_says_the_recovery_key_opens_the_journal(
    client, alice, smtp_server
):
    client.post(reverse("account_reset_password"), {"email": alice.email})
    [message] = smtp_server.inbox.wait_for(1)
    assert message["Subject"] == "[Mirror] Reset your password"
    body = body_of(message)
    assert "/accounts/password/reset/key/" in body
    assert "your recovery key unlocks it again" in body
    assert body.rstrip().endswith("Mirror, your private journal")


def test_mail_is_queued_sealed_and_leaves_the_request_at_once(client, alice, settings):
    """With the worker's backend, the request only queues the mail: nothing is sent from
    it, and the queued task holds neither the address nor the reset link in the clear."""
    settings.TASKS = DATABASE_TASKS
    client.post(reverse("account_reset_password"), {"email": alice.email})
    assert django_mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "accounts.tasks.send_mail"
    stored = str(queued.args_kwargs)
    assert alice.email not in stored and "reset" not in stored
    message = mail.unseal(queued.args_kwargs["args"][0])
    assert message.to == [alice.email] and "/accounts/password/reset/key/" in message.body


def test_a_mail_server_that_is_away_is_tried_again_later(db, settings):
    settings.TASKS = DATABASE_TASKS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    sealed = mail.seal(EmailMessage(subject="Hi", body="Words", to=["a@example.com"]))
    send_mail.call(sealed)  # what the worker runs: the server refuses the connection
    [retry] = DBTaskResult.objects.all()
    assert retry.args_kwargs["args"] == [sealed, 2]
    assert retry.run_after > retry.enqueued_at + RETRY_AFTER[0] * 0.9
    with pytest.raises(OSError):  # the last attempt gives up, and the task fails
        send_mail.call(sealed, len(RETRY_AFTER) + 1)


def test_a_message_with_attachments_is_refused_rather_than_sent_without_them():
    message = EmailMessage(subject="Hi", body="Words", to=["a@example.com"])
    message.attach("note.txt", "kept", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        mail.seal(message)
