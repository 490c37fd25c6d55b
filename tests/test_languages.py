"""The language a person reads Mirror in: the one chosen in the profile, else the one the
browser asks for, else English. Pages, dates, the pictures' labels, mail and today's prompt
speak it; the export's file format (front matter keys, headings the import reads) does not
change with it."""

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from accounts.models import Reminder
from journal.models import Entry, TimelineEvent
from journal.prompt_languages import texts_in
from tests.factories import make_entry, make_user, sign_in

pytestmark = pytest.mark.django_db

GERMAN_BROWSER = "de-DE,de;q=0.9,en-US;q=0.6,en;q=0.5"


def said_in(language: str, english: str, context: str = "") -> str:
    """`english` as the catalog of `language` says it, escaped as a page shows it."""
    with translation.override(language):
        words = pgettext(context, english) if context else gettext(english)
    assert words != english, f"{english!r} is not translated in {language}"
    return escape(words)


def test_a_signed_out_visitor_with_a_german_browser_reads_the_landing_page_in_german(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=GERMAN_BROWSER)
    page = response.text
    assert '<html lang="de" dir="ltr">' in page
    for english in (
        "A quiet place to write through the twin-flame journey.",
        "No one else reads your entries: not other users, not the people who run the site.",
        "Start your journal",
        "Log in",
    ):
        assert said_in("de", english) in page
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]  # a shared cache keeps each language apart


@pytest.mark.parametrize(
    ("asks", "speaks"),
    [("pt-BR,pt;q=0.9", "pt-br"), ("fr-CA", "fr"), ("es-MX,es;q=0.8", "es"), ("ja,zh", "en")],
)
def test_the_browsers_language_is_spoken_when_mirror_has_it_else_english(client, asks, speaks):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=asks).text
    assert f'<html lang="{speaks}"' in page


def test_the_language_chosen_in_the_profile_is_kept_and_wins_over_the_browser(alice_client, alice):
    answer = alice_client.post(
        "/accounts/profile/",
        {
            "display_name": "Alice",
            "time_zone": alice.time_zone,
            "language": "es",
            "perspective": alice.perspective,
        },
        HTTP_ACCEPT_LANGUAGE=GERMAN_BROWSER,
    )
    assert answer.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "es"
    page = alice_client.get("/entries/", HTTP_ACCEPT_LANGUAGE=GERMAN_BROWSER).text
    assert '<html lang="es"' in page
    assert said_in("es", "Timeline") in page and said_in("es", "Write") in page


def test_a_spanish_reader_sees_dates_todays_prompt_and_the_pictures_in_spanish(alice_client, alice):
    alice.language = "es"
    alice.save()
    make_entry(alice, title="Marzo", written_on=dt.date(2025, 3, 14), mood=3)
    entry = Entry.objects.get(user=alice)

    page = alice_client.get(entry.get_absolute_url()).text
    assert "viernes, 14 de marzo de 2025" in page

    home = alice_client.get("/")
    prompt = home.context["prompt"]
    assert prompt.key and escape(texts_in("es")[prompt.key]) in home.text

    calendar = alice_client.get("/calendar/?year=2025").text
    assert "marzo" in calendar.lower() and "March" not in calendar


def test_the_timeline_pictures_axis_speaks_the_readers_language(alice_client, alice):
    alice.language = "de"
    alice.save()
    TimelineEvent.objects.create(user=alice, kind="meeting", occurred_on=dt.date(2024, 1, 9))
    TimelineEvent.objects.create(
        user=alice, kind="separation", occurred_on=dt.date(2024, 5, 2), initiator="them"
    )
    page = alice_client.get("/timeline/").text
    assert '<html lang="de"' in page
    assert "Mai" in page  # a month on the axis, or a date in the list
    assert said_in("de", "Separation %(number)s — they ran") % {"number": 1} in page


def test_an_entry_keeps_the_prompt_in_the_language_it_was_shown(alice_client, alice):
    alice.language = "fr"
    alice.save()
    home = alice_client.get("/")
    prompt = home.context["prompt"]
    shown = texts_in("fr")[prompt.key]
    answer = alice_client.post(
        f"/entries/new/?prompt={prompt.pk}",
        {
            "body": "Quelques mots.",
            "kind": "reflection",
            "written_on": "2025-03-14",
            "prompt": prompt.pk,
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    entry = Entry.objects.get(user=alice)
    assert entry.prompt_text == shown
    alice.language = "en"
    alice.save()
    assert escape(shown) in alice_client.get(entry.get_absolute_url()).text  # as answered


def test_a_reminder_is_written_in_its_owners_language(mailoutbox):
    from accounts.reminders import send_due

    user = make_user("abends@example.com", time_zone="Europe/Berlin", language="de")
    Reminder.objects.create(user=user, enabled=True, time=dt.time(21, 30))
    assert send_due(dt.datetime(2026, 3, 30, 19, 30, tzinfo=dt.UTC)) == 1  # 21:30 in Berlin
    [message] = mailoutbox
    subject = said_in("de", "A moment for yourself, whenever you are ready.")
    assert message.subject == subject and subject in message.body
    assert "21:30" in message.body


def test_the_export_keeps_its_format_and_speaks_the_readers_language(alice_client, alice):
    alice.language = "pt-br"
    alice.save()
    make_entry(alice, title="Um dia", written_on=dt.date(2025, 3, 14), tags=["mar"])
    data = b"".join(alice_client.get("/export/journal.zip").streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        readme = archive.read("README.md").decode()
        entry = archive.read(next(n for n in names if n.startswith("entries/"))).decode()
    assert entry.startswith("---\nid: ") and "\ndate: 2025-03-14\n" in entry
    assert "\ntitle: Um dia\n" in entry and "\ntags: [mar]\n" in entry
    assert "\nkind: reflection\n" in entry  # a value the import reads, not prose
    assert readme.startswith("# Seu diário Mirror\n\nExportado do Mirror em ")
    assert "`entries/YYYY/YYYY-MM-DD-<title>.md`" in readme  # file names are the format


def test_a_page_drawn_in_one_language_is_never_served_from_its_cache_in_another(alice, bob):
    """Fragments kept in the process (journal.figures, the prompt library, the pictures)
    are kept per language: a reader who changes language, and a reader of another language
    after them, get their own words."""
    for user in (alice, bob):
        make_entry(user, title="Marzo", written_on=dt.date(2025, 3, 14), mood=3)
        TimelineEvent.objects.create(user=user, kind="meeting", occurred_on=dt.date(2025, 3, 1))
    bob.language = "de"
    bob.save()
    alice_client, bob_client = Client(), Client()
    sign_in(alice_client, alice)
    sign_in(bob_client, bob)
    prompt = next(iter(texts_in("de").values()))  # the library's first, unfiltered
    pages = {
        "/prompts/": escape(prompt),
        "/calendar/?year=2025": said_in("de", "March"),
        "/timeline/": said_in("de", "Timeline"),
        "/entries/": said_in("de", "Write an entry"),
        "/": said_in("de", "Timeline"),
    }
    for path, german in pages.items():
        assert german not in alice_client.get(path).text, path  # English, and now kept
        assert german in bob_client.get(path).text, path
    alice.language = "de"
    alice.save()
    for path, german in pages.items():
        assert german in alice_client.get(path).text, path
