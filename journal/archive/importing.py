"""The import: plan every file, then write all of it in one transaction, or nothing.

Each reader (Mirror's zip, or another app's export: journal/archive/sources) turns a file into
entry plans and event records; planning matches them with the user's entries, and writing
renders and stores them, bounded in time. The preview (journal/archive/preview.py) reads
and matches the same way and writes nothing."""

import datetime as dt
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from ..markdown import MarkdownRefused
from ..models import (
    TAGS_SEPARATOR,
    TITLE_MAX_LENGTH,
    Entry,
    Kind,
    Prompt,
    Stage,
    Tag,
    TimelineEvent,
)
from ..tags import (
    MAX_TAGS,
    TAG_MAX_LENGTH,
    TagProblem,
    clean_tags,
    repair_tag,
    tag_key,
    unique_tags,
)
from .frontmatter import (
    EntryFile,
    FormatProblem,
    read_choice,
    read_date,
    read_feelings,
    read_id,
    read_moment,
    read_mood,
    read_text,
    read_words,
)
from .reading import (
    MAX_IMPORT_SECONDS,
    MAX_TIMELINE_EVENTS,
    TIMELINE,
    ImportRejected,
    MirrorArchive,
    event_problems,
)
from .sources import SourceEntry, left_out
from .sources.base import TAGS_BEYOND
from .timeline_file import EventRecord, note_key, parse_timeline
from .upload import read_upload

# What rendering a body or a note may refuse (journal.markdown bounds its work); reported as
# a problem of that file, like any other, and nothing is imported.
RENDER_REFUSALS: tuple[type[Exception], ...] = (MarkdownRefused,)
_ID_BATCH = 500


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events_created: int = 0
    events_unchanged: int = 0
    source: str = "mirror"
    skipped: dict = field(default_factory=dict)  # what was left out, and why: reason → count

    def summary(self) -> str:
        values = {
            "new": self.created,
            "already": self.unchanged,
            "updated": self.updated,
            "events": intcomma(self.events_created),
            "events_already": self.events_unchanged,
        }
        if self.updated:
            text = ngettext(
                "Import complete: %(new)s new, %(already)s already here, %(updated)s updated; "
                "%(events)s timeline event added, %(events_already)s already there.",
                "Import complete: %(new)s new, %(already)s already here, %(updated)s updated; "
                "%(events)s timeline events added, %(events_already)s already there.",
                self.events_created,
            )
        else:
            text = ngettext(
                "Import complete: %(new)s new, %(already)s already here; "
                "%(events)s timeline event added, %(events_already)s already there.",
                "Import complete: %(new)s new, %(already)s already here; "
                "%(events)s timeline events added, %(events_already)s already there.",
                self.events_created,
            )
        text %= values
        if self.skipped:
            # Translators: what an import did not bring in: "Left out: 2 photos, 1 place."
            text += " " + gettext("Left out: %(list)s.") % {
                "list": ", ".join(left_out(self.skipped))
            }
        return text


@transaction.atomic
def journal_import(*, user, archive_file) -> ImportResult:
    """Bring in a journal: a zip made by Mirror's export (its files perhaps edited by hand),
    or another app's export (journal/archive/sources). All or nothing: any problem raises
    ImportRejected and the transaction rolls back. Importing the same file again adds and
    changes nothing.

    Mirror's entries are matched by `id` among the user's own; an id that is not theirs
    (another user's, or one from another Mirror) is treated like a file without an id: it
    matches an entry of the same date and text, or becomes a new entry with a new id.
    Another app's entries are known by their identity there (`source_entry_id`). Nothing of
    another user's is read or changed (only whether an id is taken). Timeline events are
    matched by date, kind, who left and note.
    """
    deadline = time.monotonic() + MAX_IMPORT_SECONDS
    planned = plan_upload(user, archive_file)
    result = _write_entries(user, planned.plans, deadline=deadline)
    events_created, events_unchanged = _restore_events(user, planned.events, deadline=deadline)
    return ImportResult(
        created=result["created"],
        updated=result["updated"],
        unchanged=result["unchanged"],
        events_created=events_created,
        events_unchanged=events_unchanged,
        source=planned.source,
        skipped=dict(planned.skipped),
    )


