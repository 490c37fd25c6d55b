"""Taking the journal out: the zip of entry files, the single Markdown document, the
print-ready page, one entry's file, the management command, and that nobody else can."""

import datetime as dt
import io
import re
import uuid
import zipfile

import frontmatter
import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.archive.frontmatter import yaml_scalar
from journal.archive.plain import markdown_text
from journal.models import Entry, Prompt, TimelineEvent
from tests.factories import PASSWORD, RECOVERY, make_entry, sign_in

pytestmark = pytest.mark.django_db

EXPORT = reverse("journal:export")
MD = reverse("journal:export-md")
ZIP = reverse("journal:export-zip")
PRINT = reverse("journal:export-print")

AWKWARD_TITLES = [
    'Re: "the talk" — it\'s #1',
    "- a dash first, then: a colon",
    "🔥 twin flame 🔥",
    "שלום, אהובי",
    "yes",
    "2025-03-14",
    "Line one\nline two",
    "💔",
    "",
]
AWKWARD_BODIES = [
    "---\ntitle: not the front matter\n---\nStill the body, after a fake block.\n",
    "```yaml\n---\nkey: value\n...\n```\n\nCode, fenced.",
    "Windows\r\nline endings\r\n\r\nkept.\r\n",
    "مرحبا — right to left, with an emoji 🌙 and a ZWJ 👩\u200d❤\ufe0f\u200d👨",
    "   leading spaces, and trailing blank lines\n\n\n",
]


def event(user, kind, day, initiator="", note=""):
    return TimelineEvent.objects.create(
        user=user, kind=kind, occurred_on=day, initiator=initiator, note=note
    )


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def journal(alice):
    """Every field filled, awkward titles and bodies, a timeline with a separation."""
    alice.time_zone = "Europe/Berlin"
    alice.save()
    builtin = Prompt.objects.filter(user__isnull=True, retired=False).order_by("id").first()
    event(alice, "meeting", dt.date(2024, 2, 1), note="At the *station*.")
    event(
        alice, "separation", dt.date(2025, 3, 1), "me", note="I left.\r\nFirst line.\r\n\r\nMore."
    )
    event(alice, "urge", dt.date(2025, 3, 5))
    event(alice, "urge", dt.date(2025, 3, 5))
    entries = []
    for number, title in enumerate(AWKWARD_TITLES):
        entries.append(
            make_entry(
                alice,
                title=title,
                body=AWKWARD_BODIES[number % len(AWKWARD_BODIES)],
                written_on=dt.date(2025, 2, 20) + dt.timedelta(days=number * 2),
                kind=["reflection", "letter", "dream", "sign"][number % 4],
                mood=number % 5 + 1,
                feelings=["fear", "longing"] if number % 2 else ["peace"],
                stage="running/chasing" if number % 2 else "surrender",
                prompt=builtin if number % 3 == 0 else None,
                tags=["mirror", "inner work", "café"][: number % 4],
            )
        )
    # The same title twice on one day, and a prompt that is only text.
    for _ in range(2):
        entries.append(
            make_entry(alice, title="Again", body="Same day.", written_on=dt.date(2025, 3, 2))
        )
    entries[-1].prompt_text = "Dear you: what now? #late"
    entries[-1].save(update_fields=["prompt_text"])
    return alice


# The zip ----------------------------------------------------------------------------------


def test_zip_holds_one_file_per_entry_a_timeline_and_a_readme(alice_client, journal):
    response = alice_client.get(ZIP)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    today = journal.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mirror-journal-{today}.zip"'
    data = content(response)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert archive.testzip() is None
    files = zip_files(data)
    entry_names = sorted(name for name in files if name.startswith("entries/"))
    assert len(entry_names) == Entry.objects.filter(user=journal).count()
    assert all(re.fullmatch(r"entries/\d{4}/\d{4}-\d{2}-\d{2}-.+\.md", n) for n in entry_names)
    assert {"README.md", "timeline.md"} <= set(files)
    assert b"/import/" in files["README.md"]


