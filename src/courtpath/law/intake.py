"""The one door for facts: `facts_from_mapping(data)` turns a mapping of canonical fact names into Facts.

Every door calls it: the command line (its options, by name), the JSON API (the body), the case form and the stored
case (`Case.facts`), the interview (its answers), the what-if view and the batch mode's scalar check. The names are
those of Facts (FIELDS, below); a value is what the door naturally has:

* a choice (`status`, `absence_kind`, `context`) is its code as text, or the enum member;
* a moment (`left`, `returned`, `as_of`) is text in the grammar of courtpath.law.moments, or a datetime;
* a day (`law_on`) is text or a date;
* a yes/no fact is a bool (text such as "yes" is the door's to read: a CSV cell, a checkbox);
* `indicators` is a list (or set) of codes;
* None or a missing key means "not given": the default, or the problem `required`; so does empty text for a moment
  or a day (an empty form field, an empty cell).

Every problem found is reported at once (FactsError.problems), in FIELDS order, then the rules of the facts as a
whole (courtpath.law.facts.FACT_RULES). `now` is when the door is used: the start and the end of an absence cannot
lie beyond it (courtpath.law.moments.FUTURE_TOLERANCE); tests pass a fixed one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from courtpath.law.facts import AbsenceKind, Context, Facts, Indicator, PriorConviction, Sex, Status
from courtpath.law.moments import (
    DAY_PATTERN,
    MOMENT_PATTERN,
    Latest,
    check_year,
    now_in_moscow,
    parse_day,
    parse_moment,
    shown,
)
from courtpath.law.problems import FactsError, Problem


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One fact a door may give: its canonical name, kind, default and what it means (for the API's schema)."""

    name: str
    kind: str  # choice | moment | day | flag | choices
    description: str
    default: object = None
    required: bool = False
    choices: type[StrEnum] | None = None
    happened: bool = False  # a moment that has happened: not later than now


FIELD_LIST: tuple[FieldSpec, ...] = (
    FieldSpec("status", "choice", "The serviceman's status.", required=True, choices=Status),
    FieldSpec(
        "left",
        "moment",
        "When the absence began: 01.03.2025 08:00 or 2025-03-01T08:00 (no offset: Moscow time).",
        required=True,
        happened=True,
    ),
    FieldSpec("returned", "moment", "When it ended (surrender, return or detention).", happened=True),
    FieldSpec(
        "as_of",
        "moment",
        "The moment of assessment (default: now); for an absence still going on, assess as of this moment.",
    ),
    FieldSpec(
        "absence_kind",
        "choice",
        "Left the unit, or failed to return from leave, hospital, trip or transfer.",
        default=AbsenceKind.LEFT_UNIT,
        choices=AbsenceKind,
    ),
    FieldSpec(
        "context",
        "choice",
        "auto derives the special context from the dates (mobilization from 21.09.2022).",
        default=Context.AUTO,
        choices=Context,
    ),
    FieldSpec("indicators", "choices", "Facts courts read as intent to desert.", default=(), choices=Indicator),
    FieldSpec("weapon", "flag", "Left with an entrusted weapon.", default=False),
    FieldSpec("group", "flag", "Left as a group by prior agreement.", default=False),
    FieldSpec("first_offence", "flag", "false for a repeat offence.", default=True),
    FieldSpec("grave_circumstances", "flag", "A confluence of grave circumstances.", default=False),
    FieldSpec("surrendered", "flag", "Voluntary surrender or confession; needs returned.", default=False),
    FieldSpec("aggravating", "flag", "Other aggravating circumstances exist.", default=False),
    FieldSpec(
        "released_80_2",
        "flag",
        "Released under art. 80.2, or the case was suspended on the command's petition (contract, mobilized).",
        default=False,
    ),
    FieldSpec("law_on", "day", "What if: apply the law in force on this day instead of arts. 9 and 10."),
    FieldSpec("sex", "choice", "male or female: the colony regime differs (art. 58).", default=Sex.MALE, choices=Sex),
    FieldSpec(
        "on_probation",
        "flag",
        "The absence began during the probation of a suspended sentence for an intentional crime (arts. 73, 74).",
        default=False,
    ),
    FieldSpec(
        "prior_conviction",
        "choice",
        "The gravity of an unexpunged earlier conviction for an intentional crime, or none (arts. 18, 58, 68, 73); "
        "with one, first_offence defaults to false.",
        default=PriorConviction.NONE,
        choices=PriorConviction,
    ),
    FieldSpec("prior_imprisonment", "flag", "A real prison term was served (arts. 18, 58).", default=False),
)
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELD_LIST}
_ORDER = {spec.name: index for index, spec in enumerate(FIELD_LIST)}
_REQUIRED = tuple(spec.name for spec in FIELD_LIST if spec.required)
_TEXT_KINDS = frozenset({"moment", "day"})  # kinds whose empty text means "not given"
KNOWN = ", ".join(FIELDS)
# What a case keeps of its facts: everything but the moment of assessment and the "what if" day, which belong to an
# assessment, not to the case, and the sex, which a case keeps with the client's identity.
STORED_FIELDS = tuple(name for name in FIELDS if name not in ("as_of", "law_on", "sex"))
_MEMBERS: dict[str, dict[str, StrEnum]] = {
    spec.name: {member.value: member for member in spec.choices} for spec in FIELD_LIST if spec.choices is not None
}


