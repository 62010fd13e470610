"""Shared helpers: building Facts from plain data (golden YAML, hypothesis strategies), through the one intake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from courtpath.law.facts import Facts
from courtpath.law.intake import facts_from_mapping

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
