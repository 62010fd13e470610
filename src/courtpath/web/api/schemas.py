"""The body of POST /api/assess read into Facts through the one intake, and the API's error answer.

A body is a JSON object of canonical fact names (courtpath.law.intake.FIELDS) plus `lang` ("ru" or "en", the
language of the answer and of error messages). JSON types are not coerced: `"true"` is not a boolean. Every problem
found is reported, with its field, its code (courtpath.law.problems) and its message in the language asked for
(English when `lang` itself is wrong).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from courtpath.law.facts import Facts
from courtpath.law.intake import facts_from_mapping
from courtpath.law.problems import FactsError, Problem

MAX_ERRORS = 20
MAX_BODY_BYTES = 16 * 1024  # a body of facts is under 1 KiB
LANGUAGES = ("ru", "en")
LANG_SCHEMA: dict[str, Any] = {
    "type": "string",
    "enum": list(LANGUAGES),
    "default": "ru",
    "description": "The language of the answer's texts and of error messages.",
}
# The door's own problems (the body as a whole, and `lang`), with their English and Russian texts in the catalogue.
NOT_JSON = "not_json"
NOT_OBJECT = "not_object"


class FieldError(msgspec.Struct, frozen=True):
    """One problem of a request: the field (null for the request as a whole), its code and a message."""

    field: str | None
    code: str
    message: str


class Errors(msgspec.Struct, frozen=True):
    """Every problem found in the request."""

    errors: Annotated[list[FieldError], msgspec.Meta(min_length=1, max_length=MAX_ERRORS)]


class InvalidRequest(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors)
        self.errors = errors[:MAX_ERRORS]


_DECODER = msgspec.json.Decoder()


def parse_request(body: bytes) -> tuple[Facts, str]:
    """The facts and the answer's language, or InvalidRequest with every problem found."""
    try:
        data = _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
        raise _invalid([Problem(None, NOT_JSON, {})], "en") from None
    if type(data) is not dict:
        raise _invalid([Problem(None, NOT_OBJECT, {})], "en")
    lang = data.pop("lang", "ru")
    if lang not in LANGUAGES or type(lang) is not str:
        problems = [Problem("lang", "unknown_value", {"value": str(lang)[:40], "allowed": ", ".join(LANGUAGES)})]
        try:
            facts_from_mapping(data)
        except FactsError as error:
            problems.extend(error.problems)
        raise _invalid(problems, "en")
    try:
        return facts_from_mapping(data), lang
    except FactsError as error:
        raise _invalid(list(error.problems), lang) from None


def _invalid(problems: list[Problem], lang: str) -> InvalidRequest:
    return InvalidRequest([FieldError(p.field, p.code, p.render(lang)) for p in problems])
