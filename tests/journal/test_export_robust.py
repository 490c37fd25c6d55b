"""A backup is never cut short: whatever dates are already stored (year 1, year 9999, in
any time zone) export completely, and an export that fails part way ends as a download
that visibly failed, never as a shorter archive that looks whole."""

import base64
import datetime as dt
import io
import logging
import os
import zipfile

import frontmatter
import pytest
from django.urls import reverse

from journal.archive.writing import ExportInterrupted
from journal.models import Entry
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

ZIP = reverse("journal:export-zip")
MD = reverse("journal:export-md")

MOMENTS = [
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(1979, 12, 31, 23, 59, tzinfo=dt.UTC),
    dt.datetime(2200, 1, 1, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
]
ZONES = ["America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "UTC"]


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def entry_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {
            info.filename: archive.read(info)
            for info in archive.infolist()
            if info.filename.startswith("entries/")
        }


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: str(m.year))
def test_stored_extreme_dates_export_every_entry(alice_client, alice, zone, moment):
    alice.time_zone = zone
    alice.save()
    make_entry(alice, title="Before", written_on=dt.date(2025, 1, 1))
    odd = make_entry(alice, title="Odd", written_on=dt.date(1, 1, 1))
    late = make_entry(alice, title="Late", written_on=dt.date(9999, 12, 31))
    make_entry(alice, title="After", written_on=dt.date(2025, 1, 2))
    Entry.objects.filter(pk__in=[odd.pk, late.pk]).update(created_at=moment, updated_at=moment)
    members = entry_members(download(alice_client.get(ZIP)))
    assert len(members) == 4
    titles = {frontmatter.loads(text.decode())["title"] for text in members.values()}
    assert titles == {"Before", "Odd", "Late", "After"}
    document = download(alice_client.get(MD)).decode()
    assert all(f"### {title}" in document for title in titles)


def test_zip_member_dates_are_clamped_to_what_a_zip_holds(alice_client, alice):
    early = make_entry(alice, written_on=dt.date(1970, 1, 1))
    late = make_entry(alice, written_on=dt.date(2025, 1, 1))
    Entry.objects.filter(pk=early.pk).update(updated_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC))
    Entry.objects.filter(pk=late.pk).update(updated_at=dt.datetime(9000, 1, 1, tzinfo=dt.UTC))
    with zipfile.ZipFile(io.BytesIO(download(alice_client.get(ZIP)))) as archive:
        stamps = sorted(i.date_time for i in archive.infolist() if i.filename.startswith("entr"))
    assert stamps[0] == (1980, 1, 1, 0, 0, 0)
    assert stamps[-1][0] == 2107


def test_the_created_time_of_a_stored_year_one_entry_is_written_in_utc(alice_client, alice):
    alice.time_zone = "America/New_York"  # year 1 there would be year 0: no such year
    alice.save()
    entry = make_entry(alice, written_on=dt.date(2025, 1, 1))
    Entry.objects.filter(pk=entry.pk).update(created_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC))
    (text,) = entry_members(download(alice_client.get(ZIP))).values()
    assert "created: 0001-01-01T00:00:00+00:00" in text.decode()


# A failure part way -----------------------------------------------------------------------


@pytest.fixture
def breaking_journal(alice):
    """Enough entries that the zip hands out data before the last one, which holds a
    stored value that makes writing its file fail (feelings that are not a list)."""
    for number in range(30):
        words = base64.b64encode(os.urandom(3000)).decode()  # does not compress away
        make_entry(alice, title=f"Private title {number}", body=f"Private words {words}")
    broken = make_entry(alice, title="Private last", written_on=dt.date(2025, 12, 31))
    Entry.objects.filter(pk=broken.pk).update(feelings=5)


def read_until_failure(response) -> bytes:
    received = []
    with pytest.raises(ExportInterrupted):
        for chunk in response.streaming_content:
            received.append(chunk)
    return b"".join(received)


def test_a_zip_that_fails_part_way_never_looks_whole(alice_client, breaking_journal, caplog):
    caplog.set_level(logging.INFO)
    received = read_until_failure(alice_client.get(ZIP))
    assert len(received) > 64 * 1024  # entries were sent before it failed
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(received))
    (record,) = [r for r in caplog.records if r.name == "mirror.export"]
    assert record.levelno == logging.ERROR
    assert "export_failed" in record.getMessage()
    assert "format=zip" in record.getMessage()
    assert "error=TypeError" in record.getMessage()
    assert "Private" not in caplog.text


def test_a_document_that_fails_part_way_says_so_at_its_end(alice_client, breaking_journal, caplog):
    received = read_until_failure(alice_client.get(MD)).decode()
    assert received.rstrip().endswith("Download it again from Export in Mirror.")
    assert "this document is incomplete" in received
    assert "Private" not in caplog.text


def test_the_export_page_says_how_a_failed_download_looks(alice_client):
    page = alice_client.get(reverse("journal:export"))
    assert "If a download stops part way, your browser marks it as failed" in page.text
    assert "download it again" in page.text
