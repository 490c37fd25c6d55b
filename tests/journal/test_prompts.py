"""The prompt library, its loader, and the /prompts/ pages with their privacy rules."""

from collections import Counter

import pytest
import yaml
from django.urls import reverse

from journal.models import (
    Entry,
    Prompt,
    PromptDays,
    PromptGroup,
    PromptPerspective,
    PromptPhase,
    Stage,
)
from journal.prompts import LIBRARY_VERSION, PROMPTS_FILE, load_builtin_prompts, read_prompt_file

pytestmark = pytest.mark.django_db


def builtin():
    return Prompt.objects.filter(user__isnull=True, retired=False)


# The library ---------------------------------------------------------------------------


def test_library_has_enough_prompts_for_each_perspective():
    counts = Counter(builtin().values_list("perspective", flat=True))
    assert counts["runner"] >= 90
    assert counts["chaser"] >= 90
    assert sum(counts.values()) >= 300


def test_library_covers_themes_and_every_stage():
    themes = Counter(builtin().builtin_values("theme", flat=True))
    assert len(themes) >= 25
    assert all(theme for theme in themes)
    for theme in ["fear", "mirror", "self-love", "sleep", "shock", "urge", "identity"]:
        assert themes[theme] >= 6, theme
    stages = set(builtin().exclude(stage="").values_list("stage", flat=True))
    assert stages == set(Stage.values)


@pytest.mark.parametrize("side", ["runner", "chaser"])
def test_each_side_has_questions_for_every_phase_and_window(side):
    mine = builtin().filter(perspective=side)
    separation = mine.filter(phase="separation")
    assert separation.count() >= 40
    assert len(set(separation.builtin_values("theme", flat=True))) >= 12  # room to vary
    for window in PromptDays.values:
        assert separation.filter(days=window).count() >= 8, window
    assert mine.filter(phase="reunion").count() >= 10
    assert mine.filter(phase="together").count() >= 10
    assert mine.filter(group="urge").count() >= 6


def test_library_file_is_well_formed():
    data = yaml.safe_load(PROMPTS_FILE.read_text())
    assert data["version"] == LIBRARY_VERSION
    records = read_prompt_file()
    keys = [record["key"] for record in records]
    texts = [" ".join(record["text"].lower().split()) for record in records]
    assert len(keys) == len(set(keys))
    assert len(texts) == len(set(texts))
    for record in records:
        assert record["key"].startswith(record["perspective"] + "-")
        assert record["perspective"] in PromptPerspective.values
        assert record["phase"] in PromptPhase.values
        assert record["days"] in {"", *PromptDays.values}
        assert not record["days"] or record["phase"] == "separation", record["key"]
        assert record["stage"] in {"", *Stage.values}
        assert record["kind"] in {"", "letter", "dream", "sign"}
        assert record["group"] in {"", *PromptGroup.values}
        assert (record["group"] == "urge") == (record["theme"] == "urge"), record["key"]
        assert record["theme"] and record["theme"] == record["theme"].lower()
        assert 10 < len(record["text"]) <= 200
    # No prompt promises a reunion or pushes contact.
    for phrase in ["will come back", "they will return", "reach out now", "text them", "call them"]:
        assert not [text for text in texts if phrase in text], phrase


def test_every_field_of_the_file_reaches_the_database():
    stored = {
        prompt.key: prompt
        for prompt in builtin().only("key", "perspective", "phase", "days", "stage", "theme")
    }
    for record in read_prompt_file():
        prompt = stored[record["key"]]
        for name in ("perspective", "phase", "days", "stage", "theme", "kind", "group", "text"):
            assert getattr(prompt, name) == record[name], (record["key"], name)


def test_loading_twice_changes_nothing():
    before = list(builtin().order_by("key").builtin_values("id", "key", "text"))
    assert load_builtin_prompts() == {"created": 0, "updated": 0, "retired": 0}
    assert list(builtin().order_by("key").builtin_values("id", "key", "text")) == before


