"""The gettext catalogue of the whole project, read without Django, and messages translated when rendered.

English is the source language. Every message of the project (the engine, the command line, analytics, drafts and
the web app) is in one catalogue per language, src/courtpath/locale/<lang>/LC_MESSAGES/django.po: Django requires the
domain name "django" and reads the compiled .mo (courtpath.web.catalogs); the engine and the command line read the
same .po here with Babel at first use, so no compile step is needed without the web app. `make messages` extracts
the messages and merges them into the catalogues (README, "Translations").

The keywords the extraction knows (pyproject.toml, [tool.babel.extract_messages]):
  * `Msg("...", name=value)`: a message rendered later, in the language of the reader (engine results);
  * `_t("...", lang, name=value)`: the text of a message now;
  * `ngettext(singular, plural, n, lang)` and `npgettext(context, singular, plural, n, lang)` below: plural forms;
  * Django's gettext functions and template tags in the web app.
The msgid must be a literal string in the call, never computed and never inside an f-string: the extractor would
not see it (tests/test_i18n.py checks the source for both).
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from collections.abc import Callable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import NamedTuple, Protocol

LANGUAGES = ("ru", "en")
DOMAIN = "django"


class Localised(Protocol):
    def get(self, lang: str) -> str: ...


class Catalogue(NamedTuple):
    """One language's translations: msgid -> text; (context, singular msgid) -> plural forms, and which form n takes."""

    texts: dict[str, str]
    plurals: dict[tuple[str | None, str], tuple[str, ...]]
    plural_form: Callable[[int], int]


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


def catalogue_path(lang: str) -> Traversable:
    return resources.files("courtpath").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def catalogue(lang: str) -> Catalogue:
    """The translations of `lang` (none for English, the source language). Fuzzy entries are not used."""
    if lang == "en":
        return Catalogue({}, {}, _english_plural)
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    texts: dict[str, str] = {}
    plurals: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for message in parsed:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(str(form) for form in message.string)
            if all(forms):
                plurals[(message.context, str(message.id[0]))] = forms
        elif message.string and message.context is None:
            texts[str(message.id)] = str(message.string)
    return Catalogue(texts, plurals, _gettext.c2py(parsed.plural_expr))


def gettext(msgid: str, lang: str) -> str:
    return catalogue(lang).texts.get(msgid, msgid)


def _t(msgid: str, lang: str, **params: object) -> str:
    """The text of a message in `lang` now, its {name} placeholders filled with `params`."""
    return Msg(msgid, **params).render(lang)


def npgettext(context: str | None, singular: str, plural: str, n: int, lang: str) -> str:
    """The form of a message for the number n (placeholders not filled), as the catalogue of `lang` gives it."""
    found = catalogue(lang)
    forms = found.plurals.get((context, singular))
    if forms is None:
        return singular if _english_plural(n) == 0 else plural
    index = found.plural_form(n)
    return forms[index] if index < len(forms) else forms[-1]


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    return npgettext(None, singular, plural, n, lang)


_MSK = dt.timedelta(hours=3)


def format_moment(moment: dt.datetime, lang: str) -> str:
    # Formatted field by field with %: strftime costs three times as much, an f-string with format specs half as
    # much again, and an answer formats several moments. Years before 1000 (which strftime does not pad the same way
    # everywhere) never occur; strftime keeps them exact.
    if moment.year < 1000:
        return _strftime_moment(moment, lang)
    if moment.utcoffset() == _MSK:
        zone = gettext("MSK", lang)  # Moscow time
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
    zone = gettext("MSK", lang) if offset == "+0300" else f"UTC{offset[:3]}:{offset[3:]}"
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

    def with_params(self, **params: object) -> Msg:
        """The same message with (more) parameters."""
        return Msg(self.msgid, **{**self.params, **params})

    def render(self, lang: str) -> str:
        text = catalogue(lang).texts.get(self.msgid, self.msgid)
        if not self.params:
            return text
        values = {key: render_value(value, lang) for key, value in self.params.items()}
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):
            return self.msgid.format_map(values)  # a broken translation must not break the report

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, {self.params!r})"


class Joined:
    """Several values (names, usually) rendered in one language and joined by ", ": a list inside a message."""

    __slots__ = ("values",)

    def __init__(self, *values: object) -> None:
        self.values = values

    def render(self, lang: str) -> str:
        return ", ".join(render_value(value, lang) for value in self.values)

    def __repr__(self) -> str:
        return f"Joined{self.values!r}"


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
    if isinstance(value, Msg | Joined):
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
