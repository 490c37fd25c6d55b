"""What the pages tell their scripts about the drafts a device keeps (static/js)."""

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.filter
def draft_owner(user) -> str:
    """The mark of a signed-in account that the drafts a device keeps are stamped with
    (templates/base.html): a page of another account never sends or offers them, so words
    kept on a shared phone whose session expired never reach whoever signs in next. A keyed
    digest of the account's id, the same in every session: it names no one."""
    return salted_hmac("journal.drafts.owner", str(user.pk)).hexdigest()[:32]