def test_file_names_keep_letters_of_any_script_and_stay_unique(alice_client, journal):
    names = set(zip_files(content(alice_client.get(ZIP))))
    assert "entries/2025/2025-02-26-שלום-אהובי.md" in names  # Hebrew kept
    assert "entries/2025/2025-02-24-twin-flame.md" in names  # emoji dropped
    assert "entries/2025/2025-03-06-sign.md" in names  # "💔": no letters, the kind
    assert "entries/2025/2025-03-08-reflection.md" in names  # no title: the kind
    assert {"entries/2025/2025-03-02-again.md", "entries/2025/2025-03-02-again-2.md"} <= names


def test_entry_files_parse_with_an_independent_reader_and_match_the_database(alice_client, journal):
    files = zip_files(content(alice_client.get(ZIP)))
    entries = {str(e.pk): e for e in Entry.objects.filter(user=journal)}
    seen = set()
    for name, data in files.items():
        if not name.startswith("entries/"):
            continue
        post = frontmatter.loads(data.decode())
        meta = post.metadata
        entry = entries[meta["id"]]
        seen.add(meta["id"])
        assert list(meta) == [
            "id", "date", "title", "kind", "mood", "feelings", "stage", "perspective",
            "period", "prompt", "tags", "created", "updated",
        ]  # fmt: skip
        assert meta["date"] == entry.written_on
        assert (meta["title"] or "") == entry.title
        assert meta["kind"] == entry.kind
        assert meta["mood"] == entry.mood
        assert meta["feelings"] == entry.feelings
        assert (meta["stage"] or "") == entry.stage
        assert (meta["prompt"] or "") == entry.prompt_text
        assert meta["tags"] == sorted(tag.name for tag in entry.tags.all())
        assert meta["created"] == entry.created_at.replace(microsecond=0)
        assert meta["updated"] == entry.updated_at.replace(microsecond=0)
        # The body, byte for byte, after the closing line (python-frontmatter strips it).
        assert data.decode().endswith("\n---\n" + entry.body)
    assert seen == set(entries)


def test_front_matter_looks_like_the_design(alice, alice_client):
    alice.time_zone = "Europe/Berlin"
    alice.save()
    event(alice, "separation", dt.date(2025, 3, 1), "me")
    entry = make_entry(
        alice,
        title="The morning after",
        written_on=dt.date(2025, 3, 14),
        mood=2,
        feelings=["fear", "longing"],
        stage="running/chasing",
        tags=["mirror", "family"],
    )
    entry.prompt_text = "What exactly were you afraid would happen if you stayed?"
    entry.save(update_fields=["prompt_text"])
    Entry.objects.filter(pk=entry.pk).update(
        created_at=dt.datetime(2025, 3, 14, 6, 12, 3, 500, tzinfo=dt.UTC),
        updated_at=dt.datetime(2025, 3, 14, 6, 40, 11, tzinfo=dt.UTC),
    )
    text = alice_client.get(reverse("journal:entry-markdown", args=[entry.pk])).text
    assert text == (
        "---\n"
        f"id: {entry.pk}\n"
        "date: 2025-03-14\n"
        "title: The morning after\n"
        "kind: reflection\n"
        "mood: 2\n"
        "feelings: [fear, longing]\n"
        "stage: running/chasing\n"
        "perspective: runner\n"
        "period: Separation 1 — you ran\n"
        "prompt: What exactly were you afraid would happen if you stayed?\n"
        "tags: [family, mirror]\n"
        "created: 2025-03-14T07:12:03+01:00\n"
        "updated: 2025-03-14T07:40:11+01:00\n"
        "---\n"
        "Today I noticed the quiet."
    )


