"""Cache keys for the per-process caches of what is drawn from a journal (`journal`,
`journal-words`): the same figure or fragment in another language is another entry, so a
page is never served in the language of the request that first drew it."""

from django.utils.translation import get_language


def key_in_language(key: str, key_prefix: str, version: int) -> str:
    return f"{key_prefix}:{version}:{get_language() or '-'}:{key}"
