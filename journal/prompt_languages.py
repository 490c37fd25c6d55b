"""The built-in prompts in each language Mirror speaks.

journal/data/prompts.yaml holds each prompt in English with its key; a file per language,
`prompts.<language>.yaml`, holds the same keys with the words written for that language
(`language: es`, then `prompts: {key: text}`). A prompt shows in the request's language,
else in English; a person's own prompts stay as they wrote them. An entry keeps the words
of the prompt it answered as they were shown (Entry.prompt_text).
"""

import functools
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"


def language_file(language: str) -> Path:
    return DATA / f"prompts.{language}.yaml"


@functools.cache
def texts_in(language: str) -> dict[str, str]:
    """Each built-in prompt's words in `language`, by key; empty for English (the words
    are the prompts' own) and for a language without a file."""
    path = language_file(language)
    if language == settings.LANGUAGE_CODE or not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("language") != language:
        raise ValueError(f"{path.name} says it is in {data.get('language')!r}")
    return {str(key): str(text).strip() for key, text in data["prompts"].items()}


def prompt_words(prompt, language: str | None = None) -> str:
    """The words of `prompt` in `language` (the request's by default)."""
    if not prompt.key:
        return prompt.text
    return texts_in(language or get_language() or settings.LANGUAGE_CODE).get(
        prompt.key, prompt.text
    )
