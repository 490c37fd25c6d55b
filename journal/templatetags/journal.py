"""`{% load journal %}`: the repeated list fragments of journal.cards."""

from django import template

from .. import cards

register = template.Library()


@register.simple_tag
def entry_cards(entries, level=3):
    return cards.entry_cards(entries, level)


@register.simple_tag
def prompt_items(prompts):
    return cards.prompt_items(prompts)