@dataclass
class Planned:
    """An upload read and matched with the journal, nothing written yet."""

    source: str  # the format's name (journal.archive.sources), "mirror" for Mirror's zip
    plans: list["_EntryPlan"]
    events: list[EventRecord]
    skipped: Counter


def plan_upload(user, archive_file) -> Planned:
    """Read an upload, check every entry, and match each with the user's entry it is."""
    source = read_upload(archive_file)
    if isinstance(source, MirrorArchive):
        plans, events = _plan_mirror_archive(user, source)
        return Planned("mirror", plans, events, Counter())
    plans, problems, seen_ids = [], list(source.problems), {}
    for entry in source.entries:
        try:
            plan = _plan_source(user, entry, source.skipped)
        except FormatProblem as problem:
            problems.append(f"{entry.where}: {problem}")
            continue
        if plan.id in seen_ids:
            problems.append(
                f"{entry.where}: "
                + gettext("it is the same entry as %(other)s") % {"other": seen_ids[plan.id]}
            )
            continue
        seen_ids[plan.id] = entry.where
        plans.append(plan)
    if not plans and not problems:
        problems.append(gettext("The file holds no entries to import."))
    if problems:
        raise ImportRejected(problems)
    _match_without_id(user, plans, _owned_entries(user, list(seen_ids)))
    return Planned(source.format, plans, [], source.skipped)


def _plan_mirror_archive(
    user, export: MirrorArchive
) -> tuple[list["_EntryPlan"], list[EventRecord]]:
    files, timeline_text, problems = export.files, export.timeline_text, list(export.problems)
    parsed: list[_EntryPlan] = []
    seen_ids: dict[uuid.UUID, str] = {}
    for file in files:
        path = file.path
        try:
            plan = _plan_entry(file, user=user)
        except FormatProblem as problem:
            problems.append(f"{path}: {problem}")
            continue
        if plan.id is not None:
            if plan.id in seen_ids:
                problems.append(
                    f"{path}: "
                    + gettext("the id %(id)s is also the id of %(other)s")
                    % {"id": plan.id, "other": seen_ids[plan.id]}
                )
                continue
            seen_ids[plan.id] = path
        parsed.append(plan)
    events: list[EventRecord] = []
    if timeline_text is not None:
        events, timeline_problems = parse_timeline(
            timeline_text, TIMELINE, max_events=MAX_TIMELINE_EVENTS
        )
        problems.extend(timeline_problems or event_problems(events))
    if problems:
        raise ImportRejected(problems)

    owned = _owned_entries(user, list(seen_ids))
    _match_without_id(user, parsed, owned)
    for plan in parsed:
        if plan.entry is None and "written_on" not in plan.values:
            problems.append(
                f"{plan.path}: "
                # Translators: keep “date:”, the key of the file's front matter, in English.
                + gettext("a new entry needs its date, a line like “date: 2025-03-14”")
            )
    if problems:
        raise ImportRejected(problems)
    return parsed, events


# Entries ----------------------------------------------------------------------------------


@dataclass
class _EntryPlan:
    path: str
    id: uuid.UUID | None
    body: str
    values: dict  # only the keys the file has (a missing key keeps the entry's value)
    tags: list[str] | None
    created: dt.datetime | None
    updated: dt.datetime | None
    entry: Entry | None = None  # the user's entry it matches, once known


