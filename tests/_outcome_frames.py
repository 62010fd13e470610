"""Frames in the shape of the two analytics stores, for the tests of the known-outcomes table (shared by
tests/analytics, tests/web and tests/browser)."""

from __future__ import annotations

import datetime as dt

import polars as pl

RECORD_SCHEMA = {
    "article": pl.Utf8,
    "part": pl.Utf8,
    "outcome_category": pl.Utf8,
    "sentence_type": pl.Utf8,
    "suspended": pl.Boolean,
    "term_months": pl.Int32,
    "absence_start": pl.Date,
    "verdict_date": pl.Date,
    "court_id": pl.Utf8,
    "region_code": pl.Utf8,
}
OFFICIAL_SCHEMA = {
    "year": pl.Int32,
    "article": pl.Utf8,
    "part": pl.Utf8,
    "convicted": pl.Int64,
    "real_terms": pl.Int64,
    "suspended": pl.Int64,
    "other": pl.Int64,
    "source": pl.Utf8,
}


def record_rows(rows: list[tuple]) -> pl.DataFrame:
    """Stored records, one tuple per record in the order of RECORD_SCHEMA."""
    return pl.DataFrame(rows, schema=RECORD_SCHEMA, orient="row")


def convictions(
    article: str, part: str, day: dt.date, kinds: list[tuple[str, bool]], court: str, region: str
) -> pl.DataFrame:
    """One conviction per (sentence type, suspended) of `kinds`, the absence begun and the verdict given on `day`,
    the terms 36, 37, … months."""
    return record_rows(
        [
            (article, part, "convicted", sentence, suspended, 36 + index, day, day, court, region)
            for index, (sentence, suspended) in enumerate(kinds)
        ]
    )


def official_rows(rows: list[tuple]) -> pl.DataFrame:
    """The official store, one tuple per (year, article, part) in the order of OFFICIAL_SCHEMA."""
    return pl.DataFrame(rows, schema=OFFICIAL_SCHEMA, orient="row")
