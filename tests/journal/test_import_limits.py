"""What one import may cost: every limit refuses a hostile archive while it is read (naming
the file and the limit, importing nothing, in little time and memory), an honest archive at
the edges of the limits still imports, and an upload over the limit stops early with a
message beside the field."""

import io
import re
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from bench.zips import lying_sizes
from journal.archive import importing, reading
from journal.archive.reading import ImportRejected
from journal.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Entry
from tests.factories import make_demo_journal, make_user, sign_in
from tests.journal.test_import import (
    IMPORT,
    export,
    make_zip,
    run_import,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db

FRONT = "---\ndate: 2025-03-14\n---\n"
TOO_LARGE = (
    "That file is larger than 50 MB, the most Mirror imports at once. Export a range of dates "
    "(or one period) and import each part."
)


def refusal(user, data: bytes) -> tuple[list[str], float, float]:
    """The problems of a refused archive, and the seconds and peak MB (Python's own
    allocations) it took to refuse it; nothing of anybody's is changed."""
    before = snapshot()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(ImportRejected) as caught:
            run_import(user, data)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert snapshot() == before
    return caught.value.problems, seconds, peak


def front_matter(*lines: str, body: str = "Body.") -> str:
    return "---\ndate: 2025-03-14\n" + "".join(line + "\n" for line in lines) + "---\n" + body


# Each limit -------------------------------------------------------------------------------


def test_a_10_mb_body_is_refused_from_the_zip_header_before_it_is_unpacked(alice):
    data = make_zip({"entries/long.md": FRONT + "word " * 2_000_000})
    problems, seconds, peak = refusal(alice, data)
    assert problems == [
        "entries/long.md: the file is 9.5 MB; Mirror reads entry files up to 512 KB (an entry "
        "keeps up to 100,000 characters)"
    ]
    assert seconds < 1 and peak < 2


def test_a_body_over_100000_characters_is_refused(alice):
    body = "é" * (BODY_MAX_LENGTH + 1)  # 200 KB: under the file limit, over the body limit
    problems, _, _ = refusal(alice, make_zip({"entries/2025/long.md": FRONT + body}))
    assert problems == [
        "entries/2025/long.md: the body is 100,001 characters; Mirror keeps entries up to "
        "100,000 characters"
    ]


def test_a_30_mb_title_is_refused_from_the_zip_header(alice):
    text = "---\ndate: 2025-03-14\ntitle: " + "x" * 30_000_000 + "\n---\nBody."
    problems, seconds, peak = refusal(alice, make_zip({"entries/title.md": text}))
    assert problems == [
        "entries/title.md: the file is 28.6 MB; Mirror reads entry files up to 512 KB (an "
        "entry keeps up to 100,000 characters)"
    ]
    assert seconds < 1 and peak < 2


def test_a_title_over_200_characters_is_refused(alice):
    text = front_matter("title: " + "t" * (TITLE_MAX_LENGTH + 1))
    problems, _, _ = refusal(alice, make_zip({"entries/title.md": text}))
    assert problems == [
        "entries/title.md: the title is 201 characters; Mirror keeps titles up to 200 characters"
    ]


def test_500000_front_matter_keys_are_refused_fast(alice):
    keys = "".join(f"k{number}: v\n" for number in range(500_000))
    data = make_zip({"entries/keys.md": "---\ndate: 2025-03-14\n" + keys + "---\nBody."})
    problems, seconds, peak = refusal(alice, data)
    assert problems == [
        "entries/keys.md: the file is 5.1 MB; Mirror reads entry files up to 512 KB (an entry "
        "keeps up to 100,000 characters)"
    ]
    assert seconds < 1 and peak < 2  # accepted before, after 25 s and 640 MB


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            [f"k{number}: v" for number in range(100)],
            "its front matter has 101 keys; Mirror reads up to 100 (an exported file has 14)",
        ),
        (
            ["tags: {" + ", ".join(f"k{number}: v" for number in range(260)) + "}"],
            "its front matter holds more than 500 keys, values and list items; Mirror reads "
            "up to 500",
        ),
        (
            ["tags: [" + ", ".join(["a"] * 600) + "]"],
            "its front matter holds more than 500 keys, values and list items; Mirror reads "
            "up to 500",
        ),
        (
            ["note: " + "n" * 16_000],
            "its front matter is 16,024 characters long; Mirror reads up to 16,000",
        ),
    ],
    ids=["keys", "values-in-a-mapping", "list-items", "characters"],
)
def test_front_matter_over_its_limits_is_refused_before_yaml_builds_it(alice, lines, problem):
    problems, _, _ = refusal(alice, make_zip({"entries/keys.md": front_matter(*lines)}))
    assert problems == [f"entries/keys.md: {problem}"]


def test_keys_written_as_one_mapping_on_one_line_are_counted_too(alice):
    keys = ", ".join(["date: 2025-03-14", *(f"k{number}: v" for number in range(149))])
    problems, _, _ = refusal(alice, make_zip({"entries/keys.md": f"---\n{{{keys}}}\n---\nB"}))
    assert problems == [
        "entries/keys.md: its front matter has 150 keys; Mirror reads up to 100 (an exported "
        "file has 14)"
    ]


