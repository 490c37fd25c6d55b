import datetime as dt
import html
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import (
    EventKind,
    Feeling,
    Initiator,
    Kind,
    PromptDays,
    PromptGroup,
    PromptPerspective,
    PromptPhase,
    Stage,
    theme_label,
)
from .figures import journal_changed
from .markdown import render_markdown, stored_html
from .querysets import JournalQuerySet, OwnedQuerySet, PromptQuerySet
from .sealed import (
    SealedCharField,
    SealedJSONField,
    SealedModel,
    SealedQuerySet,
    SealedTextField,
)
from .sealing import keyed_digest, keyring_for
from .tags import TAG_KEY_MAX_LENGTH, TAG_MAX_LENGTH, tag_key
from .text import day_text

# Translators: the moods of an entry, from 1 (very low) to 5 (bright).
MOOD_LABELS = {1: _("Very low"), 2: _("Low"), 3: _("Steady"), 4: _("Good"), 5: _("Bright")}

TITLE_MAX_LENGTH = 200
# The longest body an entry (or a timeline note) may hold: about 15,000 words, far beyond
# an evening's writing, and small enough that every path in (editor, autosave, import)
# can check and render it in well under a second.
BODY_MAX_LENGTH = 100_000
# Entry and event dates: a keyboard slip (0025, 9999) is refused, not stored.
EARLIEST_DATE_YEAR = 1900
# The fields an entry card shows (templates/journal/includes/entry_card.html): a list of
# entries reads nothing else.
CARD_FIELDS = (
    *("id", "title", "written_on", "created_at", "kind", "mood", "stage", "excerpt"),
    "tags_text",
)
TAGS_SEPARATOR = "\n"  # tag names may hold spaces, never a line break
EXCERPT_LENGTH = 240