def facts_from_mapping(data: Mapping[str, Any], *, now: dt.datetime | None = None) -> Facts:
    """The Facts `data` describes, or FactsError with every problem found (see the module's docstring)."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    latest = Latest(now or now_in_moscow())
    for name, raw in data.items():  # only what is given: most fields are not
        spec = FIELDS.get(name)  # type: ignore[call-overload]
        if spec is None:
            problems.append(Problem(name, "unknown_field", {"name": shown(str(name)), "known": KNOWN}))
        elif raw is not None and not (raw == "" and spec.kind in _TEXT_KINDS):
            try:
                values[name] = _READERS[spec.kind](spec, raw, latest)
            except FactsError as error:
                problems.extend(error.at(name).problems)
    for name in _REQUIRED:
        if name not in values and not any(p.field == name for p in problems):
            problems.append(Problem(name, "required"))
    if problems:  # reported in FIELDS order, after the fields no door knows
        raise FactsError(*sorted(problems, key=lambda p: _ORDER.get(p.field, -1)))  # type: ignore[arg-type]
    if "first_offence" not in values and (
        values.get("prior_conviction", PriorConviction.NONE) is not PriorConviction.NONE or values.get("on_probation")
    ):
        values["first_offence"] = False  # an earlier conviction: not a first offence, unless said (then a problem)
    return Facts(**values)  # type: ignore[arg-type]  # the rules of the facts as a whole


def _choice(spec: FieldSpec, raw: object, latest: Latest) -> StrEnum:
    if type(raw) is spec.choices:
        return raw  # type: ignore[return-value]
    if not isinstance(raw, str):
        raise FactsError.of("not_text")
    member = _MEMBERS[spec.name].get(raw)
    if member is None:
        raise FactsError.of("unknown_value", value=shown(raw), allowed=", ".join(_MEMBERS[spec.name]))
    return member


def _moment(spec: FieldSpec, raw: object, latest: Latest) -> dt.datetime:
    if isinstance(raw, str):
        moment = parse_moment(raw)
    elif isinstance(raw, dt.datetime):
        check_year(raw)
        moment = raw
    else:
        raise FactsError.of("not_text")
    if spec.happened:
        latest.check(moment)
    return moment


def _day(spec: FieldSpec, raw: object, latest: Latest) -> dt.date:
    if isinstance(raw, str):
        return parse_day(raw)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        check_year(raw)
        return raw
    raise FactsError.of("not_text")


def _flag(spec: FieldSpec, raw: object, latest: Latest) -> bool:
    if type(raw) is not bool:
        raise FactsError.of("not_boolean")
    return raw


def _choices(spec: FieldSpec, raw: object, latest: Latest) -> frozenset[StrEnum]:
    if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple | set | frozenset):
        raise FactsError.of("not_list")
    found: list[StrEnum] = []
    limit = len(_MEMBERS[spec.name])
    for item in raw:
        member = _choice(spec, item, latest)
        if member in found:
            raise FactsError.of("duplicate", value=member.value)
        found.append(member)
        if len(found) > limit:  # cannot happen without a duplicate; keeps a huge list from being walked
            break
    return frozenset(found)


_READERS: dict[str, Callable[[FieldSpec, object, Latest], object]] = {
    "choice": _choice,
    "moment": _moment,
    "day": _day,
    "flag": _flag,
    "choices": _choices,
}


def request_schema(extra: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON Schema of a mapping facts_from_mapping accepts from text (as a JSON body), from FIELDS; `extra` adds
    a door's own fields (the API's `lang`)."""
    properties: dict[str, Any] = {}
    for spec in FIELD_LIST:
        schema = _SCHEMA_OF_KIND[spec.kind](spec)
        nullable = not spec.required
        if nullable:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
            if spec.kind in _TEXT_KINDS:  # empty text: not given
                schema["pattern"] = "^$|" + schema["pattern"]
            schema["default"] = _json_default(spec.default)
        schema["description"] = spec.description
        properties[spec.name] = schema
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in FIELD_LIST if spec.required],
        "additionalProperties": False,
    }


def _json_default(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _enum(spec: FieldSpec) -> list[str]:
    return list(_MEMBERS[spec.name])


_SCHEMA_OF_KIND: dict[str, Callable[[FieldSpec], dict[str, Any]]] = {
    "choice": lambda spec: {"type": "string", "enum": _enum(spec)},
    "moment": lambda spec: {"type": "string", "pattern": MOMENT_PATTERN},
    "day": lambda spec: {"type": "string", "pattern": DAY_PATTERN},
    "flag": lambda spec: {"type": "boolean"},
    "choices": lambda spec: {
        "type": "array",
        "items": {"type": "string", "enum": _enum(spec)},
        "uniqueItems": True,
        "maxItems": len(_enum(spec)),
    },
}
