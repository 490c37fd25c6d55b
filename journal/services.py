"""Operations that span several models (see STYLE.md): keyword-only, one transaction each."""

import datetime as dt
import uuid
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .export import (
    EntryFile,
    EventRecord,
    FormatProblem,
    note_key,
    parse_entry_file,
    parse_timeline,
    read_choice,
    read_date,
    read_feelings,
    read_id,
    read_moment,
    read_mood,
    read_text,
    read_words,
)
from .forms import MAX_TAGS, TAG_MAX_LENGTH, parse_tags
from .memo import journal_changed
from .models import (
    TAGS_SEPARATOR,
    TITLE_MAX_LENGTH,
    Entry,
    Kind,
    Prompt,
    Stage,
    Tag,
    TimelineEvent,
)

MAX_ARCHIVE_FILES = 20_000
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # uncompressed, all files together
MAX_PROBLEMS_SHOWN = 100
_ID_BATCH = 500
_SYMLINK = 0o120000


class ImportRejected(Exception):
    """The archive was refused; nothing was changed. `problems` says why, per file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events_created: int = 0
    events_unchanged: int = 0

    def summary(self) -> str:
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        return (
            f"Import complete: {count(self.created, 'entry', 'entries')} created, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{count(self.events_created, 'timeline event', 'timeline events')} added, "
            f"{self.events_unchanged} already there."
        )


@transaction.atomic
def journal_import(*, user, archive_file) -> ImportResult:
    """Bring back a zip made by the export (its files perhaps edited by hand).

    Entries are matched by `id` among the user's own; an id that is not theirs (another
    user's, or one from another Mirror) is treated like a file without an id: it matches an
    entry of the same date and text, or becomes a new entry with a new id. Nothing of another
    user's is read or changed (only whether an id is taken). Timeline events are matched by
    date, kind, who left and note. All or nothing: any problem raises ImportRejected and the
    transaction rolls back.
    """
    files, timeline_text, problems = _read_archive(archive_file)
    parsed: list[_EntryPlan] = []
    seen_ids: dict[uuid.UUID, str] = {}
    for path, text in files:
        try:
            plan = _plan_entry(parse_entry_file(path, text), user=user)
        except FormatProblem as problem:
            problems.append(f"{path}: {problem}")
            continue
        if plan.id is not None:
            if plan.id in seen_ids:
                problems.append(f"{path}: the id {plan.id} is also the id of {seen_ids[plan.id]}")
                continue
            seen_ids[plan.id] = path
        parsed.append(plan)
    events: list[EventRecord] = []
    if timeline_text is not None:
        events, timeline_problems = parse_timeline(timeline_text)
        problems.extend(timeline_problems)
    if problems:
        raise ImportRejected(problems)

    owned = _owned_entries(user, list(seen_ids))
    _match_without_id(user, parsed, owned)
    for plan in parsed:
        if plan.entry is None and "written_on" not in plan.values:
            problems.append(
                f"{plan.path}: a new entry needs its date, a line like “date: 2025-03-14”"
            )
    if problems:
        raise ImportRejected(problems)

    result = _write_entries(user, parsed)
    events_created, events_unchanged = _restore_events(user, events)
    journal_changed(user.pk)  # bulk writes send no signals
    return ImportResult(
        created=result["created"],
        updated=result["updated"],
        unchanged=result["unchanged"],
        events_created=events_created,
        events_unchanged=events_unchanged,
    )


# The archive ------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        not name
        or "\x00" in name
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[0].isalpha() and name[1] == ":")
        or ".." in parts
    )


def _read_archive(archive_file) -> tuple[list[tuple[str, str]], str | None, list[str]]:
    """The entry files and timeline.md of a zip as text, and the files that are not text.
    A hostile archive is refused here, before anything is read from it."""
    try:
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportRejected(
            ["This file is not a zip archive. Choose the .zip file that Mirror's export made."]
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ARCHIVE_FILES:
            raise ImportRejected(
                [
                    f"The archive holds {len(infos):,} files; Mirror imports at most "
                    f"{MAX_ARCHIVE_FILES:,}."
                ]
            )
        problems = []
        for info in infos:
            if _unsafe_name(info.filename):
                problems.append(
                    f"{info.filename!r}: a path that leaves the archive's folder is not allowed."
                )
            elif (info.external_attr >> 16) & 0o170000 == _SYMLINK:
                problems.append(f"{info.filename}: the archive holds a link, which is not allowed.")
            elif info.flag_bits & 0x1:
                problems.append(f"{info.filename}: password-protected files cannot be imported.")
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            problems.append("The archive holds two files with the same name.")
        if problems:
            raise ImportRejected(problems)
        declared = sum(info.file_size for info in infos)
        if declared > MAX_ARCHIVE_BYTES:
            raise ImportRejected(
                [
                    f"The archive unpacks to {declared / 2**20:,.0f} MB; Mirror imports at most "
                    f"{MAX_ARCHIVE_BYTES / 2**20:,.0f} MB."
                ]
            )
        return _read_members(archive, [info for info in infos if _worth_reading(info)])


def _worth_reading(info: zipfile.ZipInfo) -> bool:
    """Files, not folders, and none a system or an editor added (__MACOSX/, .obsidian/)."""
    parts = info.filename.split("/")
    hidden = parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)
    return not info.is_dir() and not hidden


def _top_folder(infos: list[zipfile.ZipInfo]) -> str:
    """The one folder everything sits in, when a zip tool wrapped the export in one."""
    tops = {info.filename.split("/", 1)[0] for info in infos}
    if len(tops) == 1 and all("/" in info.filename for info in infos):
        top = tops.pop()
        if top != "entries":
            return top + "/"
    return ""


def _read_members(
    archive: zipfile.ZipFile, infos
) -> tuple[list[tuple[str, str]], str | None, list[str]]:
    prefix = _top_folder(infos)
    budget = MAX_ARCHIVE_BYTES
    files: list[tuple[str, str]] = []
    timeline_text = None
    problems = []
    for info in infos:
        path = info.filename.removeprefix(prefix)
        is_entry = path.startswith("entries/") and path.lower().endswith(".md")
        if not is_entry and path != "timeline.md":
            continue  # README.md, or anything else a person put beside the entries
        # The header's size is a claim: read no more than it (and the budget) allows.
        limit = min(info.file_size, budget)
        try:
            with archive.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
            raise ImportRejected(
                [
                    f"{path}: the file is damaged or larger than the archive says "
                    "(Mirror stopped reading it). Export again and import the new zip."
                ]
            ) from None
        if len(data) > limit:
            raise ImportRejected(
                [f"{path}: the file is larger than the archive says; the import was stopped."]
            )
        budget -= len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{path}: the file is not UTF-8 text; save it as UTF-8 and try again")
            continue
        if "\x00" in text:
            problems.append(f"{path}: the file holds a NUL character, which text cannot hold")
            continue
        if is_entry:
            files.append((path, text))
        else:
            timeline_text = text
    if not files and timeline_text is None and not problems:
        raise ImportRejected(
            [
                "The archive holds no entries/…md files and no timeline.md: is it a zip made "
                "by Mirror's export?"
            ]
        )
    files.sort()
    return files, timeline_text, problems


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
            raise FormatProblem(f"the title is longer than {TITLE_MAX_LENGTH} characters")
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
        tags = parse_tags(",".join(read_words(raw["tags"], "tags")))
        if len(tags) > MAX_TAGS:
            raise FormatProblem(f"it has {len(tags)} tags; an entry holds at most {MAX_TAGS}")
        for name in tags:
            if len(name) > TAG_MAX_LENGTH:
                raise FormatProblem(
                    f"the tag “{name[:20]}…” is longer than {TAG_MAX_LENGTH} characters"
                )
    if not file.body.strip():
        raise FormatProblem("there is no text after the front matter")
    return _EntryPlan(
        path=file.path,
        id=read_id(raw.get("id")),
        body=file.body,
        values=values,
        tags=tags,
        created=read_moment(raw.get("created"), "created", user.zone),
        updated=read_moment(raw.get("updated"), "updated", user.zone),
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
    prompts = Prompt.objects.filter(Q(user=user) | Q(user__isnull=True))
    by_text: dict[str, Prompt] = {}
    for prompt in prompts.order_by("user_id", "retired", "id"):
        by_text.setdefault(prompt.text.strip(), prompt)
    return by_text


def _tags(user, plans: list[_EntryPlan]) -> dict[str, Tag]:
    names = {name for plan in plans if plan.tags for name in plan.tags}
    existing = {tag.name: tag for tag in Tag.objects.for_user(user).filter(name__in=names)}
    missing = [Tag(user=user, name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.for_user(user).filter(name__in=names)}
    return existing


def _changes(entry: Entry, plan: _EntryPlan) -> dict:
    changes = {name: value for name, value in plan.values.items() if getattr(entry, name) != value}
    if _body_key(entry.body) != _body_key(plan.body):
        changes["body"] = plan.body
    return changes


def _write_entries(user, plans: list[_EntryPlan]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    prompts = _prompts(user) if any("prompt_text" in p.values for p in plans) else {}
    tags = _tags(user, plans)
    links = []
    for plan in plans:
        entry = plan.entry
        if entry is None:
            entry = Entry(id=plan.id or uuid.uuid4(), user=user, body=plan.body, **plan.values)
            entry.prompt = prompts.get(entry.prompt_text or None)
            # Its tags are linked in bulk below, without the signal that fills tags_text.
            entry.tags_text = TAGS_SEPARATOR.join(sorted(plan.tags or []))
            entry.save(force_insert=True)
            moments = {"created_at": plan.created, "updated_at": plan.updated or plan.created}
            moments = {name: value for name, value in moments.items() if value is not None}
            if moments:  # keep when it was written, not when it was imported
                Entry.objects.filter(pk=entry.pk).update(**moments)
            links.extend(
                Entry.tags.through(entry_id=entry.pk, tag_id=tags[name].pk)
                for name in plan.tags or []
            )
            counts["created"] += 1
            continue
        changes = _changes(entry, plan)
        if "prompt_text" in changes:
            changes["prompt"] = prompts.get(changes["prompt_text"] or None)
        tags_changed = plan.tags is not None and set(plan.tags) != {
            tag.name for tag in entry.tags.all()
        }
        if not changes and not tags_changed:
            counts["unchanged"] += 1
            continue
        for name, value in changes.items():
            setattr(entry, name, value)
        if changes:
            entry.save()
        if tags_changed:
            entry.tags.set([tags[name] for name in plan.tags])
            if not changes:
                entry.save(update_fields=["updated_at"])
        counts["updated"] += 1
    Entry.tags.through.objects.bulk_create(links, batch_size=_ID_BATCH)
    return counts


# Timeline ---------------------------------------------------------------------------------


def _restore_events(user, records: list[EventRecord]) -> tuple[int, int]:
    """Add the archive's events that the timeline does not have yet. Counted as a multiset,
    so two urges on one day stay two, and importing twice adds nothing."""

    def key(kind, day, initiator, note) -> tuple:
        return (day, kind, initiator or "", note_key(note))

    have = Counter(
        key(*values)
        for values in TimelineEvent.objects.for_user(user).values_list(
            "kind", "occurred_on", "initiator", "note"
        )
    )
    created = unchanged = 0
    for record in records:
        record_key = key(record.kind, record.occurred_on, record.initiator, record.note)
        if have[record_key] > 0:
            have[record_key] -= 1
            unchanged += 1
            continue
        TimelineEvent.objects.create(
            user=user,
            kind=record.kind,
            occurred_on=record.occurred_on,
            initiator=record.initiator,
            note=record.note,
        )
        created += 1
    return created, unchanged