def _plan_entry(file: EntryFile, *, user) -> _EntryPlan:
    """Check every key of a file, and turn it into the values an entry would take."""
    raw = file.values
    values: dict = {}
    if "date" in raw:
        values["written_on"] = read_date(raw["date"])
    if "title" in raw:
        title = read_text(raw["title"], "title")
        if len(title) > TITLE_MAX_LENGTH:
            raise FormatProblem(
                gettext(
                    "the title is %(length)s characters; Mirror keeps titles up to "
                    "%(max)s characters"
                )
                % {"length": intcomma(len(title)), "max": TITLE_MAX_LENGTH}
            )
        values["title"] = title
    if "kind" in raw:
        values["kind"] = read_choice(raw["kind"], "kind", Kind) or Kind.REFLECTION
    if "mood" in raw:
        values["mood"] = read_mood(raw["mood"])
    if "feelings" in raw:
        values["feelings"] = read_feelings(raw["feelings"])
    if "stage" in raw:
        values["stage"] = read_choice(raw["stage"], "stage", Stage)
    if "prompt" in raw:
        values["prompt_text"] = read_text(raw["prompt"], "prompt").strip()
    tags = None
    if "tags" in raw:
        try:  # the editor's rule: an imported entry can always be saved again
            tags = clean_tags(read_words(raw["tags"], "tags"))
        except TagProblem as problem:
            raise FormatProblem(str(problem)) from None
    if not file.body.strip():
        raise FormatProblem(gettext("there is no text after the front matter"))
    return _EntryPlan(
        path=file.path,
        id=read_id(raw.get("id")),
        body=file.body,
        values=values,
        tags=tags,
        created=read_moment(raw.get("created"), "created", user.zone),
        updated=read_moment(raw.get("updated"), "updated", user.zone),
    )


# Another app's entry is known in Mirror by an id made of its identity there and the
# user's: importing the same file again finds it, and no two users' imports share one.
SOURCE_NAMESPACE = uuid.UUID("6d4b1f0e-3c2a-5e7f-9a8b-1c2d3e4f5a6b")


def source_entry_id(user, source_id: str) -> uuid.UUID:
    return uuid.uuid5(SOURCE_NAMESPACE, f"{user.pk}:{source_id}")


def _plan_source(user, entry: SourceEntry, skipped: Counter) -> _EntryPlan:
    """Another app's entry as Mirror keeps one: its date checked, its tags made allowed
    (`a/b` becomes `a b`, and no more than MAX_TAGS), a title without text made the text."""
    day = read_date(entry.written_on.isoformat())
    title, body = entry.title.strip(), entry.body
    if not body.strip():  # Mirror's entries hold words: a one-line entry is that line
        title, body = "", title
    tags = unique_tags(repair_tag(name)[:TAG_MAX_LENGTH] for name in entry.tags)
    if len(tags) > MAX_TAGS:
        skipped[TAGS_BEYOND] += len(tags) - MAX_TAGS
        tags = tags[:MAX_TAGS]
    values: dict = {"written_on": day, "title": title}
    if entry.mood is not None:
        values["mood"] = entry.mood
    created = entry.created
    if created is not None and timezone.is_naive(created):
        created = timezone.make_aware(created, user.zone)
    return _EntryPlan(
        path=entry.where,
        id=source_entry_id(user, entry.source_id),
        body=body,
        values=values,
        tags=tags,
        created=created,
        updated=created,
    )


def _owned_entries(user, ids: list[uuid.UUID]) -> dict[uuid.UUID, Entry]:
    owned = {}
    for start in range(0, len(ids), _ID_BATCH):
        batch = ids[start : start + _ID_BATCH]
        for entry in Entry.objects.for_user(user).filter(pk__in=batch).prefetch_related("tags"):
            owned[entry.pk] = entry
    return owned


