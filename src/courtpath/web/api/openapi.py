"""The OpenAPI 3.1 document of the API, generated from what the code declares.

The request schema comes from the intake's fields (courtpath.law.intake.request_schema), the answer's from its
structs (courtpath.law.answer.AssessmentAnswer) and the errors' from courtpath.web.api.schemas.Errors, so the
document cannot drift from the code. Only the paths, their status codes and the security scheme are written here.
tests/web/test_api_schemathesis.py checks real requests and responses against it.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec

from courtpath import __version__
from courtpath.law.answer import AssessmentAnswer
from courtpath.law.intake import request_schema
from courtpath.web.api.schemas import LANG_SCHEMA, MAX_BODY_BYTES, Errors
from courtpath.web.api.services import TOKEN_LENGTH, TOKEN_START

REF = "#/components/schemas/{name}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(name=name)}


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


def _components() -> dict[str, Any]:
    (_answer, _errors), schemas = msgspec.json.schema_components((AssessmentAnswer, Errors), ref_template=REF)
    request = request_schema({"lang": LANG_SCHEMA})
    request["description"] = (
        "The facts of one absence, by their canonical names (as `courtpath assess --json` shows them under "
        "`facts`). Moments: 01.03.2025 08:00 or 2025-03-01T08:00, no offset = Moscow time; years 1900 to 2099. "
        "The rules of the facts as a whole (an end after the start, ...) give 400 with the field and the code."
    )
    return {"AssessRequest": request, **schemas}


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
                            "content": {"application/json": {"schema": _ref("AssessmentAnswer")}},
                        },
                        "400": _error_response(
                            "The body is not JSON, or the facts are invalid: every problem found, with its field "
                            "and code."
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
            "schemas": _components(),
        },
    }
