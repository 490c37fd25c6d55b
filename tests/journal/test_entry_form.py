"""Bad input is answered beside its field, and nothing the user typed is lost."""

import pytest
from django.urls import reverse

from journal.models import Entry
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db


def post_new(client, **changes):
    return client.post(reverse("journal:entry-create"), {**VALID, **changes})


def error_of(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 201, "Keep the title under 200 characters"),
        ("written_on", "2025-02-30", "Enter a real date"),
        ("written_on", "yesterday-ish", "Enter a real date"),
        ("written_on", "", "Give the date this entry is about"),
        ("mood", "7", "Choose a mood from 1 (very low) to 5 (bright)"),
        ("mood", "0", "Choose a mood from 1 (very low) to 5 (bright)"),
        ("kind", "novel", "Choose one of the kinds listed"),
        ("stage", "enlightened", "Choose one of the stages listed"),
        ("body", "", "Write a few words before saving"),
        ("body", "   \n\t  ", "Write a few words before saving"),
        ("feelings", ["fear", "joy-ish"], "is not one of the feelings listed"),
        (
            "feelings",
            ["fear", "longing", "peace", "love", "anger", "grief"],
            "Choose at most five feelings",
        ),
        ("tags", "a, b, c, d, e, f, g, h, i, j, k, l, m", "at most 12 tags"),
        ("tags", "ok, <script>", "characters tags cannot hold"),
    ],
)
def test_bad_input_is_explained_beside_the_field(alice_client, field, value, message):
    response = post_new(alice_client, **{field: value})
    assert response.status_code == 200
    assert Entry.objects.count() == 0
    errors = error_of(response, field)
    assert any(message in error for error in errors), errors
    page = response.text
    # The message is rendered and tied to the field for screen readers.
    assert 'aria-invalid="true"' in page
    assert f'id="id_{field}_error"' in page


def test_everything_typed_is_kept_after_an_error(alice_client):
    response = post_new(alice_client, mood="7", title="Kept title", body="Kept *body* text")
    form = response.context["form"]
    assert form["title"].value() == "Kept title"
    assert form["body"].value() == "Kept *body* text"
    assert form["tags"].value() == VALID["tags"]
    assert form["feelings"].value() == ["fear", "longing"]
    page = response.text
    assert 'value="Kept title"' in page
    assert "Kept *body* text</textarea>" in page
    assert "Nothing you wrote is lost." in page


def test_edit_with_errors_keeps_the_stored_entry(alice_client, entry):
    response = alice_client.post(
        reverse("journal:entry-edit", args=[entry.pk]), {**VALID, "body": "New words", "mood": "9"}
    )
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == "New words"
    entry.refresh_from_db()
    assert entry.body == "I *woke* early."


def test_mood_is_optional(alice_client, alice):
    post_new(alice_client, mood="")
    assert Entry.objects.get(user=alice).mood is None


def test_feelings_are_kept_in_the_lists_order(alice_client, alice):
    post_new(alice_client, feelings=["hope", "fear"])
    assert Entry.objects.get(user=alice).feelings == ["fear", "hope"]
