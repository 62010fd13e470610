"""The OpenAPI 3.1 document of the API, written by hand.

The enumerations come from the code they describe (courtpath.law.facts, the law-data schema, the engine), so that
they cannot drift; the rest follows AssessRequest (schemas.py) and Assessment.to_dict (courtpath.law.result).
tests/web/test_api.py checks the request schema against AssessRequest, and the schemathesis test checks real
responses against the response schemas.
"""

from __future__ import annotations

import functools
from typing import Any, get_args

from courtpath import __version__
from courtpath.law import schema as law_schema
from courtpath.law.decide import ACT_TIME_BASES
from courtpath.law.engine import BAND_CODES, BOUNDARY_CODES
from courtpath.law.facts import AbsenceKind, Context, Indicator, Status
from courtpath.web.api.schemas import (
    DAY_HELP,
    DAY_PATTERN,
    MAX_BODY_BYTES,
    MAX_ERRORS,
    MOMENT_HELP,
    MOMENT_PATTERN,
)
from courtpath.web.api.services import TOKEN_LENGTH, TOKEN_START

FLAG_SEVERITIES = ("risk", "warning", "info", "open_question")
BASES = (*ACT_TIME_BASES, "retroactive", "hypothetical")
KEY_DATE_CODES = (*BOUNDARY_CODES, "limitation_expires")


def _literal(annotation: object) -> list[str]:
    return list(get_args(annotation))


def _values(enum: type) -> list[str]:
    return [member.value for member in enum]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], *, required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        **extra,
    }


STRING: dict[str, Any] = {"type": "string"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}
MOMENT_OUT: dict[str, Any] = {"type": "string", "format": "date-time", "description": "ISO 8601, Moscow time"}
DAY_OUT: dict[str, Any] = {"type": ["string", "null"], "format": "date"}


def _request_schema() -> dict[str, Any]:
    def flag(default: bool, description: str) -> dict[str, Any]:
        return {"type": "boolean", "default": default, "description": description}

    moment = {"type": "string", "pattern": MOMENT_PATTERN}
    optional_moment = {"type": ["string", "null"], "pattern": MOMENT_PATTERN, "default": None}
    return _object(
        {
            "status": {"type": "string", "enum": _values(Status), "description": "The serviceman's status."},
            "left": {**moment, "description": f"When the absence began: {MOMENT_HELP}. No offset: Moscow time."},
            "returned": {
                **optional_moment,
                "description": "When it ended (surrender, return or detention). Not together with as_of.",
            },
            "as_of": {
                **optional_moment,
                "description": "For an absence still going on: assess as of this moment (default: now).",
            },
            "kind": {
                "type": "string",
                "enum": _values(AbsenceKind),
                "default": AbsenceKind.LEFT_UNIT.value,
                "description": "Left the unit, or failed to return from leave, hospital, trip or transfer.",
            },
            "context": {
                "type": "string",
                "enum": _values(Context),
                "default": Context.AUTO.value,
                "description": "auto derives it from the dates.",
            },
            "indicators": {
                "type": "array",
                "items": {"type": "string", "enum": _values(Indicator)},
                "uniqueItems": True,
                "maxItems": len(Indicator),
                "default": [],
                "description": "Facts courts read as intent to desert.",
            },
            "weapon": flag(False, "Left with an entrusted weapon."),
            "group": flag(False, "Left as a group by prior agreement."),
            "first_offence": flag(True, "false for a repeat offence."),
            "grave_circumstances": flag(False, "A confluence of grave circumstances."),
            "surrendered": flag(False, "Voluntary surrender or confession; needs returned."),
            "aggravating": flag(False, "Other aggravating circumstances exist."),
            "released_80_2": flag(False, "Released under art. 80.2, or the case was suspended (contract, mobilized)."),
            "law_on": {
                "type": ["string", "null"],
                "pattern": DAY_PATTERN,
                "default": None,
                "description": f"What if: apply the law in force on this day ({DAY_HELP}).",
            },
            "lang": {"type": "string", "enum": ["ru", "en"], "default": "ru", "description": "Report language."},
        },
        required=["status", "left"],
        allOf=[
            {  # as the CLI: an absence either ended (returned) or goes on (as_of)
                "not": {
                    "properties": {"returned": {"type": "string"}, "as_of": {"type": "string"}},
                    "required": ["returned", "as_of"],
                }
            },
            {  # a voluntary surrender ends the absence
                "if": {"properties": {"surrendered": {"const": True}}, "required": ["surrendered"]},
                "then": {"properties": {"returned": {"type": "string"}}, "required": ["returned"]},
            },
            {  # art. 80.2 applies to contract and mobilized servicemen
                "if": {"properties": {"released_80_2": {"const": True}}, "required": ["released_80_2"]},
                "then": {"properties": {"status": {"enum": [Status.CONTRACT.value, Status.MOBILIZED.value]}}},
            },
        ],
        description=(
            "The facts of one absence, as the CLI's `courtpath assess` options. Moments and days take years "
            "1900 to 2099. Further rules of the facts (an end after the start, ...) give 400 with the field."
        ),
    )


