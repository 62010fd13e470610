"""Russian declension for document drafts: full names, ranks and the names of units, bodies and courts.

    decline_name(PersonName(...), "gent")     -> Declined(PersonName in the genitive, warnings)
    decline_phrase("младший сержант", "datv") -> Declined("младшему сержанту")

The six cases are pymorphy3's grammemes: nomn, gent, datv, accs, ablt, loct. A word that cannot be placed is
left unchanged and a warning says so, for the lawyer to check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from courtpath.drafting.morph import CASES, check_case
from courtpath.drafting.names import (
    Declined,
    Sex,
    decline_given_name,
    decline_patronymic,
    decline_surname,
    guess_sex,
)
from courtpath.drafting.phrases import decline_phrase
from courtpath.i18n import Msg

__all__ = [
    "CASES",
    "Declined",
    "FullNameError",
    "PersonName",
    "Sex",
    "decline_name",
    "decline_phrase",
    "parse_full_name",
]


@dataclass(frozen=True)
class PersonName:
    """A person's name in some case; str() gives "Фамилия Имя Отчество"."""

    surname: str
    given_name: str
    patronymic: str
    sex: Sex

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def short(self) -> str:
        """ "Тестовиков И. П." (surname and initials)."""
        return " ".join(p for p in (self.surname, self.initials) if p)

    @property
    def initials_first(self) -> str:
        """ "И. П. Тестовиков", as in a signature or an addressee line."""
        return " ".join(p for p in (self.initials, self.surname) if p)

    @property
    def initials(self) -> str:
        return " ".join(f"{p[0].upper()}." for p in (self.given_name, self.patronymic) if p)

    @property
    def given_and_patronymic(self) -> str:
        """ "Мария Ивановна", as in "Уважаемая Мария Ивановна!"."""
        return " ".join(p for p in (self.given_name, self.patronymic) if p)

    @property
    def surname_last(self) -> str:
        """ "Ольги Петровны Выдумской", as a letter names a person in running text."""
        return " ".join(p for p in (self.given_name, self.patronymic, self.surname) if p)

    def __str__(self) -> str:
        return self.full


def decline_name(name: PersonName, case: str) -> tuple[PersonName, tuple[Msg, ...]]:
    check_case(case)
    parts = (
        decline_surname(name.surname, name.sex, case),
        decline_given_name(name.given_name, name.sex, case),
        decline_patronymic(name.patronymic, name.sex, case),
    )
    declined = replace(name, surname=parts[0].text, given_name=parts[1].text, patronymic=parts[2].text)
    return declined, tuple(w for p in parts for w in p.warnings)


class FullNameError(ValueError):
    """A full name that cannot be split into surname, given name and patronymic."""


def parse_full_name(text: str, sex: Sex | None = None) -> tuple[PersonName, tuple[Msg, ...]]:
    """Split "Фамилия Имя Отчество" (the order of Russian documents). The patronymic may be missing or have two
    words ("Мамед оглы"). Without `sex`, it is read from the name; if the name does not show it, male is assumed
    and a warning says so."""
    words = text.split()
    if len(words) < 2:
        raise FullNameError(f"a full name needs at least a surname and a given name: {text!r}")
    surname, given = words[0], words[1]
    patronymic = " ".join(words[2:])
    warnings: tuple[Msg, ...] = ()
    if sex is None:
        sex = guess_sex(surname, given, patronymic)
        if sex is None:
            sex = Sex.MALE
            warnings = (
                Msg(
                    "The name “{name}” does not show whether it is a man's or a woman's: declined as a man's", name=text
                ),
            )
    return PersonName(surname, given, patronymic, sex), warnings