def _taken_ids(ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these ids some entry already has (only the ids are read, nothing else)."""
    taken = set()
    for start in range(0, len(ids), _ID_BATCH):
        batch = ids[start : start + _ID_BATCH]
        taken.update(Entry.objects.filter(pk__in=batch).values_list("pk", flat=True))
    return taken


def _body_key(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _match_without_id(user, plans: list[_EntryPlan], owned: dict) -> None:
    """Attach each plan to the user's entry it updates, if any. A plan whose id is not the
    user's is matched by date and text instead, and gets a fresh id when it is new."""
    for plan in plans:
        if plan.id is not None and plan.id in owned:
            plan.entry = owned[plan.id]
    missing = [plan.id for plan in plans if plan.id is not None and plan.entry is None]
    taken = _taken_ids(missing)
    loose = []
    for plan in plans:
        if plan.entry is None and (plan.id is None or plan.id in taken):
            plan.id = None
            loose.append(plan)
    days = {plan.values["written_on"] for plan in loose if "written_on" in plan.values}
    if not days:
        return
    matched = {plan.entry.pk for plan in plans if plan.entry is not None}
    candidates: dict[tuple, list[Entry]] = {}
    same_days = Entry.objects.for_user(user).filter(written_on__in=days).prefetch_related("tags")
    for entry in same_days.order_by("created_at", "id"):
        if entry.pk not in matched:
            candidates.setdefault((entry.written_on, _body_key(entry.body)), []).append(entry)
    for plan in loose:
        found = candidates.get((plan.values.get("written_on"), _body_key(plan.body)))
        if found:
            plan.entry = found.pop(0)


def _prompts(user) -> dict[str, Prompt]:
    """Prompt texts the user can answer: their own first, then built-in (retired too)."""
    prompts = Prompt.objects.answerable(user)
    by_text: dict[str, Prompt] = {}
    for prompt in prompts.order_by("user_id", "retired", "id"):
        by_text.setdefault(prompt.text.strip(), prompt)
    return by_text


def _tags(user, plans: list[_EntryPlan]) -> dict[str, Tag]:
    """The user's tags the plans name, by key (created as the first file spells them)."""
    return Tag.objects.for_names(user, (name for plan in plans for name in plan.tags or []))


def entry_changes(entry: Entry, plan: _EntryPlan) -> dict:
    changes = {name: value for name, value in plan.values.items() if getattr(entry, name) != value}
    if _body_key(entry.body) != _body_key(plan.body):
        changes["body"] = plan.body
    return changes


def tags_changed(entry: Entry, plan: _EntryPlan) -> bool:
    return plan.tags is not None and {tag_key(name) for name in plan.tags} != {
        tag_key(tag.name) for tag in entry.tags.all()
    }


def _in_time(deadline: float, path: str) -> None:
    """Refuse the import once it has run MAX_IMPORT_SECONDS, naming the file it reached."""
    if time.monotonic() > deadline:
        raise ImportRejected(
            [
                f"{path}: "
                + gettext(
                    "the import stopped here, after %(seconds)s s, the longest Mirror spends "
                    "on one. Import the archive in parts: export a range of dates (or one "
                    "period) at a time."
                )
                % {"seconds": MAX_IMPORT_SECONDS}
            ]
        )


def _write_entries(user, plans: list[_EntryPlan], *, deadline: float) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    prompts = _prompts(user) if any("prompt_text" in p.values for p in plans) else {}
    tags = _tags(user, plans)
    links = []
    new: list[tuple[_EntryPlan, Entry]] = []
    problems: list[str] = []
    for plan in plans:
        entry = plan.entry
        if entry is None:
            entry = Entry(id=plan.id or uuid.uuid4(), user=user, body=plan.body, **plan.values)
            entry.prompt = prompts.get(entry.prompt_text or None)
            # Its tags are linked in bulk below, without the signal that fills tags_text.
            linked = sorted(
                (tags[tag_key(name)] for name in plan.tags or []),
                key=lambda tag: tag_key(tag.name),
            )
            entry.tags_text = TAGS_SEPARATOR.join(tag.name for tag in linked)
            new.append((plan, entry))
            links.extend(Entry.tags.through(entry_id=entry.pk, tag_id=tag.pk) for tag in linked)
            counts["created"] += 1
            if len(new) == _ID_BATCH:
                _insert_entries(new, problems, deadline=deadline)
                new = []
            continue
        changes = entry_changes(entry, plan)
        if "prompt_text" in changes:
            changes["prompt"] = prompts.get(changes["prompt_text"] or None)
        new_tags = tags_changed(entry, plan)
        if not changes and not new_tags:
            counts["unchanged"] += 1
            continue
        for name, value in changes.items():
            setattr(entry, name, value)
        if changes:
            _in_time(deadline, plan.path)
            try:
                entry.save()  # renders the body before it writes
            except RENDER_REFUSALS as refused:
                problems.append(f"{plan.path}: {refused}")
                continue
        if new_tags:
            entry.tags.set([tags[tag_key(name)] for name in plan.tags])
            if not changes:
                entry.save(update_fields=["updated_at"])
        counts["updated"] += 1
    _insert_entries(new, problems, deadline=deadline)
    if problems:
        raise ImportRejected(problems)  # the transaction takes back what was written
    Entry.objects.link_tags(user, links, batch_size=_ID_BATCH)
    return counts


def _insert_entries(
    batch: list[tuple[_EntryPlan, Entry]], problems: list[str], *, deadline: float
) -> None:
    """Render new entries, then insert them in one statement: a save() each would cost two
    more queries an entry (its own and the journal's version). Once a file is refused,
    nothing more is written, but every file is still rendered, so all problems are listed."""
    # Rendering is most of an import's work, and it happens in Markdown helper processes
    # (journal.markdown): two threads keep two of them busy. Each entry's prompt text is
    # already set, so rendering reads nothing from the database.
    with ThreadPoolExecutor(max_workers=RENDER_THREADS) as pool:
        for (plan, _), refused in zip(batch, pool.map(_render, [e for _, e in batch]), strict=True):
            _in_time(deadline, plan.path)
            if refused is not None:
                problems.append(f"{plan.path}: {refused}")
    if problems or not batch:
        return
    Entry.objects.bulk_create([entry for _, entry in batch])
    # The insert stamps the time of the import; keep when each was written instead (one
    # statement run for every entry: bulk_update builds a CASE of thousands of branches).
    dated = [
        (
            _db_moment(plan.created or entry.created_at),
            _db_moment(plan.updated or plan.created),
            Entry._meta.pk.get_db_prep_value(entry.pk, connection),
        )
        for plan, entry in batch
        if plan.created or plan.updated
    ]
    if dated:
        table, quote = Entry._meta.db_table, connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(table)} SET {quote('created_at')} = %s, "
                f"{quote('updated_at')} = %s WHERE {quote('id')} = %s",
                dated,
            )


