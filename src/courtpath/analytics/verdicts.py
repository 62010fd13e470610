"""Fill a record's sentence fields from its verdict text, where the record does not give them itself."""

from __future__ import annotations

import hashlib

import polars as pl

from courtpath.analytics.parser import parse_verdict

PARSED = {
    "p_article": pl.Utf8,
    "p_part": pl.Utf8,
    "p_sentence_type": pl.Utf8,
    "p_term_months": pl.Int32,
    "p_suspended": pl.Boolean,
    "p_probation_months": pl.Int32,
    "p_colony_regime": pl.Utf8,
    "p_art64": pl.Boolean,
    "p_absence_start": pl.Date,
    "p_absence_end": pl.Date,
    "text_sha256": pl.Utf8,
}


def _value(found: object) -> object:
    return found.value if getattr(found, "found", False) else None  # type: ignore[attr-defined]


def parse_texts(texts: list[str]) -> pl.DataFrame:
    rows = []
    for text in texts:
        fields = parse_verdict(text)
        rows.append(
            {
                "text": text,
                "p_article": _value(fields.article),
                "p_part": _value(fields.part),
                "p_sentence_type": _value(fields.sentence_type),
                "p_term_months": _value(fields.term_months),
                "p_suspended": _value(fields.suspended),
                "p_probation_months": _value(fields.probation_months),
                "p_colony_regime": _value(fields.colony_regime),
                "p_art64": _value(fields.art64),
                "p_absence_start": _value(fields.absence_start),
                "p_absence_end": _value(fields.absence_end),
                "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
        )
    return pl.DataFrame(rows, schema={"text": pl.Utf8, **PARSED})


def apply_parser(frame: pl.DataFrame) -> pl.DataFrame:
    """Parse each distinct verdict text once; the record's own columns win over what the text says."""
    texts = frame.get_column("text").drop_nulls().unique().to_list()
    parsed = parse_texts(texts)
    joined = frame.join(parsed, on="text", how="left", nulls_equal=False)
    return joined.with_columns(
        pl.coalesce("article", "p_article").alias("article"),
        pl.coalesce("part", "p_part").alias("part"),
        pl.coalesce("sentence_type", "p_sentence_type").alias("sentence_type"),
        pl.coalesce("term_months", "p_term_months").alias("term_months"),
        pl.coalesce("suspended", "p_suspended").alias("suspended"),
        pl.coalesce("probation_months", "p_probation_months").alias("probation_months"),
        pl.coalesce("colony_regime", "p_colony_regime").alias("colony_regime"),
        pl.col("p_art64").fill_null(False).alias("art64"),
        pl.when((pl.col("outcome_category") == "unknown") & pl.col("p_term_months").is_not_null())
        .then(pl.lit("convicted"))
        .otherwise(pl.col("outcome_category"))
        .alias("outcome_category"),
        pl.coalesce("absence_start", "p_absence_start").alias("absence_start"),
        pl.coalesce("absence_end", "p_absence_end").alias("absence_end"),
        # A card without an article list can still be kept when its text names the article.
        pl.when(
            pl.col("reject_reason").str.starts_with("no article") & pl.col("p_article").is_in(["337", "338", "339"])
        )
        .then(None)
        .otherwise(pl.col("reject_reason"))
        .alias("reject_reason"),
    ).drop([c for c in PARSED if c.startswith("p_")])
