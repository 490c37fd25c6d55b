"""Every built-in prompt has its words in every language Mirror speaks, written within the
library's rules, and shows in the reader's language; a person's own prompts stay theirs."""

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from journal.models import Prompt
from journal.prompt_languages import language_file, prompt_words, texts_in
from journal.prompts import PROMPTS_FILE

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
KEYS = [record["key"] for record in yaml.safe_load(PROMPTS_FILE.read_text())["prompts"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_prompt_has_its_words_in_every_language(language):
    assert language_file(language).exists(), f"no prompts.{language}.yaml"
    texts = texts_in(language)
    assert list(texts) == KEYS, set(texts) ^ set(KEYS)
    for key, text in texts.items():
        assert 0 < len(text) <= 200, key
        assert text[-1] in "?.", key
        assert text != texts_in("es" if language != "es" else "fr")[key], key


@pytest.mark.django_db
def test_a_prompt_shows_in_the_readers_language_and_an_own_prompt_as_written(alice):
    builtin = Prompt.objects.filter(key=KEYS[0]).get()
    own = Prompt.objects.create(user=alice, text="My own words?", theme="fear")
    with translation.override("de"):
        assert prompt_words(builtin) == texts_in("de")[KEYS[0]]
        assert prompt_words(own) == "My own words?"
    with translation.override("en"):
        assert prompt_words(builtin) == builtin.text
