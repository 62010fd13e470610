"""Gettext catalogues (PO files under courtpath/locale) and lazily translated messages.

English is the source language; Russian lives in locale/ru/LC_MESSAGES/courtpath.po. The PO file is read with
Babel at first use, so no compile step is needed for the library or the CLI.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Protocol

LANGUAGES = ("ru", "en")
DOMAIN = "courtpath"


class Localised(Protocol):
    def get(self, lang: str) -> str: ...


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translated text for `lang` (empty for English, the source language)."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    path = resources.files("courtpath").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string and not m.fuzzy}


def gettext(msgid: str, lang: str) -> str:
    return catalog(lang).get(msgid, msgid)


_MSK = dt.timedelta(hours=3)


def format_moment(moment: dt.datetime, lang: str) -> str:
    # Formatted field by field with %: strftime costs three times as much, an f-string with format specs half as
    # much again, and an answer formats several moments. Years before 1000 (which strftime does not pad the same way
    # everywhere) never occur; strftime keeps them exact.
    if moment.year < 1000:
        return _strftime_moment(moment, lang)
    if moment.utcoffset() == _MSK:
        zone = "МСК" if lang == "ru" else "MSK"
    else:
        text = moment.strftime("%z")
        zone = f"UTC{text[:3]}:{text[3:]}"
    if lang == "ru":
        fields = (moment.day, moment.month, moment.year, moment.hour, moment.minute, zone)
        return "%02d.%02d.%d %02d:%02d %s" % fields  # noqa: UP031 (faster, see above)
    fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute, zone)
    return "%d-%02d-%02d %02d:%02d %s" % fields  # noqa: UP031


def _strftime_moment(moment: dt.datetime, lang: str) -> str:
    offset = moment.strftime("%z")
    zone = (
        "МСК"
        if offset == "+0300" and lang == "ru"
        else ("MSK" if offset == "+0300" else f"UTC{offset[:3]}:{offset[3:]}")
    )
    pattern = "%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"
    return f"{moment.strftime(pattern)} {zone}"


def format_date(day: dt.date, lang: str) -> str:
    return day.strftime("%d.%m.%Y" if lang == "ru" else "%Y-%m-%d")


class Msg:
    """A message translated when rendered: an English msgid and its parameters."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params

    def render(self, lang: str) -> str:
        text = catalog(lang).get(self.msgid, self.msgid)
        if not self.params:
            return text
        values = {key: render_value(value, lang) for key, value in self.params.items()}
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):
            return self.msgid.format_map(values)  # a broken translation must not break the report

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, {self.params!r})"


def render_value(value: object, lang: str) -> str:
    kind = type(value)  # the common exact types first: a report renders many values
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is Msg:
        return value.render(lang)  # type: ignore[attr-defined]
    if kind is dt.datetime:
        return format_moment(value, lang)  # type: ignore[arg-type]
    if kind is int:
        return str(value)
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, dt.datetime):
        return format_moment(value, lang)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, float):
        text = f"{value:g}" if value == int(value) else f"{value:.1f}"
        return text.replace(".", ",") if lang == "ru" else text
    getter = getattr(value, "get", None)
    if callable(getter) and not isinstance(value, dict):
        return str(getter(lang))
    return str(value)