RENDER_THREADS = 2


def _render(entry: Entry) -> Exception | None:
    try:
        entry.derive_from_body()
    except RENDER_REFUSALS as refused:
        return refused
    return None


def _db_moment(moment: dt.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


# Timeline ---------------------------------------------------------------------------------


def _restore_events(user, records: list[EventRecord], *, deadline: float) -> tuple[int, int]:
    """Add the archive's events that the timeline does not have yet. Counted as a multiset,
    so two urges on one day stay two, and importing twice adds nothing."""

    def key(kind, day, initiator, note) -> tuple:
        return (day, kind, initiator or "", note_key(note))

    have = Counter(
        key(event.kind, event.occurred_on, event.initiator, event.note)
        for event in TimelineEvent.objects.for_user(user).only(
            "kind", "occurred_on", "initiator", "note"
        )
    )
    created = unchanged = 0
    problems = []
    for record in records:
        record_key = key(record.kind, record.occurred_on, record.initiator, record.note)
        if have[record_key] > 0:
            have[record_key] -= 1
            unchanged += 1
            continue
        _in_time(deadline, TIMELINE)
        try:
            TimelineEvent.objects.create(
                user=user,
                kind=record.kind,
                occurred_on=record.occurred_on,
                initiator=record.initiator,
                note=record.note,
            )
        except RENDER_REFUSALS as refused:
            problems.append(
                f"{TIMELINE}: "
                # Translators: "the note of the separation on 2025-03-14: <why it is refused>";
                # the kind of event is as timeline.md writes it, in English.
                + gettext("the note of the %(kind)s on %(day)s: %(reason)s")
                % {"kind": record.kind, "day": record.occurred_on, "reason": refused}
            )
            continue
        created += 1
    if problems:
        raise ImportRejected(problems)
    return created, unchanged
