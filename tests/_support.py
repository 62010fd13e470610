"""Shared helpers: building Facts from plain data (golden YAML, hypothesis strategies), through the one intake."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from courtpath.law.facts import MOSCOW, Facts
from courtpath.law.intake import facts_from_mapping
from courtpath.law.result import Assessment

# Assessment moment used when a case does not give one: after every absence in the golden files, inside the
# 534-FZ edition, so art. 10 (a later milder law) is exercised against the law of "today".
DEFAULT_AS_OF = "2026-06-01T12:00:00+03:00"


def moment(value: str | dt.datetime) -> dt.datetime:
    """An ISO 8601 moment; without an offset it is Moscow wall time (Facts attaches the zone)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def build_facts(data: dict[str, Any], default_as_of: str | None = DEFAULT_AS_OF) -> Facts:
    """The Facts of a golden case's `facts` mapping (canonical names, as courtpath.law.intake reads them)."""
    values = dict(data)
    if values.get("as_of") is None and default_as_of is not None:
        values["as_of"] = default_as_of
    return facts_from_mapping(values)


# Flags the batch leaves out: it marks a borderline duration in a column of its own (borderline_duration).
BATCH_DATE_FLAGS = {"borderline_duration", "open_question:q_duration_computation", "edition_hours"}


def _in_moscow(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(MOSCOW)


def assert_batch_row_agrees(row: dict[str, object], single: Assessment) -> None:
    """A batch output row says what the single assessment of its facts says (tests/law/test_batch.py on a generated
    caseload, tests/law/test_batch_rules.py on generated rows)."""
    primary = single.primary
    desertion = next((q for q in single.qualifications if q.kind == "desertion"), None)
    context = f"row {row.get('id')}: {row}"
    assert (row["error"], row["error_field"], row["error_code"]) == (None, None, None), context
    assert row["part"] == (primary.part if primary else None), context
    assert row["edition"] == (primary.edition if primary else None), context
    if primary:
        worst = primary.penalties[-1]
        assert (row["penalty_type"], row["min_months"], row["max_months"]) == (
            worst.type,
            worst.min_months,
            worst.max_months,
        ), context
        assert row["gravity"] == primary.gravity, context
        assert row["limitation_years"] == primary.limitation_years, context
        assert row["suspended_possible"] == primary.suspended_possible, context
        assert (row["penalty_available"], row["colony_regime"], row["recidivism"]) == (
            worst.available,
            primary.colony_regime,
            primary.recidivism,
        ), context
        assert row["cap_months"] == (float(primary.cap_months) if primary.cap_months is not None else None), context
    assert row["desertion_part"] == (desertion.part if desertion else None), context
    codes = single.flag_codes()
    assert set(row["flags"].split(";")) - {""} == set(codes) - BATCH_DATE_FLAGS, context
    assert row["borderline_duration"] == ("borderline_duration" in codes), context
    dates = {k.code: k.at for k in single.key_dates}
    assert _in_moscow(row["criminal_liability_from"]) == dates.get("criminal_liability_from"), context
    assert _in_moscow(row["limitation_expires"]) == dates.get("limitation_expires"), context
    assert row["band"] == single.band, context
    # Seconds since the epoch in floats (the single assessment) are exact to about 0.1 µs: compared to 1 ms.
    assert row["duration_hours"] == pytest.approx(single.duration_hours, abs=1e-3 / 3600), context