def test_unset_values_are_left_empty_and_lists_are_empty(alice, alice_client):
    entry = make_entry(alice, title="", mood=None, feelings=[], stage="")
    text = alice_client.get(reverse("journal:entry-markdown", args=[entry.pk])).text
    for line in ["title:", "mood:", "stage:", "perspective:", "period:", "prompt:"]:
        assert f"\n{line}\n" in text
    assert "\nfeelings: []\n" in text
    assert "\ntags: []\n" in text
    assert "\nkind: reflection\n" in text


@pytest.mark.parametrize(
    "text",
    [
        'Re: "the talk"',
        "#hashtag",
        "a # comment?",
        "- leading dash",
        "? question",
        "emoji 🔥",
        "line\nbreak",
        "tab\there",
        "yes",
        "No",
        "null",
        "~",
        "3.10",
        "0x1F",
        "1:20",
        "2025-03-14",
        "[not, a, list]",
        "{not: a map}",
        "back\\slash",
        "trailing space ",
        "'single'",
        "*alias",
        "&anchor",
        "!tag",
        "%directive",
        "@at",
        "`tick",
        "|",
        ">",
        "\u2028separator",
        "\ufeffbom",
        "nel\x85",
        "bell\x07",
        "שלום עולם",
    ],
)
def test_awkward_strings_stay_valid_yaml(text):
    line = f"title: {yaml_scalar(text)}\ntags: [{yaml_scalar(text, in_list=True)}, plain]\n"
    assert "\n" not in line.rstrip("\n").replace("\ntags", "")  # one line per key
    assert yaml.safe_load(line) == {"title": text, "tags": [text, "plain"]}
    post = frontmatter.loads(f"---\n{line}---\nbody")
    assert post["title"] == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_any_string_survives_the_front_matter(text):
    document = f"key: {yaml_scalar(text)}\nlist: [{yaml_scalar(text, in_list=True)}]\n"
    assert yaml.safe_load(document) == {"key": text, "list": [text]}


# The single document ----------------------------------------------------------------------


def test_journal_md_holds_every_entry_once_in_date_order_under_its_period(alice_client, journal):
    response = alice_client.get(MD)
    assert response.streaming
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-{journal.today()}.md"')
    text = content(response).decode()
    assert text.startswith("# Mirror journal of Alice\n")
    timeline = text.index("## Timeline")
    together = text.index("## Together\n")
    separation = text.index("## Separation 1 — you ran\n")
    assert timeline < together < separation
    entries = list(Entry.objects.filter(user=journal))
    bodies = [entry.body for entry in entries]
    for entry in entries:
        assert text.count(entry.body) == bodies.count(entry.body)
        heading = f"\n### {markdown_text(' '.join(entry.display_title.split()))}\n\n*"
        assert text.count(heading) == [e.display_title for e in entries].count(entry.display_title)
    days = re.findall(r"\n### .*\n\n\*\w+, (\d+ \w+ \d{4}) ·", text)
    dates = [dt.datetime.strptime(day, "%d %B %Y").date() for day in days]
    assert len(dates) == len(entries)
    assert dates == sorted(dates) == sorted(entry.written_on for entry in entries)
    assert text.count("\n### ") == Entry.objects.filter(user=journal).count()
    # Facts, the prompt and the body exactly as written.
    assert "- **Feelings:** Fear, Longing" in text
    assert "Windows\r\nline endings\r\n\r\nkept.\r\n" in text
    assert "- 2025-03-01 separation (who left: me): I left.\n  First line.\n\n  More." in text


def test_journal_md_of_an_empty_journal_says_so(alice_client):
    text = content(alice_client.get(MD)).decode()
    assert "0 entries" in text
    assert "No entries in this selection." in text


# Selection --------------------------------------------------------------------------------


