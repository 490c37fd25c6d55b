"""Markdown that would keep a worker busy (issue 13): what the forms accept renders within
journal.markdown's budget, or is refused with a message beside the field and the text kept.

The texts come from bench/rendering.py's corpus, at the length limit; the bench prints how
long each takes. These tests hold no timings: a text the bounds failed to tame would
overrun the budget and be refused, and the tests that expect it to render would fail.
"""

import io
import zipfile

import pytest
from django.urls import reverse

from bench.rendering import corpus
from journal.archive.importing import journal_import
from journal.archive.reading import ImportRejected
from journal.archive.selection import Selection
from journal.archive.writing import stream_zip
from journal.markdown import MAX_NESTING, MarkdownRefused, render_markdown
from journal.models import BODY_MAX_LENGTH, Entry, EntryRevision, TimelineEvent
from journal.timeline import Timeline
from tests.factories import make_entry
from tests.journal.test_entries import VALID

AT_THE_LIMIT = corpus(BODY_MAX_LENGTH)
# 50,000 line breaks in one paragraph: over 20 s before the bounds, and still far over the
# budget (each line break is an element of its own). Refused on any machine.
REFUSED = "\n".join(["a"] * (BODY_MAX_LENGTH // 2))
REFUSAL = "one passage has 50,000 lines with no blank line between them"


# Unclosed openers render as the text they are -----------------------------------------------


@pytest.mark.parametrize("name", ["[", "![", "[a](", "<a ", "<http://", "<![CDATA["])
def test_unclosed_openers_at_the_length_limit_render_as_plain_text(name):
    text = AT_THE_LIMIT[name]
    html = render_markdown(text)
    # Every opener is still there, as text: nothing became a link, a tag or an image.
    assert html.count("[") == text.count("[")
    assert html.count("&lt;") == text.count("<")
    assert "href" not in html
    assert html.startswith("<p>") and html.endswith("</p>")


def test_text_whose_openers_cannot_close_renders_exactly_as_before():
    """A pasted log with a thousand unclosed `[`, `(` and `<`: past the scan budget, those
    openers are hidden from Python-Markdown, and the page shows the same HTML as before."""
    line = "12:00:01 a log line [WARN (see <below"
    html = render_markdown("\n".join([line] * 1000))
    assert html == "<p>" + "<br>\n".join([line.replace("<", "&lt;")] * 1000) + "</p>"


HONEST = (
    "# A day [almost] like the others\n\n"
    "I wrote to them (again) and deleted it [sic. Then *this* happened: 3 < 5 > 2, "
    "a **note** in `a[0] < b(` and [the article](https://example.com/a_(b)) "
    'with ![a photo](https://example.com/p.jpg "title").\n'
    "See <https://example.org/x> or (www.example.net/path).\n\n"
    "- one [\n- two (\n    - nested <b>bold</b> and <mark>marked</mark>\n\n"
    "> quoted [link][ref] and \\[escaped\\]\n\n"
    "[ref]: https://example.com/ref\n\n"
    "| a | b |\n|:--|--:|\n| [x](y) | <z |\n\n"
    "```\ncode [ ( <\n```\n"
)
REL = 'rel="nofollow noopener noreferrer"'
# What the renderer gave before the bounds, byte for byte.
HONEST_HTML = (
    "<h2>A day [almost] like the others</h2>\n<p>I wrote to them (again) and deleted it [sic. "
    "Then <em>this</em> happened: 3 &lt; 5 &gt; 2, a <strong>note</strong> in "
    f'<code>a[0] &lt; b(</code> and <a href="https://example.com/a_(b)" {REL}>the article</a> '
    f'with <a href="https://example.com/p.jpg" {REL}>[image: a photo]</a>.<br>\nSee '
    f'<a href="https://example.org/x" {REL}>https://example.org/x</a> or '
    f'(<a href="http://www.example.net/path" {REL}>www.example.net/path</a>).</p>\n<ul>\n'
    "<li>one [</li>\n<li>two (<ul>\n<li>nested <b>bold</b> and <mark>marked</mark></li>\n"
    "</ul>\n</li>\n</ul>\n<blockquote>\n<p>quoted "
    f'<a href="https://example.com/ref" {REL}>link</a> and [escaped]</p>\n</blockquote>\n'
    '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n'
    f'</thead>\n<tbody>\n<tr>\n<td align="left"><a href="y" {REL}>x</a></td>\n'
    '<td align="right">&lt;z</td>\n</tr>\n</tbody>\n</table>\n'
    "<pre><code>code [ ( &lt;\n</code></pre>"
)


def test_honest_text_renders_byte_for_byte_as_before():
    assert render_markdown(HONEST) == HONEST_HTML


def test_runs_of_parentheses_are_linked_as_before():
    """bleach's address search used to take seconds on a long run of `(`."""
    parentheses = BODY_MAX_LENGTH - 100
    html = render_markdown("(" * parentheses + "see (http://example.com/a)")
    assert html.count("(") == parentheses + 1
    assert html.endswith(f'see (<a href="http://example.com/a" {REL}>http://example.com/a</a>)</p>')


# Deep nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("> " * 10_000 + "x", "<blockquote>"),
        (">" * 10_000 + " x", "<blockquote>"),
        ("- " * 10_000 + "x", "<ul>"),
        ("1. " * 10_000 + "x", "<ol>"),
        ("> - " * 10_000 + "x", "<ul>"),
        (AT_THE_LIMIT["list indented"], "<ul>"),
        (corpus(20_000)["quote lines"], "<blockquote>"),
    ],
    ids=["quotes", "quotes-tight", "list", "numbered-list", "mixed", "indented", "quote-lines"],
)
def test_deep_nesting_renders_the_first_levels_and_the_rest_as_text(text, tag):
    html = render_markdown(text)  # never RecursionError (a 500 before)
    assert 10 <= html.count(tag) <= MAX_NESTING
    assert "x" in html


