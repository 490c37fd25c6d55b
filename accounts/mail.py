"""Mail leaves through the background worker, never inside a web request: a slow or absent
mail server never holds a page (accounts/tasks.py sends it).

A queued message waits in the tasks table, and a password-reset or confirmation link in it
is a credential, so it is queued sealed (Fernet, under a key derived from SECRET_KEY): a
copy of the database alone does not carry live links. A message is queued as its fields
(subject, bodies, addresses, headers), never pickled: the worker builds it again.
"""

import json

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives

from .keys import server_fernet

# The fields a queued message keeps, as EmailMultiAlternatives takes them.
ADDRESSED = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to")


def _fernet() -> Fernet:
    return server_fernet(settings.SECRET_KEY, b"mirror queued mail")


def seal(message: EmailMessage) -> str:
    if message.attachments:
        raise ValueError("Mirror's mail carries no attachments; this one would lose them.")
    fields = {
        **{name: getattr(message, name) for name in ADDRESSED},
        "content_subtype": message.content_subtype,
        "headers": dict(message.extra_headers),
        "alternatives": [
            [alternative.content, alternative.mimetype]
            for alternative in getattr(message, "alternatives", ())
        ],
    }
    return _fernet().encrypt(json.dumps(fields).encode()).decode()


def unseal(sealed: str) -> EmailMultiAlternatives:
    fields = json.loads(_fernet().decrypt(sealed.encode()))
    message = EmailMultiAlternatives(
        **{name: fields[name] for name in ADDRESSED}, headers=fields["headers"]
    )
    message.content_subtype = fields["content_subtype"]
    for content, mimetype in fields["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def queue(message: EmailMessage) -> None:
    """Hand `message` to the worker (at once where the tasks backend runs tasks on the spot,
    as in the test suite)."""
    from .tasks import send_mail

    send_mail.enqueue(seal(message))