def test_one_period_selects_the_same_entries_everywhere(alice_client, journal):
    query = "?period=separation-1"
    names = [n for n in zip_files(content(alice_client.get(ZIP + query))) if "entries/" in n]
    in_period = Entry.objects.filter(user=journal, written_on__gte=dt.date(2025, 3, 1))
    assert len(names) == in_period.count() > 0
    text = content(alice_client.get(MD + query)).decode()
    assert "## Together" not in text
    assert text.count("\n### ") == in_period.count()
    assert "- 2024-02-01 meeting" not in text  # the timeline of the selection only
    page = alice_client.get(PRINT + query)
    assert sum(len(g.entries) for g in page.context["groups"]) == in_period.count()


def test_a_date_range_selects_inclusively(alice_client, journal):
    query = "?from=2025-02-20&to=2025-02-24"
    response = alice_client.get(ZIP + query)
    assert "2025-02-20-to-2025-02-24" in response["Content-Disposition"]
    names = [n for n in zip_files(content(response)) if n.startswith("entries/")]
    assert [n[13:23] for n in sorted(names)] == ["2025-02-20", "2025-02-22", "2025-02-24"]


@pytest.mark.parametrize("url", [MD, ZIP, PRINT])
def test_a_bad_selection_goes_back_to_the_choices_with_the_reason(alice_client, journal, url):
    response = alice_client.get(url + "?period=separation-9&from=2025-02-30")
    assert response.status_code == 302
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "not on your timeline" in errors["period"][0]
    assert "real date" in errors["date_from"][0]


def test_the_choices_page_offers_periods_dates_and_formats(alice_client, journal):
    page = alice_client.get(EXPORT)
    assert page.status_code == 200
    text = page.text
    for name in ['name="period"', 'name="from"', 'name="to"', 'name="format"']:
        assert name in text
    assert '<option value="separation-1">Separation 1 — you ran</option>' in text
    assert PRINT in text and reverse("journal:import") in text
    assert "style=" not in text and "<script>" not in text
    response = alice_client.get(EXPORT + "?period=together-1&from=&to=&format=md")
    assert response["Location"] == MD + "?period=together-1"
    response = alice_client.get(EXPORT + "?from=2025-01-01&format=print")
    assert response["Location"] == PRINT + "?from=2025-01-01"


def test_swapped_dates_are_explained(alice_client, journal):
    page = alice_client.get(EXPORT + "?from=2025-03-01&to=2025-02-01&format=zip")
    assert page.status_code == 200
    assert "swap the two dates" in page.context["form"].errors["date_to"][0]


# The print page ---------------------------------------------------------------------------


def test_print_page_shows_stored_html_grouped_by_period_with_a_print_stylesheet(
    alice_client, journal
):
    make_entry(journal, title="<b>not bold</b>", body="*soft* <script>x()</script>")
    page = alice_client.get(PRINT)
    assert page.status_code == 200
    text = page.text
    assert 'href="/static/css/print.css"' in text
    assert "style=" not in text and "<script>x()" not in text
    assert "<em>soft</em>" in text  # the stored, sanitized HTML
    assert "&lt;b&gt;not bold&lt;/b&gt;" in text  # a title is text
    assert text.count('class="print-period"') == 2  # Together, then the separation
    assert text.index("Together") < text.index("Separation 1 — you ran")


def test_print_stylesheet_hides_navigation_and_breaks_pages_between_periods(settings):
    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    rules = css[css.index("@media print") :]
    assert ".site-header" in rules and "display: none" in rules
    assert ".print-period + .print-period { break-before: page; }" in rules


# One entry --------------------------------------------------------------------------------


