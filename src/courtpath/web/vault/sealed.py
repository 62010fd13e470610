"""Sealed model attributes: `name = SealedField()` reads and writes the BinaryField column `name_sealed` through the
row's data key (`data_key`). This is the whole field layer, on purpose small:

* it fails loudly: a wrong or shredded key raises SealedValueError; it never returns ciphertext or a default;
* an empty text is sealed like any other ("" stays "", distinct from "no date"); the column is never NULL;
* the associated data binds each value to its model, attribute and data key, so values cannot be swapped between
  columns or cases unnoticed.

A `SealedField("json")` holds a record (a dict) in one column; `SealedEntry(record, kind, default)` is one typed value
of such a record, read and written like an attribute of its own (a case's facts: `case.left`). Writing an entry
seals the whole record again.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import msgspec
from django.db import models

from courtpath.vault.cipher import SealError, open_sealed, seal
from courtpath.web.vault import keys

# Writes what json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) writes for plain data,
# about ten times faster (SealedField.set_plain).
_PLAIN_JSON = msgspec.json.Encoder(order="sorted")
_PLAIN_DECODER = msgspec.json.Decoder()


class SealedValueError(RuntimeError):
    """A sealed attribute could not be read or written."""

    # A template shows a value that does not open as empty rather than failing the page; the views say which case
    # could not be read (courtpath.web.cases.stored).
    silent_variable_failure = True


class SealedField:
    """A descriptor over `<name>_sealed`; kind "text" holds str, kind "date" holds datetime.date or None."""

    def __init__(self, kind: str = "text") -> None:
        if kind not in ("text", "date", "json"):
            raise ValueError(f"unknown sealed kind {kind!r}")
        self.kind = kind
        self.name = ""
        self.column = ""
        self.owner: type[models.Model] | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.column, self.owner = name, f"{name}_sealed", owner

    @property
    def empty(self) -> str | dict[str, object] | None:
        return {"text": "", "json": {}}.get(self.kind)

    def _encode(self, value: object) -> bytes:
        if self.kind == "text":
            if not isinstance(value, str):
                raise SealedValueError(f"{self.name}: a text value is required, not {type(value).__name__}")
            return value.encode("utf-8")
        if self.kind == "json":
            if not isinstance(value, dict):
                raise SealedValueError(f"{self.name}: a record (dict) is required, not {type(value).__name__}")
            return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        if value is None:
            return b""
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise SealedValueError(f"{self.name}: a date or None is required, not {type(value).__name__}")
        return value.isoformat().encode("ascii")

    def _decode(self, plain: bytes) -> str | dt.date | dict[str, object] | None:
        if self.kind == "text":
            return plain.decode("utf-8")
        if self.kind == "json":
            try:
                return _PLAIN_DECODER.decode(plain)  # ~1.6 times faster than json.loads, the same values
            except msgspec.DecodeError:  # what msgspec refuses and json.loads reads (NaN, a lone surrogate)
                return json.loads(plain)
        return dt.date.fromisoformat(plain.decode("ascii")) if plain else None

    def _associated(self, instance: models.Model) -> bytes:
        return f"{instance._meta.label}.{self.name}|{instance.data_key_id}".encode()

    def _key(self, instance: models.Model) -> bytes:
        if instance.data_key_id is None:
            raise SealedValueError(f"{instance._meta.label}.{self.name}: the row has no data key")
        loaded = instance._state.fields_cache.get("data_key")
        try:
            return keys.key_bytes(instance.data_key_id, loaded)
        except keys.DataKeyError as error:
            raise SealedValueError(f"{instance._meta.label}.{self.name}: {error}") from None

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        opened = instance.__dict__.setdefault("_opened", {})
        if self.name not in opened:
            if not getattr(instance, self.column) and instance._state.adding:
                return self.empty  # a new row, not saved yet, where nothing was set: nothing to open
            try:
                plain = open_sealed(self._key(instance), getattr(instance, self.column), self._associated(instance))
            except SealError as error:
                raise SealedValueError(f"{instance._meta.label}.{self.name} of row {instance.pk}: {error}") from None
            opened[self.name] = self._decode(plain)
        return opened[self.name]

    def __set__(self, instance: models.Model, value: object) -> None:
        self._seal(instance, self._encode(value), value)

    def open_column(self, sealed: bytes | memoryview | None, data_key: keys.WrappedKey) -> Any:
        """The value of this field in a row read with values_list: its column and its data key's row, without a
        model (a scan of thousands of rows spends most of its time building models otherwise). The same value and
        the same SealedValueError as reading the attribute; nothing is kept."""
        label = f"{self.owner._meta.label}.{self.name}"  # type: ignore[union-attr]
        try:
            plain = open_sealed(keys.key_bytes(data_key.id, data_key), sealed, f"{label}|{data_key.id}".encode())
        except (SealError, keys.DataKeyError) as error:
            raise SealedValueError(f"{label}: {error}") from None
        return self._decode(plain)

    def set_plain(self, instance: models.Model, value: dict[str, Any] | msgspec.Struct) -> None:
        """Set a json record known to hold plain data only (str, int, float, bool, None, lists, dicts with text keys:
        what msgspec.to_builtins returns), unchecked: the bytes setting it writes, encoded ~10 times faster (an
        assessment's answer is ~13 KB in each language: services.new_assessment), read back with json.loads like
        every record. Only a float written with an exponent is spelled otherwise (1e16, not 1e+16; the same value).
        Unlike json.dumps, a value of another type (a datetime) is not refused but written as msgspec writes it:
        hence "plain data only" (tests/web/test_vault.py compares the two). A msgspec Struct is written as its
        to_builtins record would be, without making that record: it is opened from the sealed bytes when read."""
        if self.kind != "json" or not isinstance(value, dict | msgspec.Struct):
            raise SealedValueError(f"{self.name}: set_plain takes a record (dict or Struct) for a json field")
        self._seal(instance, _PLAIN_JSON.encode(value), value if isinstance(value, dict) else None)

    def _seal(self, instance: models.Model, plain: bytes, value: object) -> None:
        """Seal `plain`, the encoded `value`; None: not kept, opened again when read."""
        sealed = seal(self._key(instance), plain, self._associated(instance))
        setattr(instance, self.column, sealed)
        opened = instance.__dict__.setdefault("_opened", {})
        if value is None and self.kind == "json":
            opened.pop(self.name, None)
        else:
            opened[self.name] = value


_ENTRY_KINDS = ("text", "bool", "optional_bool", "optional_int", "datetime", "date", "codes", "records")


class SealedEntry:
    """One typed value in the sealed record `record` (a SealedField("json") of the same model). Kinds: text, bool,
    optional_bool, optional_int, datetime (aware), date, codes (a list of texts), records (a list of mappings of
    plain values: a case's procedural events)."""

    def __init__(self, record: str, kind: str, default: object = None) -> None:
        if kind not in _ENTRY_KINDS:
            raise ValueError(f"unknown sealed entry kind {kind!r}")
        self.record, self.kind, self.default, self.name = record, kind, default, ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def _check(self, value: object) -> None:
        expected: dict[str, tuple[type, ...]] = {
            "text": (str,),
            "bool": (bool,),
            "optional_bool": (bool, type(None)),
            "optional_int": (int, type(None)),
            "datetime": (dt.datetime, type(None)),
            "date": (dt.date, type(None)),
            "codes": (list,),
            "records": (list,),
        }
        wrong = not isinstance(value, expected[self.kind])
        if self.kind == "optional_int" and isinstance(value, bool):
            wrong = True
        if self.kind == "date" and isinstance(value, dt.datetime):
            wrong = True
        if self.kind == "codes" and isinstance(value, list) and not all(isinstance(item, str) for item in value):
            wrong = True
        if self.kind == "records" and isinstance(value, list) and not all(isinstance(item, dict) for item in value):
            wrong = True
        if self.kind == "datetime" and isinstance(value, dt.datetime) and value.utcoffset() is None:
            raise SealedValueError(f"{self.name}: an aware datetime is required (with its time zone)")
        if wrong:
            raise SealedValueError(f"{self.name}: a {self.kind} value is required, not {type(value).__name__}")

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        return self.read(getattr(instance, self.record))

    def read(self, record: dict[str, Any]) -> Any:
        """This entry's value in its opened record (SealedField.open_column), as the attribute reads it."""
        if self.name not in record:
            return self.default
        stored = record[self.name]
        if self.kind == "codes":
            return list(stored)  # a copy: changing it does not change the record unseen
        if self.kind == "records":
            return [dict(item) for item in stored]
        if stored is None or self.kind not in ("datetime", "date"):
            return stored
        if self.kind == "date":
            return dt.date.fromisoformat(stored)
        return dt.datetime.fromisoformat(stored).astimezone(dt.UTC)

    def __set__(self, instance: models.Model, value: object) -> None:
        self._check(value)
        stored = value.isoformat() if isinstance(value, dt.date) else value
        setattr(instance, self.record, {**getattr(instance, self.record), self.name: stored})


@cache  # asked for each row made (SealedModel.__init__)
def sealed_fields(model: type[models.Model]) -> tuple[SealedField, ...]:
    return tuple(value for value in vars(model).values() if isinstance(value, SealedField))


@cache
def sealed_entries(model: type[models.Model]) -> tuple[SealedEntry, ...]:
    return tuple(value for value in vars(model).values() if isinstance(value, SealedEntry))


class SealedModel(models.Model):
    """Seals an empty value into every sealed column still unset when the row is first saved."""

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        model = type(self)
        values = {field.name: kwargs.pop(field.name) for field in sealed_fields(model) if field.name in kwargs}
        entries = {entry.name: kwargs.pop(entry.name) for entry in sealed_entries(model) if entry.name in kwargs}
        super().__init__(*args, **kwargs)
        for name, value in values.items():
            setattr(self, name, value)
        for name, value in entries.items():  # after the records they are part of
            setattr(self, name, value)

    def save(self, *args: Any, **kwargs: Any) -> None:
        for field in sealed_fields(type(self)):
            if not getattr(self, field.column):
                setattr(self, field.name, field.empty)
        super().save(*args, **kwargs)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_opened", None)
        super().refresh_from_db(*args, **kwargs)
