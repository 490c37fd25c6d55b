"""The fixed lists a journal is filed by: kinds of entry, stages, feelings, prompts' fit and
timeline events. Stored as their values, readable at rest (docs/security.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    LETTER = "letter", _("Unsent letter")
    DREAM = "dream", _("Dream")
    # Translators: a kind of journal entry: a sign from the universe (a synchronicity), not a
    # signature.
    SIGN = "sign", _("Sign")


class Stage(models.TextChoices):
    """The user's own sense of where they are, in the order most writing agrees on.
    People loop back; nothing enforces the order."""

    # Translators: the stages of a twin-flame connection, as the user feels them.
    YEARNING = "yearning", _("Yearning")
    RECOGNITION = "recognition", _("Recognition")
    HONEYMOON = "honeymoon", _("Honeymoon")
    # Translators: a stage of the connection: the bond being tested (a noun, not "trying out").
    TESTING = "testing", _("Testing")
    CRISIS = "crisis", _("Crisis")
    # Translators: a stage of the connection: one runs away, the other chases.
    RUNNING_CHASING = "running/chasing", _("Running / chasing")
    SURRENDER = "surrender", _("Surrender")
    REUNION = "reunion", _("Reunion")


class Feeling(models.TextChoices):
    FEAR = "fear", _("Fear")
    LONGING = "longing", _("Longing")
    PEACE = "peace", _("Peace")
    LOVE = "love", _("Love")
    ANGER = "anger", _("Anger")
    GRIEF = "grief", _("Grief")
    HOPE = "hope", _("Hope")
    CONFUSION = "confusion", _("Confusion")
    RELIEF = "relief", _("Relief")
    SHAME = "shame", _("Shame")
    GRATITUDE = "gratitude", _("Gratitude")
    LONELINESS = "loneliness", _("Loneliness")


class PromptPerspective(models.TextChoices):
    # Translators: the two sides of a twin-flame separation: the one who runs away (runner) and
    # the one who pursues (chaser).
    RUNNER = "runner", _("Runner")
    CHASER = "chaser", _("Chaser")
    # Translators: a prompt for either side of a separation.
    ANY = "any", _("Either side")


class PromptPhase(models.TextChoices):
    """When in the connection a prompt fits."""

    BEFORE = "before", _("Before we met")
    TOGETHER = "together", _("Together")
    SEPARATION = "separation", _("Separation")
    REUNION = "reunion", _("Reunion")
    ANY = "any", _("Any time")


class PromptDays(models.TextChoices):
    """The days of a separation a prompt is written for (day 1 is the day it began)."""

    FIRST_DAYS = "first-days", _("The first days")
    FIRST_WEEKS = "first-weeks", _("The first weeks")
    LONG_SILENCE = "long-silence", _("A long silence")


class PromptGroup(models.TextChoices):
    URGE = "urge", _("For the urge to reach out")


class EventKind(models.TextChoices):
    MEETING = "meeting", _("We met")
    SEPARATION = "separation", _("Separation")
    CONTACT = "contact", _("Contact during a separation")
    URGE = "urge", _("I felt the urge to reach out")
    REUNION = "reunion", _("Reunion")
    MILESTONE = "milestone", _("Milestone")


class Initiator(models.TextChoices):
    ME = "me", _("I left")
    THEM = "them", _("They left")
    MUTUAL = "mutual", _("We both stepped back")


# The themes of the built-in prompts (journal/data/prompts.yaml), in the reader's words. A
# person's own prompts keep the themes they wrote.
# Translators: a prompt's theme, one or two words in lower case, as a label and a filter.
THEME_LABELS = {
    "abandonment": pgettext_lazy("prompt theme", "abandonment"),
    "acceptance": pgettext_lazy("prompt theme", "acceptance"),
    "anger": pgettext_lazy("prompt theme", "anger"),
    "body": pgettext_lazy("prompt theme", "body"),
    "boundaries": pgettext_lazy("prompt theme", "boundaries"),
    "contact": pgettext_lazy("prompt theme", "contact"),
    "control": pgettext_lazy("prompt theme", "control"),
    "distraction": pgettext_lazy("prompt theme", "distraction"),
    "dreams": pgettext_lazy("prompt theme", "dreams"),
    "fear": pgettext_lazy("prompt theme", "fear"),
    "gratitude": pgettext_lazy("prompt theme", "gratitude"),
    "grief": pgettext_lazy("prompt theme", "grief"),
    "hope": pgettext_lazy("prompt theme", "hope"),
    "identity": pgettext_lazy("prompt theme", "identity"),
    "longing": pgettext_lazy("prompt theme", "longing"),
    "memory": pgettext_lazy("prompt theme", "memory"),
    "mirror": pgettext_lazy("prompt theme", "mirror"),
    "patience": pgettext_lazy("prompt theme", "patience"),
    "patterns": pgettext_lazy("prompt theme", "patterns"),
    "reunion": pgettext_lazy("prompt theme", "reunion"),
    "self-love": pgettext_lazy("prompt theme", "self-love"),
    "shock": pgettext_lazy("prompt theme", "shock"),
    "signs": pgettext_lazy("prompt theme", "signs"),
    "sleep": pgettext_lazy("prompt theme", "sleep"),
    "support": pgettext_lazy("prompt theme", "support"),
    "surrender": pgettext_lazy("prompt theme", "surrender"),
    "trust": pgettext_lazy("prompt theme", "trust"),
    "urge": pgettext_lazy("prompt theme", "urge"),
    "walls": pgettext_lazy("prompt theme", "walls"),
    "worth": pgettext_lazy("prompt theme", "worth"),
}


def theme_label(theme: str) -> str:
    """A theme as people read it: a built-in one in the reader's language, else as written."""
    return str(THEME_LABELS.get(theme, theme))