def test_entry_page_offers_its_markdown_file(alice_client, entry):
    page = alice_client.get(entry.get_absolute_url())
    assert reverse("journal:entry-markdown", args=[entry.pk]) in page.text
    response = alice_client.get(reverse("journal:entry-markdown", args=[entry.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="2025-03-14-the-morning-after.md"'
    )
    assert response.text.endswith("---\nI *woke* early.")


def test_other_user_gets_404_on_an_entry_file(bob_client, entry):
    response = bob_client.get(reverse("journal:entry-markdown", args=[entry.pk]))
    assert response.status_code == 404
    missing = bob_client.get(reverse("journal:entry-markdown", args=[uuid.uuid4()]))
    assert missing.status_code == 404


def test_other_users_export_holds_none_of_alices_entries(bob_client, journal):
    files = zip_files(content(bob_client.get(ZIP)))
    assert not [name for name in files if name.startswith("entries/")]
    assert b"separation" not in files["timeline.md"].split(b"\n\n", 2)[-1]
    text = content(bob_client.get(MD)).decode()
    assert "Again" not in text and "0 entries" in text
    assert not bob_client.get(PRINT).context["groups"]


@pytest.mark.parametrize(
    "name", ["journal:export", "journal:export-md", "journal:export-zip", "journal:export-print"]
)
def test_export_pages_need_login_and_refuse_other_methods(client, alice, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    sign_in(client, alice)
    assert client.post(url).status_code == 405


def test_entry_file_needs_login_and_refuses_post(client, entry):
    url = reverse("journal:entry-markdown", args=[entry.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    sign_in(client, entry.user)
    assert client.post(url).status_code == 405


# Streaming --------------------------------------------------------------------------------


def many_entries(user, count: int) -> None:
    now = timezone.now()
    Entry.objects.bulk_create(
        Entry(
            user=user,
            title=f"Day {n}",
            body=f"Entry {n}. " + "A quiet paragraph of a long journal. " * 30,
            written_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("url", [ZIP, MD])
def test_first_bytes_arrive_before_the_whole_journal_is_read(alice_client, alice, url):
    many_entries(alice, 700)  # three chunks of 250 entries
    chunks = iter(alice_client.get(url).streaming_content)
    with CaptureQueriesContext(connection) as reading:
        received = next(chunks)
        while b"Entry 0." not in received and b"entries/2020/2020-01-01" not in received:
            received += next(chunks)
    entry_reads = [q for q in reading.captured_queries if '"journal_entry"."body"' in q["sql"]]
    assert len(entry_reads) == 1  # one query, read a chunk at a time as the file is sent
    received += b"".join(chunks)
    assert received.count(b"A quiet paragraph") >= 700 * 30 or url == ZIP


# The management command -------------------------------------------------------------------


def typed(monkeypatch, *lines: str) -> None:
    """What the operator types at the command's prompts (its standard input)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_command_writes_the_same_zip_and_document(journal, tmp_path, client, monkeypatch):
    typed(monkeypatch, PASSWORD, PASSWORD)
    call_command("export_journal", "ALICE@example.com", str(tmp_path / "out.zip"))
    sign_in(client, journal)
    from_command = zip_files((tmp_path / "out.zip").read_bytes())
    from_page = zip_files(content(client.get(ZIP)))
    assert set(from_command) == set(from_page)
    assert {n: d for n, d in from_command.items() if n.startswith("entries/")} == {
        n: d for n, d in from_page.items() if n.startswith("entries/")
    }
    call_command("export_journal", "alice@example.com", str(tmp_path / "out.txt"), format="md")
    assert (tmp_path / "out.txt").read_text().startswith("# Mirror journal of Alice")


def test_command_cannot_read_a_journal_without_its_password_or_recovery_key(
    journal, tmp_path, monkeypatch
):
    typed(monkeypatch, "a guess")
    with pytest.raises(CommandError, match="That password does not open this journal"):
        call_command("export_journal", "alice@example.com", str(tmp_path / "out.zip"))
    assert not (tmp_path / "out.zip").exists()
    typed(monkeypatch, RECOVERY[journal.pk])
    call_command("export_journal", "alice@example.com", str(tmp_path / "out.md"), recovery_key=True)
    assert (tmp_path / "out.md").read_text().startswith("# Mirror journal of Alice")


def test_command_refuses_an_unknown_email(db, tmp_path):
    with pytest.raises(CommandError, match="No account"):
        call_command("export_journal", "nobody@example.com", str(tmp_path / "out.zip"))
