"""A real SMTP server on localhost (aiosmtpd) for the tests that read what arrives:
Django's SMTP backend, or a worker process, sends to it over a socket, like to any mail
server, and the test reads the parsed messages."""

import email
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server received, in order, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as they came over the wire
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.arrived:
            self.raw.append(envelope.content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The messages once `count` have arrived (fewer after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count and time.monotonic() < deadline:
                self.arrived.wait(deadline - time.monotonic())
            return list(self.messages)


class MailServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname=self.host, port=self.port)

    def __enter__(self) -> "MailServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    @property
    def mailers(self) -> dict:
        """Django's MAILERS setting that sends here."""
        options = {"host": self.host, "port": self.port, "use_tls": False, "timeout": 5}
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": options,
            }
        }

    @property
    def env(self) -> dict[str, str]:
        """The environment that points a Mirror process (production settings) here."""
        return {"EMAIL_HOST": self.host, "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
