"""Usernames: one canonical spelling, a small safe alphabet for new names, and no look-alikes.

A username is stored in its canonical form (NFKC, then case folded): `ADMIN` and the full-width `ａｄｍｉｎ` both
become `admin`. The login page canonicalises what is typed too, so `ADMIN` logs in as `admin`; an account created
before this rule whose name could not be canonicalised (two existing names that collide) keeps its spelling and
logs in with it (User.objects.find).

A new name uses the Latin or the Cyrillic alphabet, never both (a mixed-script name such as Cyrillic «а» + Latin
«dmin» exists only to imitate another), plus digits and `. _ - @ +`. It is refused when its skeleton equals the
skeleton of an existing name: the skeleton maps characters that look alike to one of them (a small subset of
Unicode TS #39's confusables, for exactly the characters allowed here), so Cyrillic «асе» cannot sit beside Latin
`ace`, nor `adm1n` beside `admin`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 150
_LATIN = re.compile(r"[a-z0-9._@+-]+")
_CYRILLIC = re.compile(r"[а-яё0-9._@+-]+")

# Lower-case characters allowed in a new name that look like another one, mapped to it (TS #39 style, reduced).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "г": "r",
        "е": "e",
        "ё": "e",
        "з": "3",
        "и": "u",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "п": "n",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ч": "4",
        "ь": "b",
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
    }
)
_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def canonical(username: str) -> str:
    """NFKC, case folding, NFKC again (folding can undo the first normalisation), without surrounding spaces."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold()).strip()


def skeleton(username: str) -> str:
    """What the name looks like: look-alike characters and sequences replaced by one representative."""
    shape = canonical(username).translate(_CONFUSABLES)
    for sequence, replacement in _SEQUENCES:
        shape = shape.replace(sequence, replacement)
    return shape


def validate_new(username: str, existing: Iterable[str]) -> str:
    """The canonical form of a new username, or ValidationError: bad characters, mixed alphabets, taken, or a
    look-alike of an existing name (`existing`: the names stored now)."""
    name = canonical(username)
    if not name:
        raise ValidationError(_("Enter a username."), code="username_empty")
    if len(name) > MAX_LENGTH:
        raise ValidationError(_("The username is too long."), code="username_length")
    if not (_LATIN.fullmatch(name) or _CYRILLIC.fullmatch(name)):
        raise ValidationError(
            _("Use Latin or Cyrillic letters (not both in one name), digits and @ . + - _ only, without spaces."),
            code="username_characters",
        )
    shape = skeleton(name)
    for other in existing:
        if canonical(other) == name:
            raise ValidationError(_("An account with this username already exists."), code="duplicate")
        if skeleton(other) == shape:
            raise ValidationError(
                _("This username looks like an existing one. Choose one that cannot be mistaken for it."),
                code="lookalike",
            )
    return name
