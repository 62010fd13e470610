""" "What if": re-assess every open case the user can see under the law in force on another date (for example
534-FZ) with the engine's batch mode, and list the cases whose qualification or range would change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from courtpath.law.batch import assess_frame
from courtpath.web.assessments import wording
from courtpath.web.cases import stored
from courtpath.web.cases.models import OPEN_STAGES, Case
from courtpath.web.cases.services import FACT_FIELDS, sex_of

COMPARED = ("article", "part", "edition", "min_months", "max_months")


@dataclass(frozen=True)
class Change:
    case_code: str
    now: str
    then: str


def _row(case: Case) -> dict[str, object]:
    return {"code": case.code, **{name: getattr(case, name) for name in FACT_FIELDS}, "sex": sex_of(case)}


def _frame(cases: QuerySet[Case], unreadable: list[stored.Unreadable]) -> pl.DataFrame:
    """The open cases' stored facts (named as the intake names them), one row each, for the batch mode; the cases
    whose facts cannot be read are left out and added to `unreadable`."""
    rows = []
    for case in cases.filter(stage__in=OPEN_STAGES).select_related("data_key"):
        row = stored.read(case.code, "facts", lambda case=case: _row(case))
        if isinstance(row, stored.Unreadable):
            unreadable.append(row)
        elif row["left"] is not None:  # the facts are sealed: read here, not filtered in SQL
            rows.append(row)
    texts = ("status", "absence_kind", "context", "prior_conviction", "sex")
    schema = {
        "code": pl.Utf8,
        "left": pl.Datetime("us", "UTC"),
        "returned": pl.Datetime("us", "UTC"),
        "indicators": pl.List(pl.Utf8),
        **dict.fromkeys(texts, pl.Utf8),
        **{name: pl.Boolean for name in FACT_FIELDS if name not in (*texts, "left", "returned", "indicators")},
    }
    return pl.DataFrame(rows, schema=schema)


def _describe(row: dict[str, object], prefix: str) -> str:
    """«ч. 3.1 ст. 337 (534-ФЗ): 2–7 лет» in the language of the page (assessments/wording.py)."""
    if row[f"{prefix}part"] is None:
        return "—"
    return wording.qualification(*(row[f"{prefix}{name}"] for name in COMPARED))


def what_if(
    cases: QuerySet[Case], law_on: dt.date, unreadable: list[stored.Unreadable] | None = None
) -> tuple[int, list[Change]]:
    """(number of open cases assessed, the cases whose primary qualification or range differs); the cases whose
    stored facts cannot be read are added to `unreadable`."""
    frame = _frame(cases, [] if unreadable is None else unreadable)
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
