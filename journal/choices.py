"""The fixed lists a journal is filed by: kinds of entry, stages, feelings, prompts' fit and
timeline events. Stored as their values, readable at rest (docs/security.md)."""

from django.db import models


class Kind(models.TextChoices):
    REFLECTION = "reflection", "Reflection"
    LETTER = "letter", "Unsent letter"
    DREAM = "dream", "Dream"
    SIGN = "sign", "Sign"


class Stage(models.TextChoices):
    """The user's own sense of where they are, in the order most writing agrees on.
    People loop back; nothing enforces the order."""

    YEARNING = "yearning", "Yearning"
    RECOGNITION = "recognition", "Recognition"
    HONEYMOON = "honeymoon", "Honeymoon"
    TESTING = "testing", "Testing"
    CRISIS = "crisis", "Crisis"
    RUNNING_CHASING = "running/chasing", "Running / chasing"
    SURRENDER = "surrender", "Surrender"
    REUNION = "reunion", "Reunion"


class Feeling(models.TextChoices):
    FEAR = "fear", "Fear"
    LONGING = "longing", "Longing"
    PEACE = "peace", "Peace"
    LOVE = "love", "Love"
    ANGER = "anger", "Anger"
    GRIEF = "grief", "Grief"
    HOPE = "hope", "Hope"
    CONFUSION = "confusion", "Confusion"
    RELIEF = "relief", "Relief"
    SHAME = "shame", "Shame"
    GRATITUDE = "gratitude", "Gratitude"
    LONELINESS = "loneliness", "Loneliness"


class PromptPerspective(models.TextChoices):
    RUNNER = "runner", "Runner"
    CHASER = "chaser", "Chaser"
    ANY = "any", "Any moment"


class PromptPhase(models.TextChoices):
    """When in the connection a prompt fits."""

    BEFORE = "before", "Before we met"
    TOGETHER = "together", "Together"
    SEPARATION = "separation", "Separation"
    REUNION = "reunion", "Reunion"
    ANY = "any", "Any time"


class PromptDays(models.TextChoices):
    """The days of a separation a prompt is written for (day 1 is the day it began)."""

    FIRST_DAYS = "first-days", "The first days"
    FIRST_WEEKS = "first-weeks", "The first weeks"
    LONG_SILENCE = "long-silence", "A long silence"


class PromptGroup(models.TextChoices):
    URGE = "urge", "For the urge to reach out"


class EventKind(models.TextChoices):
    MEETING = "meeting", "We met"
    SEPARATION = "separation", "Separation"
    CONTACT = "contact", "Contact during a separation"
    URGE = "urge", "I felt the urge to reach out"
    REUNION = "reunion", "Reunion"
    MILESTONE = "milestone", "Milestone"


class Initiator(models.TextChoices):
    ME = "me", "I left"
    THEM = "them", "They left"
    MUTUAL = "mutual", "We both stepped back"
