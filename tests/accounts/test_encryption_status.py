"""The operator's count of accounts whose journal is not yet encrypted."""

import io

from django.core.management import call_command

from accounts.journal_keys import journal_key_create
from tests.factories import PASSWORD, make_user


def test_it_counts_the_accounts_still_waiting_for_a_key(db):
    journal_key_create(user=make_user("keyed@example.com", journal_key=False), password=PASSWORD)
    make_user("older@example.com", journal_key=False)
    make_user("oldest@example.com", journal_key=False)
    out = io.StringIO()
    call_command("encryption_status", stdout=out)
    assert out.getvalue().strip() == (
        "3 accounts: 1 with a journal key, 2 waiting for their next sign-in with a password."
    )