def test_a_yaml_alias_bomb_is_refused_before_it_expands(alice):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    problems, seconds, peak = refusal(alice, make_zip({"entries/laughs.md": front_matter(*lines)}))
    assert problems == [
        "entries/laughs.md: its front matter repeats a value by reference (a YAML alias like "
        "*name), which Mirror does not read; write the value out instead"
    ]
    assert seconds < 1 and peak < 2


def test_front_matter_values_of_the_whole_archive_are_counted(alice, monkeypatch):
    """Keys spread over many files, each under its own limits: the archive's budget stops
    them at the file that passes it (lowered here from 500,000 to keep the test fast)."""
    monkeypatch.setattr(reading, "MAX_ARCHIVE_VALUES", 1_000)
    keys = [f"k{number}: v" for number in range(90)]  # 183 values a file, with the date
    files = {f"entries/{number:02}.md": front_matter(*keys) for number in range(10)}
    problems, _, _ = refusal(alice, make_zip(files))
    assert problems == [
        "entries/05.md: with this file, the front matter of the archive holds more than 1,000 "
        "keys, values and list items; Mirror imports up to 1,000 at a time. Split the archive "
        "and import each part."
    ]


def test_more_than_10000_entries_are_refused_from_the_headers(alice):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(reading.MAX_ENTRY_FILES + 1):
            archive.writestr(f"entries/{number:05}.md", FRONT + "Hi.")
    problems, seconds, _ = refusal(alice, buffer.getvalue())
    assert problems == [
        "The archive holds 10,001 entry files; Mirror imports up to 10,000 entries at a time. "
        "Export a range of dates (or one period), or split the archive, and import each part."
    ]
    assert seconds < 2


def test_entry_files_that_unpack_past_12_mb_together_are_refused_from_the_headers(alice):
    filler = FRONT + "x" * 510_000  # each under the file limit, 25 of them over the total
    data = make_zip({f"entries/{number:02}.md": filler for number in range(25)})
    problems, seconds, peak = refusal(alice, data)
    assert problems == ["The archive unpacks to 12.2 MB; Mirror imports at most 12 MB."]
    assert seconds < 1 and peak < 2


def test_pictures_beside_the_entries_do_not_count_towards_the_total(alice):
    data = make_zip({"entries/a.md": FRONT + "Hi.", "attachments/photo.png": b"\x89" * 17_000_000})
    assert run_import(alice, data).created == 1


def test_members_that_unpack_to_tens_of_mb_while_their_headers_say_1_kb_are_stopped(alice):
    files = {f"entries/{number}.md": FRONT + "x" * 5_000_000 for number in range(8)}
    data = lying_sizes(make_zip(files), 1024)
    problems, seconds, peak = refusal(alice, data)
    assert problems == [
        "entries/0.md: the file is damaged or larger than the archive says (Mirror stopped "
        "reading it). Export again and import the new zip."
    ]
    assert seconds < 1 and peak < 2


def central_directory_of(count: int) -> bytes:
    """One empty file, listed `count` times by the zip's central directory."""
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0) + b"a"
    records = b"".join(
        struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 11, 0, 0, 0,
                    0, 0, 0)
        + b"e/%09d" % number
        for number in range(count)
    )  # fmt: skip
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(records), len(local), 0)
    return local + records + end


def test_a_central_directory_listing_100000_files_is_refused_before_zipfile_reads_it(alice):
    problems, seconds, peak = refusal(alice, central_directory_of(100_000))
    assert problems == ["The archive holds more than 20,000 files; Mirror imports at most 20,000."]
    assert seconds < 1 and peak < 2  # zipfile would make 100,000 objects first: 50 MB


def test_a_timeline_of_200000_events_is_refused_at_the_5001st(alice):
    data = make_zip({"timeline.md": "- 2025-03-14 urge\n" * 200_000})
    problems, seconds, _ = refusal(alice, data)
    assert problems == [
        "timeline.md: it lists more than 5,000 events; Mirror imports up to 5,000 at a time"
    ]
    assert seconds < 1


def test_an_import_that_runs_out_of_time_stops_at_a_file_and_imports_nothing(alice, monkeypatch):
    """Texts that each render within journal.markdown's budget could still add up: the
    import stops at MAX_IMPORT_SECONDS (here at once) rather than run into the worker's
    timeout."""
    monkeypatch.setattr(importing, "MAX_IMPORT_SECONDS", 0)
    data = make_zip({"entries/a.md": FRONT + "A.", "entries/b.md": FRONT + "B."})
    problems, _, _ = refusal(alice, data)
    assert problems == [
        "entries/a.md: the import stopped here, after 0 s, the longest Mirror spends on one. "
        "Import the archive in parts: export a range of dates (or one period) at a time."
    ]


# Honest archives still import ---------------------------------------------------------------


