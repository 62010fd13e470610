""" "What if": re-assess every open case the user can see under the law in force on another date (for example
534-FZ) with the engine's batch mode, and list the cases whose qualification or range would change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from courtpath.law.batch import assess_frame
from courtpath.web.cases.models import OPEN_STAGES, Case

COMPARED = ("article", "part", "edition", "min_months", "max_months")


@dataclass(frozen=True)
class Change:
    case_code: str
    now: str
    then: str


def _frame(cases: QuerySet[Case]) -> pl.DataFrame:
    rows = [
        {
            "code": c.code,
            "status": c.status,
            "left": c.left_at,
            "returned": c.returned_at,
            "context": c.context,
            "indicators": c.indicators,
            "weapon": c.weapon,
            "group": c.group,
            "first_offence": c.first_offence,
            "grave_circumstances": c.grave_circumstances,
            "surrendered": c.surrendered,
            "aggravating": c.aggravating,
            "released_80_2": c.released_80_2,
        }
        for c in cases.filter(stage__in=OPEN_STAGES).select_related("data_key")
        if c.left_at is not None  # the facts are sealed: read here, not filtered in SQL
    ]
    schema = {
        "code": pl.Utf8,
        "status": pl.Utf8,
        "left": pl.Datetime("us", "UTC"),
        "returned": pl.Datetime("us", "UTC"),
        "context": pl.Utf8,
        "indicators": pl.Utf8,
        "weapon": pl.Boolean,
        "group": pl.Boolean,
        "first_offence": pl.Boolean,
        "grave_circumstances": pl.Boolean,
        "surrendered": pl.Boolean,
        "aggravating": pl.Boolean,
        "released_80_2": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema)


def _describe(row: dict[str, object], prefix: str) -> str:
    if row[f"{prefix}part"] is None:
        return "—"
    return (
        f"{row[f'{prefix}article']}.{row[f'{prefix}part']} ({row[f'{prefix}edition']}): "
        f"{row[f'{prefix}min_months']}–{row[f'{prefix}max_months']}"
    )


def what_if(cases: QuerySet[Case], law_on: dt.date) -> tuple[int, list[Change]]:
    """(number of open cases assessed, the cases whose primary qualification or range differs)."""
    frame = _frame(cases)
    if frame.height == 0:
        return 0, []
    now = timezone.now()
    current = assess_frame(frame, as_of=now).select("code", *COMPARED)
    hypothetical = assess_frame(frame, as_of=now, law_on=law_on).select(
        "code", *(pl.col(c).alias(f"new_{c}") for c in COMPARED)
    )
    both = current.join(hypothetical, on="code")
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"new_{c}")) for c in COMPARED])
    changes = [
        Change(row["code"], _describe(row, ""), _describe(row, "new_"))
        for row in both.filter(differs).sort("code").iter_rows(named=True)
    ]
    return frame.height, changes