def test_editing_the_file_updates_by_key_and_keeps_entries(tmp_path, alice):
    records = yaml.safe_load(PROMPTS_FILE.read_text())
    first, second = records["prompts"][0], records["prompts"][1]
    prompt = Prompt.objects.get(key=first["key"])
    entry = Entry.objects.create(user=alice, body="My answer.", prompt=prompt)
    assert entry.prompt_text == first["text"]

    first["text"] = "A gentler version of the same question?"
    removed_key = second["key"]
    records["prompts"].remove(second)
    records["prompts"].append(
        {
            "key": "any-new-test-prompt",
            "perspective": "any",
            "phase": "any",
            "theme": "mirror",
            "text": "New?",
        }
    )
    edited = tmp_path / "prompts.yaml"
    edited.write_text(yaml.safe_dump(records, allow_unicode=True))

    total = Prompt.objects.count()
    assert load_builtin_prompts(path=edited) == {"created": 1, "updated": 1, "retired": 1}
    assert Prompt.objects.count() == total + 1  # nothing duplicated, nothing deleted
    prompt.refresh_from_db()
    assert prompt.text == "A gentler version of the same question?"
    entry.refresh_from_db()
    assert entry.prompt == prompt
    original_text = read_prompt_file()[0]["text"]
    assert entry.prompt_text == original_text  # the words the user answered
    assert Prompt.objects.get(key=removed_key).retired
    assert not builtin().filter(key=removed_key).exists()

    # Loading the original file again brings the retired prompt back.
    assert load_builtin_prompts()["retired"] == 1
    assert builtin().filter(key=removed_key).exists()


# The pages -------------------------------------------------------------------------------

LIST = reverse("journal:prompt-list")


def test_prompt_page_lists_and_filters_the_library(alice_client):
    everything = alice_client.get(LIST)
    assert len(everything.context["builtin"]) == builtin().count()
    runner = alice_client.get(LIST, {"perspective": "runner"})
    assert {p.perspective for p in runner.context["builtin"]} == {"runner"}
    stage = alice_client.get(LIST, {"stage": "surrender", "theme": "acceptance"})
    assert stage.context["builtin"]
    assert all(p.stage == "surrender" and p.theme == "acceptance" for p in stage.context["builtin"])
    prompt = runner.context["builtin"][0]
    assert f"{reverse('journal:entry-create')}?prompt={prompt.pk}" in runner.text


def test_user_adds_edits_and_deletes_an_own_prompt(alice_client, alice):
    response = alice_client.post(
        reverse("journal:prompt-create"),
        {"text": "  What did  the sea teach me? ", "perspective": "any", "theme": "Signs"},
    )
    assert response.status_code == 302
    prompt = Prompt.objects.get(user=alice)
    assert (prompt.text, prompt.theme, prompt.key) == ("What did the sea teach me?", "signs", None)
    assert prompt.text in alice_client.get(LIST).text

    alice_client.post(
        reverse("journal:prompt-edit", args=[prompt.pk]),
        {"text": "What does the sea teach me?", "perspective": "chaser", "stage": "surrender"},
    )
    prompt.refresh_from_db()
    assert (prompt.perspective, prompt.stage) == ("chaser", "surrender")

    entry = Entry.objects.create(user=alice, body="The tide.", prompt=prompt)
    assert "1 entry answered it" in alice_client.get(
        reverse("journal:prompt-delete", args=[prompt.pk])
    ).text.replace("\n", " ")
    alice_client.post(reverse("journal:prompt-delete", args=[prompt.pk]))
    assert not Prompt.objects.filter(pk=prompt.pk).exists()
    entry.refresh_from_db()
    assert entry.prompt is None
    assert entry.prompt_text == "What does the sea teach me?"