def _citation_schema() -> dict[str, Any]:
    return _object(
        {
            "label": STRING,
            "article": STRING,
            "part": STRING,
            "edition": NULLABLE_STRING,
            "act": NULLABLE_STRING,
            "valid_from": DAY_OUT,
            "valid_to": DAY_OUT,
            "sources": {"type": "array", "items": STRING},
            "confidence": {"type": "string", "enum": _literal(law_schema.Confidence)},
            "numbering_confirmed": BOOLEAN,
        }
    )


def _qualification_schema() -> dict[str, Any]:
    gravity = _literal(law_schema.GravityCategory.model_fields["code"].annotation)
    regimes = _literal(get_args(law_schema.ColonySpec.model_fields["names"].annotation)[0])
    citations = {"type": "array", "items": _ref("Citation")}
    penalty = _object(
        {
            "type": {"type": "string", "enum": _literal(law_schema.PenaltyType)},
            "min_months": {"type": "integer", "minimum": 0},
            "max_months": {"type": "integer", "minimum": 0},
            "min_from_general_part": BOOLEAN,
        }
    )
    return _object(
        {
            "article": STRING,
            "part": STRING,
            "kind": {"type": "string", "enum": _literal(law_schema.ArticleSpec.model_fields["kind"].annotation)},
            "primary": BOOLEAN,
            "edition": STRING,
            "edition_act": STRING,
            "basis": {"type": "string", "enum": list(BASES)},
            "title": STRING,
            "summary": STRING,
            "penalties": {"type": "array", "items": penalty, "minItems": 1},
            "gravity": {"type": "string", "enum": gravity},
            "limitation_years": {"type": "integer"},
            "suspended_possible": BOOLEAN,
            "colony_regime": {"type": ["string", "null"], "enum": [*regimes, None]},
            "cap_months": {"type": ["number", "null"], "description": "art. 62 cap; 2 decimals when not whole"},
            "exemption_possible": BOOLEAN,
            "numbering_confirmed": BOOLEAN,
            "citations": citations,
        }
    )


