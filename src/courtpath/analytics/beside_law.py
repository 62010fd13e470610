"""Sentences beside the statute: the engine's range for each record's article, part and edition.

The edition is the one in force when the absence began if the record gives that date, else on the filing date,
else on the verdict date (the column `law_date_basis` says which). A term exactly at a bound is inside the range.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook

RANGE_SCHEMA = {
    "article": pl.Utf8,
    "part": pl.Utf8,
    "sentence_type": pl.Utf8,
    "law_date": pl.Date,
    "edition": pl.Utf8,
    "range_min_months": pl.Int32,
    "range_max_months": pl.Int32,
    "range_problem": pl.Utf8,
}


def statutory_range(
    law: LawBook, article: str, part: str, sentence_type: str | None, day: dt.date
) -> dict[str, object]:
    """The min and max months of this penalty type in the part's sanction, or why there is none."""
    result: dict[str, object] = {
        "edition": None,
        "range_min_months": None,
        "range_max_months": None,
        "range_problem": None,
    }
    if article not in law.articles:
        result["range_problem"] = "article not in the law data"
        return result
    edition = law.edition_on(article, day)
    if edition is None:
        result["range_problem"] = "no edition in force on that date"
        return result
    result["edition"] = edition.edition
    part_spec = next((p for p in edition.parts if p.part == part), None)
    if part_spec is None:
        result["range_problem"] = f"part {part} is not in the {edition.edition} edition"
        return result
    penalty = next((p for p in part_spec.penalties if p.type == sentence_type), None)
    if penalty is None:
        result["range_problem"] = f"the sanction has no {sentence_type or 'such'} penalty"
        return result
    minimum = penalty.min_months
    if minimum is None:
        minimum = next(t.min_months for t in law.general.penalty_types if t.type == penalty.type)
    result["range_min_months"], result["range_max_months"] = minimum, penalty.max_months
    return result


def beside_law(records: pl.DataFrame, law: LawBook | None = None) -> pl.DataFrame:
    """Adds edition, range_min/max_months and `range_status`: inside, below_minimum, above_maximum, no_range,
    or not_applicable (no term, not a conviction)."""
    law = law or default_lawbook()
    basis = (
        pl.when(pl.col("absence_start").is_not_null())
        .then(pl.lit("absence_start"))
        .when(pl.col("filed_date").is_not_null())
        .then(pl.lit("filed_date"))
        .when(pl.col("verdict_date").is_not_null())
        .then(pl.lit("verdict_date"))
    )
    frame = records.with_columns(
        pl.coalesce("absence_start", "filed_date", "verdict_date").alias("law_date"),
        basis.alias("law_date_basis"),
    )
    wanted = frame.filter(
        pl.col("article").is_not_null() & pl.col("part").is_not_null() & pl.col("law_date").is_not_null()
    )
    keys = wanted.select("article", "part", "sentence_type", "law_date").unique()
    rows = [
        {**key, **statutory_range(law, key["article"], key["part"], key["sentence_type"], key["law_date"])}
        for key in keys.iter_rows(named=True)
    ]
    ranges = pl.DataFrame(rows, schema=RANGE_SCHEMA)
    frame = frame.join(ranges, on=["article", "part", "sentence_type", "law_date"], how="left", nulls_equal=True)
    term = pl.col("term_months")
    status = (
        pl.when(term.is_null() | (pl.col("outcome_category") != "convicted"))
        .then(pl.lit("not_applicable"))
        .when(pl.col("range_min_months").is_null())
        .then(pl.lit("no_range"))
        .when(term < pl.col("range_min_months"))
        .then(pl.lit("below_minimum"))
        .when(term > pl.col("range_max_months"))
        .then(pl.lit("above_maximum"))
        .otherwise(pl.lit("inside"))
    )
    return frame.with_columns(status.alias("range_status"))
