"""Schemathesis over the API, in process: requests generated from /api/openapi.json go to Django's WSGI application
(the production middleware stack) with a valid token.

Checks: no 5xx; status codes, content types, headers and bodies as the document says; data the schema forbids is
refused (negative_data_rejection); an operation needs its token (ignored_auth); other methods get 405
(unsupported_method). positive_data_acceptance is left out on purpose: facts the schema allows can still break a rule
the schema does not state (an end before the start, a moment in the future, 30.02), and get 400.

A last test sends facts that break no rule (drawn by Hypothesis, not from the schema): each must be assessed (200)
and conform, so the response schema is checked against many different assessments.

Generation is deterministic (Hypothesis derandomized, no example database) and bounded: 130 cases, a few seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from courtpath.law.facts import AbsenceKind, Context, Indicator, Status
from courtpath.web.accounts.models import User
from courtpath.web.api import services

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.ignored_auth,
    checks.unsupported_method,
]
CONFIG = SchemathesisConfig()  # explicit: no schemathesis.toml found on the way changes the run
HYPOTHESIS = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))


@contextlib.contextmanager
def connections_kept_open() -> Iterator[None]:
    """Keep the test's database connection (and so its transaction) across requests, as Django's test client does:
    the WSGI handler would otherwise close it at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(lawyer: User) -> dict[str, str]:
    _token, raw = services.create_token(lawyer, "schemathesis", None)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def api_schema(bearer: dict[str, str]) -> Iterator[schemathesis.schemas.BaseSchema]:
    with connections_kept_open():
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), headers=bearer, config=CONFIG)


# (operation, generation mode, examples): about 100 cases in all. schemathesis.pytest.from_fixture() cannot be used
# with pytest 9 (it reads a removed attribute of pytest's nodes), so Hypothesis draws the cases itself.
RUNS = [
    ("/api/assess", "POST", GenerationMode.POSITIVE, 45),
    ("/api/assess", "POST", GenerationMode.NEGATIVE, 35),
    ("/api/openapi.json", "GET", GenerationMode.POSITIVE, 10),
    ("/api/openapi.json", "GET", GenerationMode.NEGATIVE, 10),
]


@pytest.mark.parametrize(
    ("path", "method", "mode", "examples"), RUNS, ids=[f"{r[1]} {r[0]} {r[2].value}" for r in RUNS]
)
def test_api_conforms_to_its_document(
    api_schema: schemathesis.schemas.BaseSchema,
    bearer: dict[str, str],
    path: str,
    method: str,
    mode: GenerationMode,
    examples: int,
) -> None:
    operation = api_schema[path][method]
    statuses: Counter[int] = Counter()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(HYPOTHESIS, max_examples=examples)
    def conforms(case: schemathesis.Case) -> None:
        response = case.call(headers=bearer)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=bearer)

    conforms()
    if mode is GenerationMode.POSITIVE:
        assert statuses[200] > 0, statuses  # some generated facts were assessed, not all refused


@st.composite
def valid_facts(draw: st.DrawFn) -> dict[str, object]:
    """Facts that break no rule, so that every one is assessed: the generated requests above mostly break one."""
    status = draw(st.sampled_from(Status))
    earliest = dt.datetime(2022, 9, 21) if status is Status.MOBILIZED else dt.datetime(1997, 1, 1)
    left = draw(st.datetimes(min_value=earliest, max_value=dt.datetime(2026, 12, 31))).replace(second=0, microsecond=0)
    end = left + dt.timedelta(minutes=draw(st.integers(min_value=1, max_value=3 * 365 * 24 * 60)))
    ended = draw(st.booleans())
    body: dict[str, object] = {
        "status": status.value,
        "left": left.strftime(draw(st.sampled_from(["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]))),
        ("returned" if ended else "as_of"): end.isoformat(timespec="minutes") + draw(st.sampled_from(["", "+03:00"])),
        "absence_kind": draw(st.sampled_from(AbsenceKind)).value,
        "context": draw(st.sampled_from(Context)).value,
        "indicators": sorted(draw(st.sets(st.sampled_from(Indicator)))),
        "lang": draw(st.sampled_from(["ru", "en"])),
    }
    for name in ("weapon", "group", "first_offence", "grave_circumstances", "aggravating"):
        body[name] = draw(st.booleans())
    body["surrendered"] = ended and draw(st.booleans())
    body["released_80_2"] = status in (Status.CONTRACT, Status.MOBILIZED) and draw(st.booleans())
    if draw(st.booleans()):
        body["law_on"] = draw(st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2030, 12, 31))).isoformat()
    return body


def test_valid_facts_are_assessed_as_documented(
    api_schema: schemathesis.schemas.BaseSchema, bearer: dict[str, str]
) -> None:
    operation = api_schema["/api/assess"]["POST"]

    @given(body=valid_facts())
    @settings(HYPOTHESIS, max_examples=30)
    def assessed(body: dict[str, object]) -> None:
        case = operation.Case(body=body, media_type="application/json")
        response = case.call(headers=bearer)
        assert response.status_code == 200, (body, response.text)
        case.validate_response(response, checks=CHECKS, headers=bearer)

    assessed()
