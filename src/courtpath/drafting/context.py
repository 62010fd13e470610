"""What a draft is filled from: the DraftContext of one case, and reading it from a mapping (a YAML file)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields

from courtpath.drafting.names import Sex


class DraftDataError(ValueError):
    """Bad draft data: an unknown field, a malformed date or sex. The message names the field."""


@dataclass(frozen=True)
class DraftContext:
    """Everything a template may use. Text is as it is written in the nominative ("младший сержант",
    "войсковая часть 00000"); the templates decline it. Empty text or None means "not known"."""

    client_surname: str = ""
    client_given_name: str = ""
    client_patronymic: str = ""
    client_sex: Sex | None = None  # None: read from the name (the patronymic shows it)
    client_rank: str = ""
    client_birth_date: dt.date | None = None
    military_unit: str = ""  # "войсковая часть 00000"
    investigative_body: str = ""  # "военный следственный отдел по Энскому гарнизону"
    court_name: str = ""  # "235-й гарнизонный военный суд"
    lawyer_name: str = ""  # "Фамилия Имя Отчество"
    lawyer_details: str = ""  # registry number, bar, order number: as the lawyer writes them
    absence_start: dt.date | None = None
    absence_kind: str = ""  # how it began (courtpath.law.facts.AbsenceKind): left-unit, leave, hospital, trip, transfer
    surrender_date: dt.date | None = None
    verdict_date: dt.date | None = None
    case_code: str = ""  # the organisation's pseudonymous code (C-7K2FQX)
    criminal_case_number: str = ""
    charge: str = ""  # "ч. 5 ст. 337 УК РФ"
    family_addressee_name: str = ""  # "Фамилия Имя Отчество" of the relative the letter is for
    family_addressee_sex: Sex | None = None
    attachments: tuple[str, ...] = ()
    place: str = ""  # the town the document is signed in
    document_date: dt.date | None = None  # default: the day it is rendered

    def missing(self, names: list[str]) -> list[str]:
        """Which of `names` have no value."""
        return [name for name in names if getattr(self, name) in (None, "", ())]


FIELD_NAMES = tuple(f.name for f in fields(DraftContext))
DATE_FIELDS = {"client_birth_date", "absence_start", "surrender_date", "verdict_date", "document_date"}
SEX_FIELDS = {"client_sex", "family_addressee_sex"}
SEX_WORDS = {"male": Sex.MALE, "m": Sex.MALE, "м": Sex.MALE, "female": Sex.FEMALE, "f": Sex.FEMALE, "ж": Sex.FEMALE}


def parse_date(value: object, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DraftDataError(f"{name}: not a date: {text!r} (use 2026-03-01 or 01.03.2026)")


def parse_sex(value: object, name: str) -> Sex | None:
    if value is None or value == "":
        return None
    if isinstance(value, Sex):
        return value
    found = SEX_WORDS.get(str(value).strip().lower())
    if found is None:
        raise DraftDataError(f"{name}: {value!r} is not a sex; use male or female")
    return found


def parse_absence_kind(value: object) -> str:
    """How the absence began, one of courtpath.law.facts.AbsenceKind's values; "" when not known."""
    from courtpath.law.facts import AbsenceKind

    if value is None or value == "":
        return ""
    text = str(value).strip()
    kinds = [kind.value for kind in AbsenceKind]
    if text not in kinds:
        raise DraftDataError(f"absence_kind: {text!r} is not one of {', '.join(kinds)}")
    return text


def context_from_mapping(data: Mapping[str, object]) -> DraftContext:
    """A DraftContext from plain data (a parsed YAML file): unknown fields and malformed values are errors."""
    if not isinstance(data, Mapping):
        raise DraftDataError("draft data must be a mapping of field names to values")
    unknown = sorted(str(k) for k in data if k not in FIELD_NAMES)
    if unknown:
        raise DraftDataError(f"unknown field(s): {', '.join(unknown)}; known fields: {', '.join(FIELD_NAMES)}")
    values: dict[str, object] = {}
    for name, value in data.items():
        if name in DATE_FIELDS:
            values[name] = parse_date(value, name)
        elif name in SEX_FIELDS:
            values[name] = parse_sex(value, name)
        elif name == "absence_kind":
            values[name] = parse_absence_kind(value)
        elif name == "attachments":
            items = [] if value is None else value
            if not isinstance(items, list | tuple) or not all(isinstance(v, str | int | float) for v in items):
                raise DraftDataError("attachments: give a list of document descriptions")
            values[name] = tuple(str(v).strip() for v in items if str(v).strip())
        elif value is None:
            values[name] = ""
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            values[name] = " ".join(str(value).split())
        else:
            raise DraftDataError(f"{name}: expected text, got {type(value).__name__}")
    return dataclasses.replace(DraftContext(), **values)