def test_an_honest_journal_imports_whole(db):
    owner = make_demo_journal("owner@example.com", days=60, gaps=0)
    carol = make_user("carol@example.com")
    result = run_import(carol, export(owner))
    assert result.created == 60 == Entry.objects.filter(user=carol).count()
    assert result.events_created == owner.timeline_events.count() > 0


def test_an_entry_at_every_limit_imports(alice):
    keys = [f"obsidian-{number}: kept aside" for number in range(98)]  # 100 keys with these
    title = "t" * TITLE_MAX_LENGTH
    body = "😀" * BODY_MAX_LENGTH  # 400 KB of text: the file stays under 512 KB
    text = front_matter(f"title: {title}", *keys, body=body)
    assert len(text.encode()) < reading.MAX_ENTRY_FILE_BYTES
    assert run_import(alice, make_zip({"entries/full.md": text})).created == 1
    entry = Entry.objects.get(user=alice)
    assert (entry.title, len(entry.body)) == (title, BODY_MAX_LENGTH)


# Uploads ------------------------------------------------------------------------------------


class LongUpload(io.RawIOBase):
    """A multipart body as a browser streams it: the form's fields, then a file of `size`
    bytes made up as they are read, never held at once. `sent` counts what was read."""

    def __init__(self, fields: bytes, size: int) -> None:
        self.fields = fields
        self.left = size
        self.sent = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = len(self.fields) + self.left
        if self.fields:
            chunk, self.fields = self.fields[:size], self.fields[size:]
        else:
            chunk = b"\0" * min(size, self.left)
            self.left -= len(chunk)
        self.sent += len(chunk)
        return chunk


def signed_in_with_csrf(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    page = client.get(IMPORT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    # The token comes before the file, so it is read before the upload is stopped.
    assert page.text.index("csrfmiddlewaretoken") < page.text.index('name="archive"')
    return client, token


def test_an_upload_declared_over_50_mb_stops_after_its_first_chunk(alice):
    client, token = signed_in_with_csrf(alice)
    fields = (
        b'--B\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + token.encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="archive"; filename="big.zip"'
        b"\r\nContent-Type: application/zip\r\n\r\n"
    )
    size = 60 * 2**20
    body = LongUpload(fields, size)
    response = client.generic(
        "POST",
        IMPORT,
        CONTENT_TYPE="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(len(fields) + size),
        **{"wsgi.input": body},
    )
    assert response.status_code == 200  # the CSRF check passed: the page answers
    assert response.context["form"].errors["archive"] == [TOO_LARGE]
    field = response.text[response.text.index('class="field') :]
    assert field.index("larger than 50 MB") < field.index('name="archive"')
    assert body.sent < 2**20  # of 60 MB
    assert not Entry.objects.exists()


def test_an_upload_whose_bytes_pass_the_limit_is_stopped_as_they_arrive(alice_client, settings):
    settings.UPLOAD_MAX_BYTES = 100_000  # the Content-Length (120 KB) is within the form's room
    response = alice_client.post(IMPORT, {"archive": upload(b"PK" + b"\0" * 120_000)})
    assert response.status_code == 200
    assert response.context["form"].errors["archive"] == [TOO_LARGE]


@pytest.mark.parametrize("in_memory", [True, False], ids=["in-memory", "temporary-file"])
def test_an_upload_under_the_limit_is_read_whole(alice_client, settings, in_memory):
    settings.UPLOAD_MAX_BYTES = 100_000
    if not in_memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000  # spooled to a temporary file instead
    # One long paragraph: large enough to spool, cheap to render (15,000 short lines took
    # most of the render budget on a busy CI machine, and were refused there).
    archive = make_zip({"entries/a.md": FRONT + " ".join(str(n) for n in range(15_000))})
    assert 1_000 < len(archive) < 100_000
    response = alice_client.post(IMPORT, {"archive": upload(archive), "action": "import"})
    assert response.status_code == 302
    assert Entry.objects.count() == 1


def test_an_entry_at_its_longest_still_posts_as_a_form(alice_client, alice):
    """100,000 four-byte characters, percent-encoded as a browser sends a form: 1.2 MB, under
    DATA_UPLOAD_MAX_MEMORY_SIZE."""
    from urllib.parse import urlencode

    data = urlencode({"body": "😀" * BODY_MAX_LENGTH, "written_on": "2025-03-14", "kind": "dream"})
    assert 1_200_000 < len(data) < 2 * 2**20
    response = alice_client.post(
        reverse("journal:entry-create"), data, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert len(Entry.objects.get(user=alice).body) == BODY_MAX_LENGTH


def test_the_import_page_states_the_limits(alice_client):
    text = " ".join(alice_client.get(IMPORT).text.split())
    for words in [
        "up to 50 MB",
        "up to 10,000 entries and 12 MB of text",
        "a title of up to 200 characters and up to 100,000 characters of text",
        "a file of up to 512 KB",
        "up to 5,000 events",
    ]:
        assert words in text, words
