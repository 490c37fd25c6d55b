"""Bringing a Day One journal in, in a real browser: the preview shows what the export
holds without leaving the page, then Import brings in that same file, once."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_user
from tests.journal.sources.test_dayone import ENTRY, UNTITLED, export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, data: bytes) -> None:
    page.get_by_label("File").set_input_files(
        {"name": "Day One Export.zip", "mimeType": "application/zip", "buffer": data}
    )


def test_a_day_one_export_is_previewed_then_imported_once(page):
    make_user("arriving@example.com")
    log_in(page, "arriving@example.com")
    page.goto(page.base_url + "/import/")
    data = export({"Journal": [ENTRY, UNTITLED]})
    choose(page, data)
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#import-preview")
    expect(preview.get_by_role("heading", name="What this file holds")).to_be_visible()
    expect(preview).to_contain_text("Day One: 2 entries")
    expect(preview.locator("#preview-skipped")).to_contain_text("2 audio files")
    expect(preview).to_contain_text("Press Import to bring these in.")
    assert page.url.endswith("/import/")  # the same page: the file is still chosen
    assert_accessible(page, "import preview")

    page.get_by_role("button", name="Import 2 new entries").click()
    expect(page.get_by_text("Import complete: 2 new, 0 already here")).to_be_visible()
    page.goto(page.base_url + "/entries/")
    expect(page.get_by_role("link", name="The lighthouse. Again!")).to_be_visible()

    # The same export again: recognised, nothing new.
    page.goto(page.base_url + "/import/")
    choose(page, data)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-counts")).to_contain_text("2 already in your journal")
    expect(page.get_by_role("button", name="Import 0 new entries")).to_be_visible()


def test_a_file_mirror_does_not_know_is_refused_beside_the_field(page):
    make_user("wrongfile@example.com")
    log_in(page, "wrongfile@example.com")
    page.goto(page.base_url + "/import/")
    page.get_by_label("File").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Just words."}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Mirror does not know this file.")).to_be_visible()
    expect(page.locator("#import-preview h2")).to_have_count(0)
