"""The journal's models and their sealed words (journal.sealing): which fields hold what a
person writes, and how a row seals them on the way in and opens them on the way out.

- A sealed field (`SealedCharField`, `SealedTextField`, `SealedJSONField`) is an ordinary
  field to forms and to the code that reads a model's attributes: it holds the words. Only
  what is written to the database is sealed, by the field's `pre_save` (every `save` and
  `bulk_create`) or by `SealedModel.sealed_value` for the bulk paths that skip it; its
  column holds bytes (`bytea`, a BLOB), whatever its length in words.
- A row opens its sealed fields as it is read (`SealedModel.from_db`), bound to its place:
  its table, the field, its owner and its own identity (`seal_row`). Rows without an owner
  (the built-in prompts) hold no one's words and are stored as they are.
- A sealed field refuses to be compared with words in SQL (`filter(title="…")`, `update`
  with plain text): the database holds no words to compare with. Code that must find words
  reads the rows and looks in Python (journal.search); a tag is found by its keyed digest
  (`Tag.key`).
- `values()` and `values_list()` of a sealed field would give what is stored, so they are
  refused (`SealedQuerySet`): read rows instead.

An empty value is stored empty: that a title is missing is not a secret worth the space.
"""

import json

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .sealing import Place, active_keyring, is_sealed, seal, unseal


class Unsealed(str):
    """A value of a row no one owns (a built-in prompt), stored as it is on purpose."""


class SealedMixin:
    """What the three sealed fields share."""

    sealed = True

    def get_internal_type(self) -> str:
        return "BinaryField"  # the column: sealed bytes (journal.sealing), or a text's UTF-8

    def from_db_value(self, value, expression, connection):
        """Sealed bytes as they are (the row opens them: `SealedModel.from_db`); a value
        stored as it is (a built-in prompt, words from before encryption) as its text."""
        if isinstance(value, memoryview):
            value = bytes(value)
        if isinstance(value, bytes) and not is_sealed(value):
            return value.decode()
        return value

    def pre_save(self, model_instance, add: bool):
        value = getattr(model_instance, self.attname)
        if not hasattr(model_instance, "sealed_value"):  # a migration's historical model
            if getattr(model_instance, "user_id", None) is None and isinstance(value, str):
                return Unsealed(value)
            raise TypeError("a migration has no journal key to seal words with")
        return model_instance.sealed_value(self, value)

    def get_prep_value(self, value):
        if isinstance(value, Unsealed):
            return str(value).encode()
        if isinstance(value, bytes | None):
            return value
        value = super().get_prep_value(value)
        if value:
            raise TypeError(
                f"{self.model.__name__}.{self.name} is sealed: the database holds no words to "
                "compare or write in the clear (see journal/sealed.py)"
            )
        return b""  # empty is stored empty

    def stored(self, value) -> str:
        """The text that is sealed for `value`."""
        return value

    def opened(self, text: str):
        """The value for the text that was sealed."""
        return text


class SealedCharField(SealedMixin, models.CharField):
    """A line of words (a title, a tag's name): a text input with a maximum length in
    forms, a column of sealed bytes in the database."""


class SealedTextField(SealedMixin, models.TextField):
    pass


class SealedJSONField(SealedMixin, models.TextField):
    """Form values as typed (a draft's other fields): JSON, sealed as one text."""

    def stored(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def opened(self, text: str):
        return json.loads(text) if text else self.get_default()

    def get_prep_value(self, value):
        if not isinstance(value, str | bytes | None):  # never compare or write unsealed JSON
            raise TypeError(f"{self.model.__name__}.{self.name} is sealed")
        return super().get_prep_value(value)


class SealedModel(models.Model):
    """A model with sealed fields. `SEAL_IDENTITY` names the fields a row's place is made
    of (its owner and its own identity); a query that defers them still reads them."""

    SEAL_IDENTITY: tuple[str, ...] = ("user", "uid")

    # The generation of the owner's journal key that sealed the row: a journal started
    # afresh after a lost password (a new generation) leaves the rows of the old one
    # locked and out of every page (`for_user`), until the owner deletes them.
    sealed_with = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.note_generation()
        super().save(*args, **kwargs)

    def note_generation(self) -> None:
        """Mark the row with the generation its words are sealed under now."""
        if self.user_id is not None:
            active = active_keyring()
            keyring = active.for_owner(self.user_id) if active is not None else None
            if keyring is not None:
                self.sealed_with = keyring.current

    @classmethod
    def sealed_fields(cls) -> tuple[models.Field, ...]:
        fields = cls.__dict__.get("_sealed_fields")
        if fields is None:
            fields = tuple(f for f in cls._meta.concrete_fields if getattr(f, "sealed", False))
            cls._sealed_fields = fields
        return fields

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        loaded = instance.__dict__
        # Only what was read (a deletion reads ids alone), of rows someone owns.
        sealed = [field for field in cls.sealed_fields() if loaded.get(field.attname)]
        if sealed and instance.user_id is not None:
            for field in sealed:
                loaded[field.attname] = field.opened(
                    unseal(loaded[field.attname], instance.seal_place(field))
                )
        return instance

    def seal_row(self) -> str:
        """The row's identity in its sealed values: known before it is first written."""
        return str(self.uid)

    def seal_place(self, field: models.Field | str) -> Place:
        name = field if isinstance(field, str) else field.name
        return Place(self._meta.db_table, name, self.user_id, self.seal_row())

    def sealed_value(self, field: models.Field | str, value):
        """What is stored for `value` in `field` of this row: sealed, unless it is empty or
        the row is no one's."""
        if isinstance(field, str):
            field = self._meta.get_field(field)
        if value in ("", None):
            return value
        text = field.stored(value)
        if self.user_id is None:
            return Unsealed(text)
        return seal(text, self.seal_place(field)) if text else text


class SealedQuerySet(models.QuerySet):
    """Rows with sealed words (journal.sealed): a query that picks its fields still reads
    what places a row's words, and the bulk update that skips `save` seals them too."""

    def only(self, *fields) -> "SealedQuerySet":
        return super().only(*fields, *self.model.SEAL_IDENTITY)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.note_generation()
        return super().bulk_create(objs, *args, **kwargs)

    def locked(self, user) -> "SealedQuerySet":
        """The user's rows sealed under an earlier journal key (after a fresh start)."""
        return self.filter(user=user).exclude(sealed_with=user.journal_generation)

    def values(self, *fields, **expressions):
        _refuse_sealed(self.model, fields)
        return super().values(*fields, **expressions)

    def values_list(self, *fields, **kwargs):
        _refuse_sealed(self.model, fields)
        return super().values_list(*fields, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        sealed = [f for f in self.model.sealed_fields() if f.name in fields]
        words = [{f.attname: getattr(obj, f.attname) for f in sealed} for obj in objs]
        try:
            for obj, values in zip(objs, words, strict=True):
                for field in sealed:
                    setattr(obj, field.attname, obj.sealed_value(field, values[field.attname]))
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:  # the objects keep their words
            for obj, values in zip(objs, words, strict=True):
                obj.__dict__.update(values)

    bulk_update.alters_data = True


def _refuse_sealed(model, fields) -> None:
    """`values()` of a sealed field would give what is stored, not the words: refused."""
    for path in fields:
        if not isinstance(path, str):
            continue
        current, field = model, None
        for part in path.split("__"):
            try:
                field = current._meta.get_field(part)
            except (FieldDoesNotExist, AttributeError):
                break
            current = field.related_model
        if getattr(field, "sealed", False):
            raise TypeError(f"{path} is sealed: read the rows (journal/sealed.py)")
