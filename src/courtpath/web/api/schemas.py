"""The body of POST /api/assess: parsed and validated into Facts, or into a list of field errors.

Validation is strict: JSON types are not coerced (`"true"` is not a boolean), unknown fields are refused, enum
values are those of courtpath.law.facts. Moments take the forms the CLI documents, and only those (the CLI also
takes any other form datetime.fromisoformat knows). The rules of the facts themselves (an end after the start, a
surrender needs an end, ...) are those of Facts; this module adds the one rule the CLI checks itself (`returned` and
`as_of` together) and years from 1900 to 2099, so that date arithmetic cannot overflow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from courtpath.cli.parsing import parse_moment
from courtpath.law.facts import AbsenceKind, Context, Facts, FactsError, Indicator, Status

MAX_ERRORS = 20
MAX_BODY_BYTES = 16 * 1024  # a body of facts is under 1 KiB
# Years 1900 to 2099 (the law covered starts in 1997; dates far out would overflow in date arithmetic), months 01-12,
# days 01-31, hours 00-23; an impossible day (30.02) passes the pattern and is refused by the parser.
_YEAR = "(?:19|20)[0-9]{2}"
_ISO_DAY = f"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_RUSSIAN_DAY = rf"(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.{_YEAR}"
_OFFSET = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_ISO_TIME = rf"[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?{_OFFSET}?"
_RUSSIAN_TIME = "[ T](?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
DAY_PATTERN = f"^(?:{_ISO_DAY}|{_RUSSIAN_DAY})$"
MOMENT_PATTERN = f"^(?:{_ISO_DAY}(?:{_ISO_TIME})?|{_RUSSIAN_DAY}(?:{_RUSSIAN_TIME})?)$"
_DAY = re.compile(DAY_PATTERN[1:-1])
_MOMENT = re.compile(MOMENT_PATTERN[1:-1])
MOMENT_HELP = "a date or date-time: 2025-03-01, 2025-03-01T08:00, 2025-03-01T08:00+03:00 or 01.03.2025 08:00"
DAY_HELP = "a date: 2025-03-01 or 01.03.2025"


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    return value


def _moment(value: object) -> dt.datetime:
    text = _text(value)
    if not _MOMENT.fullmatch(text):
        raise PydanticCustomError("moment_format", f"expected {MOMENT_HELP}")
    try:
        moment = parse_moment(text, "")
    except ValueError:
        raise PydanticCustomError("moment_value", f"not a valid date or time: expected {MOMENT_HELP}") from None
    return moment


def _day(value: object) -> dt.date:
    text = _text(value)
    if not _DAY.fullmatch(text):
        raise PydanticCustomError("date_format", f"expected {DAY_HELP}")
    try:
        day = parse_moment(text, "").date()
    except ValueError:
        raise PydanticCustomError("date_value", f"not a valid date: expected {DAY_HELP}") from None
    return day


Moment = Annotated[dt.datetime, PlainValidator(_moment)]
Day = Annotated[dt.date, PlainValidator(_day)]


def _unique(values: list[Indicator]) -> list[Indicator]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "each indicator may be given once")
    return values


class AssessRequest(BaseModel):
    """Field names and defaults as the CLI's options (`kind` is --kind, `indicators` the repeated --indicator)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    status: Status
    left: Moment
    returned: Moment | None = None
    as_of: Moment | None = None
    kind: AbsenceKind = AbsenceKind.LEFT_UNIT
    context: Context = Context.AUTO
    indicators: Annotated[list[Indicator], Field(max_length=len(Indicator)), AfterValidator(_unique)] = []
    weapon: bool = False
    group: bool = False
    first_offence: bool = True
    grave_circumstances: bool = False
    surrendered: bool = False
    aggravating: bool = False
    released_80_2: bool = False
    law_on: Day | None = None
    lang: Literal["ru", "en"] = "ru"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str | None  # "status", "indicators[1]"; None for the body as a whole
    message: str

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message}


class InvalidRequest(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors)
        self.errors = errors[:MAX_ERRORS]


def _field(location: tuple[int | str, ...]) -> str | None:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


_OPTION = re.compile(r"--([a-z0-9-]+)")
# FactsError carries no field; each of its rules is recognised by words of its message (tests/web/test_api.py
# checks every rule, so a reworded message is noticed). A rule not listed here gets no field.
_FACTS_RULES = (
    ("--returned is not after --left", "returned"),
    ("(--as-of) must be after", "as_of"),
    ("give --returned with --surrendered", "surrendered"),
    ("art. 80.2", "released_80_2"),
    ("status 'mobilized' needs", "left"),
    ("earliest law covered", "left"),
)


