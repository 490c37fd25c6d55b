"""entry_update: the one path that changes an entry's words (the edit page, restoring)."""

import pytest

from journal.editing import EditConflict, entry_update
from journal.markdown import MarkdownRefused
from tests.factories import make_entry

pytestmark = pytest.mark.django_db


def test_an_update_keeps_the_replaced_words_and_moves_the_version_on(alice):
    entry = make_entry(alice, body="First words.", title="One")
    updated = entry_update(entry=entry, title="One", body="Second words.", started_from=1)
    assert (updated.version, updated.body) == (2, "Second words.")
    assert "Second words." in updated.body_html
    assert [(r.version, r.body) for r in entry.revisions.all()] == [(1, "First words.")]


def test_the_same_words_keep_no_revision(alice):
    entry = make_entry(alice, body="Same words.", title="One")
    entry_update(entry=entry, title="One", body="Same words.")
    assert not entry.revisions.exists()


def test_an_edit_from_an_older_version_is_a_conflict_and_changes_nothing(alice):
    entry = make_entry(alice, body="First words.")
    entry_update(entry=entry, title="", body="Another tab saved this.")
    with pytest.raises(EditConflict) as conflict:
        entry_update(entry=entry, title="", body="My older edit.", started_from=1)
    assert (conflict.value.current.version, conflict.value.current.body) == (
        2,
        "Another tab saved this.",
    )
    entry.refresh_from_db()
    assert (entry.version, entry.revisions.count()) == (2, 1)


def test_a_write_that_fails_takes_the_revision_back(alice):
    entry = make_entry(alice, body="First words.")

    def refused(edited):
        raise MarkdownRefused("too much")

    with pytest.raises(MarkdownRefused):
        entry_update(entry=entry, title="", body="New words.", write=refused)
    entry.refresh_from_db()
    assert (entry.version, entry.body, entry.revisions.count()) == (1, "First words.", 0)