class JournalPart(SealedModel):
    """A model whose rows make up a user's journal: a save or a delete renews the version
    figures derived from it are cached under (journal.figures). Its querysets derive from
    `JournalQuerySet`, which does the same for bulk writes."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        journal_changed(self.user_id)

    def delete(self, *args, **kwargs):
        user_id = self.user_id
        deleted = super().delete(*args, **kwargs)
        journal_changed(user_id)
        return deleted


class Prompt(JournalPart):
    """A guided question. Built-in prompts have a `key` and no user, and are loaded from
    journal/data/prompts.yaml; a user's own prompts have a user and no key."""

    # The row's identity in what seals its words (journal.sealing.Place): known before
    # the row is first written, unlike its id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    key = models.SlugField(max_length=80, unique=True, null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prompts",
    )
    perspective = models.CharField(
        max_length=10, choices=PromptPerspective, default=PromptPerspective.ANY
    )
    phase = models.CharField(max_length=12, choices=PromptPhase, default=PromptPhase.ANY)
    # Where they matter, the days of a separation it is written for.
    days = models.CharField(max_length=12, choices=PromptDays, blank=True)
    stage = models.CharField(max_length=20, choices=Stage, blank=True)
    theme = SealedCharField(max_length=40, blank=True)
    # The kind of entry it asks for (an unsent letter, a dream, a sign); "" for a reflection.
    kind = models.CharField(max_length=20, choices=Kind, blank=True)
    # Prompts for one moment rather than any day: the urge to reach out.
    group = models.CharField(max_length=10, choices=PromptGroup, blank=True)
    text = SealedTextField(max_length=500)
    # A built-in prompt removed from the data file is retired, not deleted: entries that
    # answered it keep their link, and it is no longer offered.
    retired = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["perspective", "theme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, key__isnull=False)
                | models.Q(user__isnull=False, key__isnull=True),
                name="prompt_builtin_has_key_own_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_builtin(self) -> bool:
        return self.user_id is None

    @property
    def words(self) -> str:
        """The prompt in the reader's language (a built-in one; one's own as written)."""
        from .prompt_languages import prompt_words

        return prompt_words(self)

    @property
    def theme_label(self) -> str:
        """Its theme as the reader reads it (a built-in one translated; one's own as written)."""
        return theme_label(self.theme) if self.is_builtin else self.theme


class TagQuerySet(OwnedQuerySet, JournalQuerySet):
    def for_names(self, user, names) -> dict[str, "Tag"]:
        """The user's tags for `names`, by key: the existing ones matched in any case (they
        keep the case they were first typed in), the missing ones created as spelled here
        (the first spelling of a key wins). The form and every importer go through this."""
        keys: dict[str, str] = {}
        for name in names:
            keys.setdefault(tag_key(name), name)
        digests = {Tag.key_for(user.pk, key): key for key in keys}
        mine = self.for_user(user)
        existing = {digests[tag.key]: tag for tag in mine.filter(key__in=digests)}
        missing = [Tag.named(user, name) for key, name in keys.items() if key not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {digests[tag.key]: tag for tag in mine.filter(key__in=digests)}
        return existing

    def named_in_order(self) -> list["Tag"]:
        """The tags in name order, in any case (their keys are digests: no order)."""
        return sorted(self, key=lambda tag: tag_key(tag.name))


class Tag(JournalPart):
    """A free word a user files entries under; each user has their own set. The rule for
    names is journal.tags: one tag whatever the case it is typed in, shown in the case it
    was first typed."""

    # The row's identity in what seals its words (journal.sealing.Place): known before
    # the row is first written, unlike its id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = SealedCharField(max_length=TAG_MAX_LENGTH)
    # What makes two names one tag, filled in on save: the name case-folded (tags.tag_key),
    # as a keyed digest of the owner's journal (journal.sealing.Keyring.index), so the
    # database can match a tag and keep it unique without holding its name.
    key = models.CharField(max_length=TAG_KEY_MAX_LENGTH, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="tag_unique_key_per_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = Tag.key_for(self.user_id, self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def key_for(user_id: int, name: str) -> str:
        """The stored key of the tag `name` in `user_id`'s journal (its journal key is
        active)."""
        return keyring_for(user_id).index(tag_key(name))

    @classmethod
    def named(cls, user, name: str) -> "Tag":
        """A new tag, unsaved (for bulk_create, which does not call save)."""
        return cls(user=user, name=name, key=Tag.key_for(user.pk, name))


class _PreviousDay(models.Func):
    """The day before a date, in SQL the date index can serve (an equality on the column)."""

    arity = 1
    output_field = models.DateField()
    template = "(%(expressions)s - INTERVAL '1' DAY)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '-1 day')")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - 1)")


class EntryQuerySet(OwnedQuerySet, JournalQuerySet):
    def newest_first(self) -> "EntryQuerySet":
        return self.order_by("-written_on", "-created_at")

    def streak(self, today) -> int:
        """Consecutive days with at least one entry, ending today — or yesterday, so the
        streak is not lost before today's entry is written.

        Two queries whatever the journal's size: the latest day, then the latest day whose
        day before has no entry (where the run began), found by the database walking the
        date index back from the latest day."""
        days = self.filter(written_on__lte=today).order_by("-written_on")
        dates = days.values_list("written_on", flat=True)
        latest = dates.first()
        if latest is None or latest < today - dt.timedelta(days=1):
            return 0
        day_before = self.filter(written_on=_PreviousDay(models.OuterRef("written_on")))
        began = dates.filter(written_on__lte=latest).exclude(models.Exists(day_before)).first()
        return (latest - began).days + 1

    def on_this_day(self, today) -> "EntryQuerySet":
        """Entries written on this day of the month in earlier months and years."""
        return self.filter(written_on__day=today.day, written_on__lt=today)

    def bulk_create(self, objs, *args, **kwargs):
        """Entries made in bulk (an import, a demo) with their search text, in the same
        transaction."""
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if not kwargs.get("ignore_conflicts"):  # else some may not have been made
                SearchText.write(created, batch_size=kwargs.get("batch_size"))
        return created

    def link_tags(self, user, links, *, batch_size: int | None = None) -> None:
        """Link entries to tags in bulk (rows of `Entry.tags.through`, made by an importer):
        a write to the journal like any other, so the version is renewed with it."""
        with transaction.atomic(using=self.db):
            Entry.tags.through.objects.bulk_create(links, batch_size=batch_size)
            journal_changed(user.pk)

    def for_list(self) -> "EntryQuerySet":
        """What a list of entries shows (its cards): no body, tags from `tags_text`."""
        return self.only(*CARD_FIELDS)

    def made_from_draft(self, key: str) -> "Entry | None":
        """The entry saved from the new-entry page's draft `key`, if one was (scope it to
        the user first: `for_user(user).made_from_draft(key)`)."""
        return self.filter(draft_key=key).first() if key else None


class Entry(JournalPart):
    SEAL_IDENTITY = ("user",)  # and its id, which every query reads

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    title = SealedCharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = SealedTextField()
    body_html = SealedTextField(editable=False)
    excerpt = SealedCharField(max_length=EXCERPT_LENGTH + 1, editable=False, blank=True)
    written_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REFLECTION)
    mood = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feelings = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20, choices=Stage, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    # The tag names in name order (in any case), one per line, kept in step with `tags` (see
    # _sync_tags_text): full-text search covers them without a join, and a list of entries
    # shows them without reading the tags (`tag_names`).
    tags_text = SealedTextField(blank=True, editable=False)
    # The prompt's words when the entry was written, kept even if the prompt changes.
    prompt_text = SealedTextField(blank=True, editable=False)
    # Each save of an edit increments it; a save that started from an older version is a
    # conflict and is shown to the user, never applied over the newer text.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The key of the new-entry page's draft it was saved from (a random key the page made,
    # never words): unique per user, so the same draft sent twice (a retried POST, two tabs,
    # text written offline sent when the connection returns) makes one entry.
    # "" for an entry not saved from that page (an import, a demo, one made before).
    draft_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("entries")
        ordering = ["-written_on", "-created_at"]
        indexes = [models.Index(fields=["user", "-written_on"], name="entry_user_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mood__isnull=True) | models.Q(mood__gte=1, mood__lte=5),
                name="entry_mood_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["user", "draft_key"],
                condition=~models.Q(draft_key=""),
                name="entry_unique_draft_key_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args, **kwargs) -> None:
        self.derive_from_body()
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "excerpt"}
        super().save(*args, **kwargs)
        written = kwargs.get("update_fields")
        if written is None or not SEARCHED.isdisjoint(written):
            SearchText.write([self])

    def get_absolute_url(self) -> str:
        return reverse("journal:entry-detail", kwargs={"pk": self.pk})

    def seal_row(self) -> str:
        return self.pk.hex  # as SQLite stores it: a search reads it without converting

    def derive_from_body(self) -> None:
        """Derive `body_html` (the body rendered and sanitized, journal.markdown) and the
        plain-text `excerpt` from the body, and the prompt's text from the prompt: on every
        save, and before a bulk creation (which does not call save). May raise
        MarkdownRefused."""
        if self.prompt_id and not self.prompt_text:
            self.prompt_text = self.prompt.words  # as it was shown
        # Rendered once here; every view shows the stored, sanitized HTML.
        self.body_html = render_markdown(self.body)
        text = html.unescape(strip_tags(self.body_html))  # plain text: templates escape it
        self.excerpt = Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        # Translators: the title of an entry without one: "Reflection of 14 March 2025".
        return gettext("%(kind)s of %(day)s") % {
            "kind": self.get_kind_display(),
            "day": day_text(self.written_on),
        }

    @property
    def tag_names(self) -> list[str]:
        """The entry's tag names in name order (from `tags_text`: no query)."""
        return self.tags_text.split(TAGS_SEPARATOR) if self.tags_text else []

    @property
    def body_safe(self):
        return stored_html(self.body_html)

    @property
    def mood_label(self) -> str:
        return str(MOOD_LABELS.get(self.mood, ""))

    def feeling_labels(self) -> list[str]:
        labels = dict(Feeling.choices)
        return [str(labels.get(value, value)) for value in self.feelings]


class EntryRevision(SealedModel):
    """An earlier version of an entry's words, kept when an edit replaces them."""

    KEEP = 30  # the newest this many per entry are kept
    SEAL_IDENTITY = ("user", "entry", "version")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    # The entry's owner, whose key seals the words (kept here so a revision opens alone).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = SealedCharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = SealedTextField()
    version = models.PositiveIntegerField()
    saved_at = models.DateTimeField()

    objects = SealedQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="revision_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.version}"

    def seal_row(self) -> str:
        return f"{self.entry_id}/{self.version}"

    @classmethod
    def keep(cls, entry: Entry) -> "EntryRevision":
        """Keep `entry`'s current words (as stored) before they are replaced."""
        revision = cls.objects.create(
            entry=entry,
            user_id=entry.user_id,
            title=entry.title,
            body=entry.body,
            version=entry.version,
            saved_at=entry.updated_at,
        )
        old = cls.objects.filter(entry=entry).values_list("pk", flat=True)[cls.KEEP :]
        cls.objects.filter(pk__in=list(old)).delete()
        return revision


# The keys the pages make for drafts: a new-entry page's uuid4 hex, or the id of the entry
# being edited. Autosave refuses any other: a key with a `/` cannot be put in an address.
# (\A and \Z, not ^ and $: the same anchors in Python, SQLite's REGEXP and PostgreSQL.)
DRAFT_KEY_PATTERN = r"\A([0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})\Z"


class DraftQuerySet(OwnedQuerySet):
    def linkable(self) -> "DraftQuerySet":
        """Drafts with a key the pages make. One stored before autosave checked keys is
        renamed by migration 0011; left out here, it can never make a page fail."""
        return self.filter(key__regex=DRAFT_KEY_PATTERN)


class Draft(SealedModel):
    """Text being written that is not saved as an entry yet: autosaved every few seconds.
    `key` is the entry's id when editing, or a key the new-entry page made up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(max_length=64)
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    title = SealedCharField(max_length=TITLE_MAX_LENGTH * 2, blank=True)
    body = SealedTextField(blank=True)
    fields = SealedJSONField(default=dict, blank=True)  # the other form fields, as typed
    base_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="draft_unique_key_per_user"),
        ]

    SEAL_IDENTITY = ("user", "key")

    def __str__(self) -> str:
        return f"draft {self.key}"

    def seal_row(self) -> str:
        return self.key

    @property
    def words(self) -> int:
        return len(self.body.split())


class TimelineEventQuerySet(OwnedQuerySet, JournalQuerySet):
    def in_order(self) -> "TimelineEventQuerySet":
        return self.order_by("occurred_on", "created_at", "id")


class TimelineEvent(JournalPart):
    """A dated event of the user's connection. Periods are derived from these
    (journal/periods.py) and never stored."""

    # The row's identity in what seals its words (journal.sealing.Place): known before
    # the row is first written, unlike its id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timeline_events"
    )
    kind = models.CharField(max_length=20, choices=EventKind)
    occurred_on = models.DateField(_("date"))
    initiator = models.CharField(_("who left"), max_length=10, choices=Initiator, blank=True)
    note = SealedTextField(blank=True)
    note_html = SealedTextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "created_at", "id"]
        indexes = [models.Index(fields=["user", "occurred_on"], name="event_user_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"

    def save(self, *args, **kwargs) -> None:
        self.note_html = render_markdown(self.note)
        super().save(*args, **kwargs)

    @property
    def note_safe(self):
        return stored_html(self.note_html)

    @property
    def drawn_key(self) -> str:
        """A digest of everything the event's item in the timeline's list shows, keyed by
        the journal (a note is words): the key the item is kept drawn under."""
        return keyed_digest(
            repr((self.pk, self.kind, self.initiator, self.occurred_on, self.note_html))
        )

    @property
    def label(self) -> str:
        if self.kind == EventKind.SEPARATION and self.initiator:
            # Translators: a separation on the timeline, and who left: "Separation — They left".
            return gettext("Separation — %(initiator)s") % {
                "initiator": self.get_initiator_display()
            }
        return self.get_kind_display()


@receiver(m2m_changed, sender=Entry.tags.through)
def _sync_tags_text(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    entries = [instance] if not reverse else list(instance.entries.only("id"))
    for entry in entries:
        text = TAGS_SEPARATOR.join(tag.name for tag in entry.tags.only("name").named_in_order())
        # renews the version
        Entry.objects.filter(pk=entry.pk).update(tags_text=entry.sealed_value("tags_text", text))
        entry.tags_text = text
    if not reverse:  # the entry itself, its words as saved: its search text again
        SearchText.write([instance])


# An entry's search text: a model of its own module (journal/search_text.py), registered here.
from .search_text import SEARCHED, SearchText  # noqa: E402
