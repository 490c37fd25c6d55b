"""One rule for tags (journal.tags), the same in the editor and the importer: tags people
write are taken as typed, and only what breaks a URL or a file name is refused."""

import re
from html import unescape

import pytest
from django.urls import reverse

from journal.models import Entry, Tag
from tests.factories import make_entry, the
from tests.journal.test_entries import VALID
from tests.journal.test_import import make_zip, rejected, run_import

pytestmark = pytest.mark.django_db

CREATE = reverse("journal:entry-create")
LIST = reverse("journal:entry-list")


def tag_names(entry: Entry) -> list[str]:
    return [row.name for row in entry.tags.all()]


@pytest.mark.parametrize("typed", ["11:11", "🔥", "-x", "it's", "Café", "Mirror", "👨‍👩‍👧 family"])
def test_the_editor_takes_tags_people_write_as_typed(alice_client, alice, typed):
    response = alice_client.post(CREATE, {**VALID, "tags": f"#{typed}, walks"})
    assert response.status_code == 302, response.context["form"].errors
    entry = Entry.objects.get(user=alice)
    assert sorted(tag_names(entry)) == sorted([typed, "walks"])
    assert typed in entry.tag_names
    page = alice_client.get(entry.get_absolute_url()).text
    assert f"#{typed}" in unescape(page)


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("../x", ["“/”", "“..”"]),
        ('a"b', ['“"”']),
        ("<script>", ["“<”", "“>”"]),
        ("a/b", ["“/”"]),
        ("50%", ["“%”"]),
        ("a?b", ["“?”"]),
        ("c#", ["“#”"]),
    ],
)
def test_the_editor_refuses_what_breaks_a_url_or_a_file_name(alice_client, typed, named):
    typed_line = f"walks, {typed}"
    response = alice_client.post(CREATE, {**VALID, "tags": typed_line})
    assert response.status_code == 200
    assert not Entry.objects.exists()
    form = response.context["form"]
    [error] = form.errors["tags"]
    assert f"“{typed}”" in error  # the tag, by name
    for character in named:  # and what in it cannot be held
        assert character in error
    assert form["tags"].value() == typed_line  # nothing typed is lost
    [beside] = re.findall(r'id="id_tags_error".*?</ul>', response.text, re.S)
    assert unescape(re.sub("<[^>]+>", "", beside.split(">", 1)[1])).strip() == error


def test_a_tag_is_one_in_any_case_and_keeps_the_case_first_typed(alice_client, alice):
    alice_client.post(CREATE, {**VALID, "tags": "Mirror"})
    alice_client.post(CREATE, {**VALID, "tags": "MIRROR, mirror, Cafe\u0301"})
    alice_client.post(CREATE, {**VALID, "tags": "café"})  # the same letters, composed
    tags = Tag.objects.filter(user=alice).named_in_order()
    assert [tag.name for tag in tags] == ["Café", "Mirror"]
    assert [tag.entries.count() for tag in tags] == [2, 2]


def test_tag_links_work_for_colons_emoji_and_any_case(alice_client, alice):
    alice_client.post(CREATE, {**VALID, "title": "Signs", "tags": "11:11, 🔥, Mirror"})
    alice_client.post(CREATE, {**VALID, "title": "Other", "tags": "walks"})
    entry = the(Entry.objects.filter(user=alice), title="Signs")
    page = alice_client.get(entry.get_absolute_url()).text
    links = [unescape(href) for href in re.findall(r'class="tag"[^>]* href="([^"]+)"', page)]
    assert len(links) == 3
    for link in [*links, f"{LIST}?tag=11:11", f"{LIST}?tag=🔥", f"{LIST}?tag=mirror"]:
        listed = alice_client.get(link)
        assert [e.title for e in listed.context["page"].object_list] == ["Signs"], link


def test_an_edit_shows_the_stored_tags_and_saves_them_again(alice_client, alice):
    entry = make_entry(alice, tags=["11:11", "Mirror"])
    url = reverse("journal:entry-edit", args=[entry.pk])
    initial = alice_client.get(url).context["form"].initial["tags"]
    response = alice_client.post(url, {**VALID, "tags": initial, "version": entry.version})
    assert response.status_code == 302
    assert sorted(tag_names(entry)) == ["11:11", "Mirror"]


# The importer follows the same rule -------------------------------------------------------


def entry_file(tags: str) -> str:
    return f"---\ndate: 2025-03-14\ntags: {tags}\n---\nA day.\n"


def test_an_import_with_a_refused_tag_is_refused_naming_the_file_and_the_tag(alice):
    problems = rejected(
        alice,
        make_zip(
            {
                "entries/2025/fine.md": entry_file("[walks]"),
                "entries/2025/path.md": entry_file('["../x"]'),
                "entries/2025/html.md": entry_file('["<script>", ok]'),
                "entries/2025/quote.md": entry_file("['a\"b']"),
            }
        ),
    )
    assert len(problems) == 3
    for path, tag in [("path.md", "../x"), ("html.md", "<script>"), ("quote.md", 'a"b')]:
        [problem] = [p for p in problems if p.startswith(f"entries/2025/{path}: ")]
        assert f"the tag “{tag}” holds" in problem
        assert "characters tags cannot hold" in problem


def test_an_import_takes_what_the_editor_takes_and_matches_tags_in_any_case(alice):
    make_entry(alice, tags=["mirror"])
    run_import(alice, make_zip({"entries/2025/a.md": entry_file('["11:11", "🔥", Mirror, -x]')}))
    imported = the(Entry.objects.filter(user=alice), body="A day.\n")
    assert sorted(tag_names(imported)) == sorted(["11:11", "🔥", "mirror", "-x"])
    assert sorted(imported.tag_names) == sorted(tag_names(imported))  # the list pages' copy
    assert Tag.objects.filter(user=alice, key=Tag.key_for(alice.pk, "mirror")).count() == 1
