"""The API reads a body two ways (courtpath.web.api.schemas): a plain path for bodies valid beyond doubt, and the
pydantic model for every other body, which reports the errors. For any body, both must agree: the plain path either
declines, or gives exactly the facts and language the model gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtpath.law.facts import AbsenceKind, Context, Facts, Indicator, Status
from courtpath.web.api.schemas import InvalidRequest, _read_plain, _read_with_model, parse_request

MOMENTS = [
    "2025-06-01T08:00",
    "2025-06-05T10:00",
    "01.06.2025 08:00",
    "2025-06-01",
    "2025-06-01T08:00:30+03:00",
    "2022-09-01T08:00",
    "2026-02-30T08:00",
    "2025-13-01",
    "yesterday",
    "",
    "2025-06-01T08:00Z",
]
ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "status": st.sampled_from([s.value for s in Status]) | ANY,
    "left": st.sampled_from(MOMENTS) | ANY,
    "returned": st.sampled_from(MOMENTS) | st.none() | ANY,
    "as_of": st.sampled_from(MOMENTS) | st.none() | ANY,
    "kind": st.sampled_from([k.value for k in AbsenceKind]) | ANY,
    "context": st.sampled_from([c.value for c in Context]) | ANY,
    "indicators": st.lists(st.sampled_from([i.value for i in Indicator]), max_size=6) | ANY,
    "weapon": st.booleans() | ANY,
    "group": st.booleans() | ANY,
    "first_offence": st.booleans() | ANY,
    "grave_circumstances": st.booleans() | ANY,
    "surrendered": st.booleans() | ANY,
    "aggravating": st.booleans() | ANY,
    "released_80_2": st.booleans() | ANY,
    "law_on": st.sampled_from(["2026-01-09", "09.01.2026", "2026-01-09T10:00", "1899-01-01"]) | st.none() | ANY,
    "lang": st.sampled_from(["ru", "en", "de", "RU"]) | ANY,
    "unknown": ANY,
}
REQUIRED = {"status": st.sampled_from([s.value for s in Status]), "left": st.sampled_from(MOMENTS[:6])}


def _facts_without_now(facts: Facts, body: dict[str, Any]) -> dict[str, Any]:
    """The facts as a dict; the moment of assessment left out when the body did not give it (then it is `now`)."""
    values = dataclasses.asdict(facts)
    if body.get("as_of") is None:
        assert abs(values.pop("as_of") - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    return values


def _model(raw: bytes) -> tuple[Facts, str] | list[Any]:
    try:
        return _read_with_model(raw)
    except InvalidRequest as error:
        return error.errors


@settings(max_examples=600, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    required=st.fixed_dictionaries({}, optional=REQUIRED),
    optional=st.fixed_dictionaries({}, optional=VALUES),
)
def test_the_plain_path_agrees_with_the_model(required: dict[str, Any], optional: dict[str, Any]) -> None:
    body = {**required, **optional}
    raw = json.dumps(body).encode()
    plain, model = _read_plain(raw), _model(raw)
    if plain is not None:
        assert not isinstance(model, list), f"the plain path accepted a body the model refuses: {model}"
        assert plain[1] == model[1]
        assert _facts_without_now(plain[0], body) == _facts_without_now(model[0], body)
    try:
        answer: tuple[Facts, str] | list[Any] = parse_request(raw)
    except InvalidRequest as error:
        answer = error.errors
    if isinstance(model, list):
        assert answer == model  # the errors are the model's, word for word
    else:
        assert not isinstance(answer, list)
        assert _facts_without_now(answer[0], body) == _facts_without_now(model[0], body)


@pytest.mark.parametrize(
    "body",
    [
        {"status": "mobilized", "left": "2025-06-01T08:00", "returned": "2025-06-05T10:00"},
        {
            "status": "contract",
            "left": "01.03.2025 08:00",
            "as_of": "2025-04-01",
            "indicators": ["job", "border"],
            "kind": "leave",
            "context": "none",
            "surrendered": False,
            "lang": "en",
            "law_on": "2026-01-09",
        },
        {"status": "conscript", "left": "2024-05-01", "returned": None, "as_of": "2024-05-20T08:00+03:00"},
    ],
)
def test_common_valid_bodies_take_the_plain_path(body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    assert _read_plain(raw) is not None


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b"null",
        b"{",
        b'{"status": "contract", "left": "2025-06-01", "extra": 1}',
        b'{"status": "x", "left": 1}',
        b'{"status": "contract", "left": "2025-06-01", "returned": "2025-06-02", "as_of": "2025-06-03"}',
        b'{"status": "contract", "left": "2025-06-02", "returned": "2025-06-01"}',
        b'{"status": "contract", "left": "2025-06-01", "weapon": 1}',
        b"\xff\xfe",
    ],
)
def test_other_bodies_go_to_the_model(raw: bytes) -> None:
    assert _read_plain(raw) is None


@settings(max_examples=400, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    left=st.sampled_from(MOMENTS[:6]),
    optional=st.fixed_dictionaries(
        {},
        optional={
            "returned": st.sampled_from(MOMENTS[:6]) | st.none(),
            "kind": st.sampled_from([k.value for k in AbsenceKind]),
            "context": st.sampled_from([c.value for c in Context]),
            "indicators": st.lists(st.sampled_from([i.value for i in Indicator]), max_size=3, unique=True),
            "surrendered": st.booleans(),
            "first_offence": st.booleans(),
            "law_on": st.sampled_from(["2026-01-09", "09.01.2026"]) | st.none(),
            "lang": st.sampled_from(["ru", "en"]),
        },
    ),
    status=st.sampled_from([s.value for s in Status]),
)
def test_mostly_valid_bodies_agree_too(left: str, optional: dict[str, Any], status: str) -> None:
    test_the_plain_path_agrees_with_the_model.hypothesis.inner_test(  # type: ignore[attr-defined]
        {"status": status, "left": left}, optional
    )
