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
    lawyer_details: str = ""  # free text shown after the profile (an order number…); kept for older callers
    lawyer_position: str = ""  # "адвокат" (the default when empty)
    lawyer_bar_number: str = ""  # registry number in the register of advocates: "99/999"
    lawyer_bar: str = ""  # "Адвокатская палата Энской области" or the collegium
    organisation_name: str = ""  # the lawyer's organisation, as it signs its letters
    organisation_address: str = ""  # the address for replies
    prosecutor_office: str = ""  # "военная прокуратура Энского гарнизона"
    commander: str = ""  # "командир войсковой части 00000"
    absence_start: dt.date | None = None
    absence_kind: str = ""  # how it began (courtpath.law.facts.AbsenceKind): left-unit, leave, hospital, trip, transfer
    surrender_date: dt.date | None = None
    verdict_date: dt.date | None = None
    report_date: dt.date | None = None  # the crime report / statement of surrender was registered
    report_decision_due: dt.date | None = None  # last day for the decision on it (art. 144 УПК), computed
    case_opened_date: dt.date | None = None
    charged_date: dt.date | None = None
    suspension_date: dt.date | None = None
    detained_date: dt.date | None = None
    returned_to_unit_date: dt.date | None = None
    appeal_last_day: dt.date | None = None  # computed last day of the appeal window, after art. 128 part 2 УПК
    inaction: str = "report"  # what complaint_prosecutor_inaction is about: INACTION_KINDS
    case_code: str = ""  # the organisation's pseudonymous code (C-7K2FQX)
    criminal_case_number: str = ""
    charge: str = ""  # "ч. 5 ст. 337 УК РФ"
    family_addressee_name: str = ""  # "Фамилия Имя Отчество" of the relative the letter is for
    family_addressee_sex: Sex | None = None
    attachments: tuple[str, ...] = ()
    requested_steps: tuple[str, ...] = ()  # procedural steps a motion asks for, one per line
    place: str = ""  # the town the document is signed in
    document_date: dt.date | None = None  # default: the day it is rendered

    def missing(self, names: list[str]) -> list[str]:
        """Which of `names` have no value."""
        return [name for name in names if getattr(self, name) in (None, "", ())]


FIELD_NAMES = tuple(f.name for f in fields(DraftContext))
DATE_FIELDS = {
    "client_birth_date",
    "absence_start",
    "surrender_date",
    "verdict_date",
    "report_date",
    "report_decision_due",
    "case_opened_date",
    "charged_date",
    "suspension_date",
    "detained_date",
    "returned_to_unit_date",
    "appeal_last_day",
    "document_date",
}
LIST_FIELDS = {"attachments", "requested_steps"}
# The inaction a complaint to the prosecutor is about: the investigative body's on a crime report, or the command's
# failure to report an absence to the investigators.
INACTION_KINDS = ("report", "command")
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


def _one_of(value: object, name: str, choices: tuple[str, ...], empty: str) -> str:
    """`value` if it is one of `choices`, `empty` when none is given; DraftDataError naming the field otherwise."""
    if value is None or value == "":
        return empty
    text = str(value).strip()
    if text not in choices:
        raise DraftDataError(f"{name}: {text!r} is not one of {', '.join(choices)}")
    return text


def parse_absence_kind(value: object) -> str:
    """How the absence began, one of courtpath.law.facts.AbsenceKind's values; "" when not known."""
    from courtpath.law.facts import AbsenceKind

    return _one_of(value, "absence_kind", tuple(kind.value for kind in AbsenceKind), "")


def parse_inaction(value: object) -> str:
    return _one_of(value, "inaction", INACTION_KINDS, "report")


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
        elif name == "inaction":
            values[name] = parse_inaction(value)
        elif name in LIST_FIELDS:
            items = [] if value is None else value
            if not isinstance(items, list | tuple) or not all(isinstance(v, str | int | float) for v in items):
                raise DraftDataError(f"{name}: give a list of lines (one document or step each)")
            values[name] = tuple(" ".join(str(v).split()) for v in items if str(v).strip())
        elif value is None:
            values[name] = ""
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            values[name] = " ".join(str(value).split())
        else:
            raise DraftDataError(f"{name}: expected text, got {type(value).__name__}")
    return dataclasses.replace(DraftContext(), **values)