def _response_schema() -> dict[str, Any]:
    citations = {"type": "array", "items": _ref("Citation")}
    facts = _object(
        {
            "status": {"type": "string", "enum": _values(Status)},
            "left": MOMENT_OUT,
            "returned": {**MOMENT_OUT, "type": ["string", "null"]},
            "as_of": {**MOMENT_OUT, "type": ["string", "null"]},
            "absence_kind": {"type": "string", "enum": _values(AbsenceKind)},
            "context": {"type": "string", "enum": _values(Context)},
            "indicators": {"type": "array", "items": {"type": "string", "enum": _values(Indicator)}},
            "weapon": BOOLEAN,
            "group": BOOLEAN,
            "first_offence": BOOLEAN,
            "grave_circumstances": BOOLEAN,
            "surrendered": BOOLEAN,
            "aggravating": BOOLEAN,
            "released_80_2": BOOLEAN,
            "law_on": DAY_OUT,
        },
        description="The facts as assessed: moments in Moscow time, as_of filled in with the moment of the request.",
    )
    absence = _object(
        {
            "open": {"type": "boolean", "description": "true while the absence has not ended"},
            "end": MOMENT_OUT,
            "duration_hours": {"type": "number", "minimum": 0},
            "band": {"type": "string", "enum": list(BAND_CODES)},
            "special_context": BOOLEAN,
            "context_basis": {"type": "string", "enum": _values(Context)},
        }
    )
    key_date = _object(
        {
            "code": {"type": "string", "enum": list(KEY_DATE_CODES)},
            "at": MOMENT_OUT,
            "passed": BOOLEAN,
            "message": STRING,
            "citations": citations,
        }
    )
    flag = _object(
        {
            "code": {"type": "string", "description": "e.g. desertion_risk, open_question:<id>"},
            "severity": {"type": "string", "enum": list(FLAG_SEVERITIES)},
            "message": STRING,
            "citations": citations,
        }
    )
    trace_step = _object({"step": STRING, "message": STRING, "citations": citations})
    return _object(
        {
            "engine_version": STRING,
            "law_data_version": {"type": "string", "description": "hash of the law data files"},
            "facts": facts,
            "absence": absence,
            "qualifications": {"type": "array", "items": _ref("Qualification")},
            "key_dates": {"type": "array", "items": key_date},
            "flags": {"type": "array", "items": flag},
            "trace": {"type": "array", "items": trace_step},
        },
        description="The engine's assessment, as `courtpath assess --json`; texts in the language asked for.",
    )


def _errors_schema() -> dict[str, Any]:
    error = _object(
        {
            "field": {
                "type": ["string", "null"],
                "description": "The field in error (`indicators[1]` for an item); null for the request as a whole.",
            },
            "message": STRING,
        }
    )
    return _object({"errors": {"type": "array", "items": error, "minItems": 1, "maxItems": MAX_ERRORS}})


def _error_response(description: str, **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ref("Errors")}},
    }
    if headers:
        response["headers"] = headers
    return response


UNAUTHORIZED = _error_response(
    "No valid token: missing, malformed, unknown, revoked or expired, or its owner's account was deactivated or "
    "changed by an administrator.",
    **{"WWW-Authenticate": {"schema": {"type": "string"}, "description": 'Bearer realm="courtpath"'}},
)
NOT_ALLOWED = _error_response(
    "Method not allowed.", Allow={"schema": {"type": "string"}, "description": "The allowed methods."}
)


@functools.cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "courtpath API",
            "version": __version__,
            "summary": "The courtpath law engine (RF Criminal Code arts. 337, 338) for staff tools.",
            "description": (
                "Authenticate with a personal API token (page /api/tokens/ of the web app): "
                "`Authorization: Bearer cpt_…`. Session cookies are not accepted. Not legal advice: every "
                "assessment is a starting point for a lawyer's review."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/assess": {
                "post": {
                    "operationId": "assess",
                    "summary": "Assess the facts of one absence",
                    "description": "Runs the engine; nothing is stored.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("AssessRequest")}},
                    },
                    "responses": {
                        "200": {
                            "description": "The assessment.",
                            "content": {"application/json": {"schema": _ref("Assessment")}},
                        },
                        "400": _error_response(
                            "The body is not JSON, or the facts are invalid: every error found, with its field."
                        ),
                        "401": UNAUTHORIZED,
                        "405": NOT_ALLOWED,
                        "413": _error_response(f"The body is larger than {MAX_BODY_BYTES} bytes."),
                        "415": _error_response("The body is not sent as application/json."),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": UNAUTHORIZED,
                        "405": NOT_ALLOWED,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": f"{TOKEN_START} followed by {TOKEN_LENGTH - len(TOKEN_START)} characters",
                }
            },
            "schemas": {
                "AssessRequest": _request_schema(),
                "Assessment": _response_schema(),
                "Qualification": _qualification_schema(),
                "Citation": _citation_schema(),
                "Errors": _errors_schema(),
            },
        },
    }