def test_preview_of_deep_nesting_answers(alice_client):
    response = alice_client.post(reverse("journal:preview"), {"body": "- " * 10_000 + "x"})
    assert response.status_code == 200
    assert response.json()["html"].startswith("<ul>")


# Refused texts: a message beside the field, the text kept --------------------------------------


def test_a_refusal_says_what_to_change():
    with pytest.raises(MarkdownRefused, match=REFUSAL) as refused:
        render_markdown(REFUSED)
    assert "Put blank lines between its paragraphs" in str(refused.value)
    assert isinstance(refused.value, ValueError)


@pytest.mark.django_db
def test_a_refused_body_is_explained_beside_the_field_and_kept(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "body": REFUSED})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(REFUSAL in error for error in form.errors["body"])
    assert form["body"].value() == REFUSED
    assert 'id="id_body_error"' in response.text
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_refused_edit_keeps_the_stored_entry(alice_client, entry):
    stored = entry.body_html
    url = reverse("journal:entry-edit", args=[entry.pk])
    response = alice_client.post(url, {**VALID, "body": REFUSED, "version": entry.version})
    assert any(REFUSAL in error for error in response.context["form"].errors["body"])
    assert response.context["form"]["body"].value() == REFUSED
    entry.refresh_from_db()
    assert entry.body_html == stored


@pytest.mark.django_db
def test_a_version_that_cannot_render_is_not_restored_and_nothing_changes(alice_client, entry):
    # A version kept before the limits (or by an earlier Mirror) that rendering now refuses.
    Entry.objects.filter(pk=entry.pk).update(version=2)
    entry.refresh_from_db()
    EntryRevision.objects.create(
        entry=entry, user=entry.user, version=1, title="", body=REFUSED, saved_at=entry.updated_at
    )
    stored = (entry.body, entry.body_html, entry.version)
    url = reverse("journal:revision-restore", args=[entry.pk, 1])
    response = alice_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("journal:entry-history", args=[entry.pk])
    assert "cannot be restored" in response.text
    entry.refresh_from_db()
    assert (entry.body, entry.body_html, entry.version) == stored
    assert entry.revisions.count() == 1  # the failed restore kept no extra version


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * (BODY_MAX_LENGTH + 1), "This text is 100,001 characters long; "),
        # What a browser sends for 40,000 typed lines.
        ("x\r\n" * 40_000 + "x", "This text is 120,001 characters long (a line break counts "),
    ],
    ids=["characters", "line-breaks"],
)
def test_a_body_over_the_length_limit_is_explained_beside_the_field(alice_client, body, message):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "body": body})
    [error] = response.context["form"].errors["body"]
    assert error.startswith(message)
    assert error.endswith(
        "Mirror keeps entries of up to 100,000 characters. Shorten it, or split it in two."
    )
    assert response.context["form"]["body"].value() == body
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_refused_note_is_explained_beside_the_field_and_kept(alice_client):
    response = alice_client.post(
        reverse("journal:event-create"),
        {"kind": "meeting", "occurred_on": "2025-03-14", "note": REFUSED},
    )
    assert response.status_code == 200
    assert any(REFUSAL in error for error in response.context["form"].errors["note"])
    assert response.context["form"]["note"].value() == REFUSED
    assert not TimelineEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [(REFUSED, REFUSAL), ("x" * (BODY_MAX_LENGTH + 1), "Mirror keeps entries of up to")],
    ids=["refused", "too-long"],
)
def test_preview_of_a_refused_text_answers_with_the_message(alice_client, body, message):
    response = alice_client.post(reverse("journal:preview"), {"body": body})
    assert response.status_code == 400
    assert response.json()["error"] == "refused"
    assert message in response.json()["message"]


@pytest.mark.django_db
def test_import_reports_a_refused_body_and_imports_nothing(alice):
    make_entry(alice, body="A short body.")
    exported = b"".join(stream_zip(alice, Selection(), timeline=Timeline(alice, alice.today())))
    edited = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported)) as archive, zipfile.ZipFile(edited, "w") as out:
        for name in archive.namelist():
            data = archive.read(name)
            if data.endswith(b"A short body."):
                edited_name, data = name, data.replace(b"A short body.", REFUSED.encode())
            out.writestr(name, data)
    with pytest.raises(ImportRejected) as rejected:
        journal_import(user=alice, archive_file=io.BytesIO(edited.getvalue()))
    assert any(edited_name in problem and REFUSAL in problem for problem in rejected.value.problems)
    assert Entry.objects.get(user=alice).body == "A short body."