def test_an_empty_prompt_is_refused_beside_the_field(alice_client, alice):
    response = alice_client.post(
        reverse("journal:prompt-create"), {"text": "   ", "perspective": "any"}
    )
    assert response.status_code == 200
    assert "Write the question you want to be asked." in response.text
    assert not Prompt.objects.filter(user=alice).exists()


@pytest.fixture
def alices_prompt(alice):
    return Prompt.objects.create(user=alice, text="Alice's private question?", perspective="any")


def test_own_prompts_are_private(bob_client, alices_prompt):
    assert "Alice&#x27;s private question" not in bob_client.get(LIST).text
    for name in ["journal:prompt-edit", "journal:prompt-delete"]:
        url = reverse(name, args=[alices_prompt.pk])
        assert bob_client.get(url).status_code == 404
        assert bob_client.post(url, {"text": "mine now", "perspective": "any"}).status_code == 404
    alices_prompt.refresh_from_db()
    assert alices_prompt.text == "Alice's private question?"
    # Another user's prompt cannot be answered either.
    new = bob_client.get(reverse("journal:entry-create"), {"prompt": alices_prompt.pk})
    assert "Alice&#x27;s private question" not in new.text
    response = bob_client.post(
        reverse("journal:entry-create"),
        {"body": "x", "written_on": "2025-01-01", "kind": "reflection", "prompt": alices_prompt.pk},
    )
    assert response.status_code == 200
    assert "That prompt is not available any more." in response.text


def test_editing_an_entry_keeps_its_retired_prompt_but_takes_no_one_elses(
    bob_client, bob, alices_prompt
):
    retired = builtin().first()
    entry = Entry.objects.create(user=bob, body="x", prompt=retired)
    Prompt.objects.filter(pk=retired.pk).update(retired=True)
    edit = reverse("journal:entry-edit", args=[entry.pk])
    form = {"body": "y", "written_on": "2025-01-01", "kind": "reflection", "version": "1"}
    assert bob_client.post(edit, {**form, "prompt": retired.pk}).status_code == 302
    entry.refresh_from_db()
    assert entry.prompt_id == retired.pk and entry.body == "y"
    refused = bob_client.post(edit, {**form, "version": "2", "prompt": alices_prompt.pk})
    assert "That prompt is not available any more." in refused.text
    entry.refresh_from_db()
    assert entry.prompt_id == retired.pk


def test_builtin_prompts_cannot_be_edited_or_deleted(alice_client):
    prompt = builtin().first()
    assert alice_client.get(reverse("journal:prompt-edit", args=[prompt.pk])).status_code == 404
    assert alice_client.post(reverse("journal:prompt-delete", args=[prompt.pk])).status_code == 404
    assert Prompt.objects.filter(pk=prompt.pk).exists()


def test_prompt_pages_need_login_and_the_right_method(client, alice_client, alices_prompt):
    assert alice_client.post(LIST).status_code == 405
    assert alice_client.put(reverse("journal:prompt-create")).status_code == 405
    client.logout()
    for url in [
        LIST,
        reverse("journal:prompt-create"),
        reverse("journal:prompt-edit", args=[alices_prompt.pk]),
        reverse("journal:prompt-delete", args=[alices_prompt.pk]),
    ]:
        assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_a_theme_of_ones_own_is_offered_as_a_filter_as_soon_as_it_is_added(alice_client):
    alice_client.get(LIST)  # the filter fields are drawn, and kept
    assert '<option value="lighthouse-keeping">' not in alice_client.get(LIST).text
    alice_client.post(
        reverse("journal:prompt-create"),
        {"text": "What do I keep lit?", "perspective": "any", "theme": "lighthouse-keeping"},
    )
    page = alice_client.get(LIST).text
    assert '<option value="lighthouse-keeping">Lighthouse-keeping</option>' in page
    chosen = alice_client.get(LIST, {"theme": "lighthouse-keeping"}).text
    assert '<option value="lighthouse-keeping" selected>' in chosen
