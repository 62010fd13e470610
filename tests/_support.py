"""Shared helpers: building Facts from plain data (golden YAML, hypothesis strategies, CLI-like input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from courtpath.law.facts import Facts

# Assessment moment used when a case does not give one: after every absence in the golden files, inside the
# 534-FZ edition, so art. 10 (a later milder law) is exercised against the law of "today".
DEFAULT_AS_OF = "2026-06-01T12:00:00+03:00"

_MOMENTS = ("left", "returned", "as_of")
_FLAGS = (
    "weapon",
    "group",
    "first_offence",
    "grave_circumstances",
    "surrendered",
    "aggravating",
    "released_80_2",
)


def moment(value: str | dt.datetime) -> dt.datetime:
    """An ISO 8601 moment; without an offset it is Moscow wall time (Facts attaches the zone)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def build_facts(data: dict[str, Any], default_as_of: str | None = DEFAULT_AS_OF) -> Facts:
    known = {"status", "kind", "context", "indicators", "law_on", *_MOMENTS, *_FLAGS}
    unknown = set(data) - known
    if unknown:
        raise KeyError(f"unknown fact keys {sorted(unknown)}")
    kwargs: dict[str, Any] = {"status": data["status"], "left": moment(data["left"])}
    if data.get("returned") is not None:
        kwargs["returned"] = moment(data["returned"])
    as_of = data.get("as_of", default_as_of)
    if as_of is not None:
        kwargs["as_of"] = moment(as_of)
    for name in ("context",):
        if name in data:
            kwargs[name] = data[name]
    if "kind" in data:
        kwargs["absence_kind"] = data["kind"]
    if "indicators" in data:
        kwargs["indicators"] = frozenset(data["indicators"])
    if data.get("law_on") is not None:
        kwargs["law_on"] = day(data["law_on"])
    for name in _FLAGS:
        if name in data:
            kwargs[name] = bool(data[name])
    return Facts(**kwargs)