def _facts_error(error: FactsError) -> FieldError:
    """The API's field for a FactsError, and its message with the CLI's option names (`--as-of`) as the API's field
    names (`as_of`)."""
    text = " ".join(str(error).split())
    field = next((name for words, name in _FACTS_RULES if words in text), None)
    return FieldError(field, _OPTION.sub(lambda match: match.group(1).replace("-", "_"), text))


def parse_request(body: bytes) -> tuple[Facts, str]:
    """The facts and the report language, or InvalidRequest with every error found."""
    plain = _read_plain(body)
    return plain if plain is not None else _read_with_model(body)


# -- the plain path: a body valid beyond doubt, read without the model ------------------------------------------------
# Most bodies are valid. Reading them with orjson and a few checks costs a fraction of the model's validation on a
# loaded server (benchmarks/bench_api_http.py). Anything the checks below do not accept outright (wrong types, unknown
# values or fields, facts that do not hold together) goes to the model, which finds and reports every error, so the
# plain path never decides what an error says. tests/web/test_api_parsing.py checks that both paths give the same
# facts, or the same errors, for generated bodies.

_FIELDS = frozenset(AssessRequest.model_fields)
_DEFAULTS = {name: field.default for name, field in AssessRequest.model_fields.items() if not field.is_required()}
_FLAGS = tuple(name for name, field in AssessRequest.model_fields.items() if field.annotation is bool)
_MEMBERS: dict[str, dict[str, object]] = {
    "status": {member.value: member for member in Status},
    "kind": {member.value: member for member in AbsenceKind},
    "context": {member.value: member for member in Context},
    "lang": {"ru": "ru", "en": "en"},
}
_INDICATORS = {member.value: member for member in Indicator}


class _NotPlain(Exception):
    pass


def _member(data: dict[str, object], name: str) -> object:
    if name not in data:
        return _DEFAULTS[name]  # KeyError for a required field
    value = data[name]
    if type(value) is not str:
        raise _NotPlain
    return _MEMBERS[name][value]  # KeyError: not a value of the field


def _optional(data: dict[str, object], name: str, read: Callable[[object], object]) -> object:
    value = data.get(name)
    return None if value is None else read(value)


def _indicators(value: object) -> frozenset[Indicator]:
    if type(value) is not list or len(value) > len(Indicator):
        raise _NotPlain
    found = frozenset(_INDICATORS[item] for item in value)  # KeyError or TypeError: not an indicator
    if len(found) != len(value):
        raise _NotPlain
    return found


def _read_plain(body: bytes) -> tuple[Facts, str] | None:
    """The facts of a body that is valid beyond doubt; None for any other body."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or not _FIELDS.issuperset(data):
        return None
    try:
        flags = {name: data.get(name, _DEFAULTS[name]) for name in _FLAGS}
        if any(type(value) is not bool for value in flags.values()):
            return None
        returned, as_of = _optional(data, "returned", _moment), _optional(data, "as_of", _moment)
        if returned is not None and as_of is not None:
            return None
        facts = Facts(
            status=_member(data, "status"),  # type: ignore[arg-type]
            left=_moment(data["left"]),
            returned=returned,  # type: ignore[arg-type]
            as_of=as_of,  # type: ignore[arg-type]
            absence_kind=_member(data, "kind"),  # type: ignore[arg-type]
            context=_member(data, "context"),  # type: ignore[arg-type]
            indicators=_indicators(data.get("indicators", [])),
            law_on=_optional(data, "law_on", _day),  # type: ignore[arg-type]
            **flags,
        )
        return facts, _member(data, "lang")  # type: ignore[return-value]
    except (_NotPlain, KeyError, TypeError, PydanticCustomError, FactsError):
        return None


def _read_with_model(body: bytes) -> tuple[Facts, str]:
    try:
        request = AssessRequest.model_validate_json(body, strict=True)
    except ValidationError as error:
        raise InvalidRequest(
            [FieldError(_field(e["loc"]), e["msg"]) for e in error.errors(include_url=False, include_input=False)]
        ) from None
    if request.returned is not None and request.as_of is not None:
        raise InvalidRequest(
            [FieldError("as_of", "give either returned (the absence ended) or as_of (still absent), not both")]
        )
    try:
        facts = Facts(
            status=request.status,
            left=request.left,
            returned=request.returned,
            as_of=request.as_of,
            absence_kind=request.kind,
            context=request.context,
            indicators=frozenset(request.indicators),
            weapon=request.weapon,
            group=request.group,
            first_offence=request.first_offence,
            grave_circumstances=request.grave_circumstances,
            surrendered=request.surrendered,
            aggravating=request.aggravating,
            released_80_2=request.released_80_2,
            law_on=request.law_on,
        )
    except FactsError as error:
        raise InvalidRequest([_facts_error(error)]) from None
    return facts, request.lang
