"""The aggregates journalists and lawyers count: per month and part, suspended vs real, terms, regions, outcomes.

Every function takes the stored records (after `beside_law` where ranges are needed) and returns a small frame.
Counts are of defendant-records; `n` is always reported because published records are a biased sample.
"""

from __future__ import annotations

import polars as pl

PART_KEY = pl.concat_str([pl.col("article"), pl.col("part")], separator=".")
CONVICTED_PRISON = (pl.col("outcome_category") == "convicted") & (pl.col("sentence_type") == "imprisonment")


def _part_order(frame: pl.DataFrame) -> pl.DataFrame:
    """Sort by article, then numerically by part (2 < 2.1 < 3 < 3.1 < 5)."""
    parts = pl.col("part_key").str.split(".")
    return (
        frame.with_columns(
            parts.list.get(0).cast(pl.Int32, strict=False).alias("_a"),
            parts.list.get(1).cast(pl.Int32, strict=False).alias("_p"),
            parts.list.get(2, null_on_oob=True).cast(pl.Int32, strict=False).fill_null(0).alias("_s"),
        )
        .sort("_a", "_p", "_s")
        .drop("_a", "_p", "_s")
    )


def monthly_by_part(records: pl.DataFrame) -> pl.DataFrame:
    """month (first day), part_key, n: records by the month of the verdict (those whose part is unknown, such as a
    case with a verdict but no readable assessment, are left out: they have no series)."""
    return (
        records.filter(pl.col("verdict_date").is_not_null() & PART_KEY.is_not_null())
        .with_columns(pl.col("verdict_date").dt.truncate("1mo").alias("month"), PART_KEY.alias("part_key"))
        .group_by("month", "part_key")
        .len("n")
        .sort("month", "part_key")
    )


def suspended_share(records: pl.DataFrame) -> pl.DataFrame:
    """part_key, n, suspended, real, suspended_share among prison sentences whose suspension is known."""
    known = records.filter(CONVICTED_PRISON & pl.col("suspended").is_not_null()).with_columns(
        PART_KEY.alias("part_key")
    )
    counts = [
        pl.len().alias("n"),
        pl.col("suspended").sum().cast(pl.Int64).alias("suspended"),
        (~pl.col("suspended")).sum().cast(pl.Int64).alias("real"),
    ]
    by_part = _part_order(known.group_by("part_key").agg(counts))
    overall = known.select(pl.lit("all").alias("part_key"), *counts)
    both = pl.concat([by_part, overall], how="vertical_relaxed")
    return both.with_columns((pl.col("suspended") / pl.col("n")).alias("suspended_share"))


def term_distribution(records: pl.DataFrame) -> pl.DataFrame:
    """part_key, suspended, n, min, q1, median, q3, max of prison terms in months."""
    terms = records.filter(CONVICTED_PRISON & pl.col("term_months").is_not_null()).with_columns(
        PART_KEY.alias("part_key"), pl.col("suspended").fill_null(False)
    )
    stats = terms.group_by("part_key", "suspended").agg(
        pl.len().alias("n"),
        pl.col("term_months").min().alias("min"),
        pl.col("term_months").quantile(0.25, "linear").alias("q1"),
        pl.col("term_months").median().alias("median"),
        pl.col("term_months").quantile(0.75, "linear").alias("q3"),
        pl.col("term_months").max().alias("max"),
    )
    return _part_order(stats).sort("part_key", "suspended", maintain_order=True)


def by_region(records: pl.DataFrame) -> pl.DataFrame:
    """region_name, n (regions from the court directory; 'unknown' for courts not in it)."""
    return (
        records.with_columns(pl.col("region_name").fill_null("unknown"))
        .group_by("region_name")
        .len("n")
        .sort(["n", "region_name"], descending=[True, False])
    )


def outcomes(records: pl.DataFrame) -> pl.DataFrame:
    """outcome_category, n."""
    return records.group_by("outcome_category").len("n").sort(["n", "outcome_category"], descending=[True, False])


def range_check(records: pl.DataFrame) -> pl.DataFrame:
    """range_status, n (needs `beside_law` first)."""
    return records.group_by("range_status").len("n").sort("range_status")


def outside_range(records: pl.DataFrame) -> pl.DataFrame:
    """The records whose term is outside the statutory range: data errors, art. 64, or errors in the law data."""
    return (
        records.filter(pl.col("range_status").is_in(["below_minimum", "above_maximum"]))
        .select(
            "record_key",
            "court_id",
            "verdict_date",
            "article",
            "part",
            "edition",
            "law_date_basis",
            "sentence_type",
            "term_months",
            "range_min_months",
            "range_max_months",
            "range_status",
            "art64",
        )
        .sort("record_key")
    )


# -- the published-records sample beside the official statistics ---------------------------------------------------

SAMPLE_COUNTS = ("records", "pending", "convicted", "known", "real_terms", "suspended", "other", "unknown")
REAL_TERM = CONVICTED_PRISON & (pl.col("suspended") == False)  # noqa: E712 - a Polars expression, not a Python test
SUSPENDED_TERM = CONVICTED_PRISON & (pl.col("suspended") == True)  # noqa: E712
UNKNOWN_PENALTY = (pl.col("outcome_category") == "convicted") & (
    pl.col("sentence_type").is_null() | ((pl.col("sentence_type") == "imprisonment") & pl.col("suspended").is_null())
)


def sample_by_part_year(records: pl.DataFrame) -> pl.DataFrame:
    """year, article, part, records, pending, convicted, known, real_terms, suspended, other, unknown.

    The year is that of the decision, or of the filing for a record without a decision (a pending case). `pending`
    records are counted apart and never among the convictions; `known` are the convictions whose penalty (and, for
    imprisonment, its suspension) is known, the base of the sample's shares; `unknown` the others.
    """
    year = pl.coalesce(pl.col("verdict_date"), pl.col("filed_date")).dt.year().cast(pl.Int32)
    usable = records.filter(pl.col("article").is_not_null() & pl.col("part").is_not_null()).with_columns(
        year.alias("year")
    )
    convicted = pl.col("outcome_category") == "convicted"
    counts = (
        usable.filter(pl.col("year").is_not_null())
        .group_by("year", "article", "part")
        .agg(
            pl.len().cast(pl.Int64).alias("records"),
            (pl.col("outcome_category") == "pending").sum().cast(pl.Int64).alias("pending"),
            convicted.sum().cast(pl.Int64).alias("convicted"),
            REAL_TERM.sum().cast(pl.Int64).alias("real_terms"),
            SUSPENDED_TERM.sum().cast(pl.Int64).alias("suspended"),
            UNKNOWN_PENALTY.sum().cast(pl.Int64).alias("unknown"),
        )
    )
    counts = counts.with_columns((pl.col("convicted") - pl.col("unknown")).alias("known")).with_columns(
        (pl.col("known") - pl.col("real_terms") - pl.col("suspended")).alias("other")
    )
    ordered = _part_order(counts.with_columns(PART_KEY.alias("part_key"))).sort("year", maintain_order=True)
    return ordered.select("year", "article", "part", *SAMPLE_COUNTS)


def _shares(prefix: str, base: str) -> list[pl.Expr]:
    total = pl.col(f"{prefix}_{base}")
    return [
        pl.when(total > 0).then(pl.col(f"{prefix}_{name}") / total).otherwise(None).alias(f"{prefix}_{name}_share")
        for name in ("real_terms", "suspended", "other")
    ]


def official_beside_sample(official: pl.DataFrame, sample: pl.DataFrame) -> pl.DataFrame:
    """Per year and article part of the official tables: the official figures beside the published records'.

    official_* come from `courtpath.analytics.official.load_official` (rows of a whole article are left out: the
    sample is by part); sample_* from `sample_by_part_year`. Only the years the official store has are compared;
    the sample's shares are of its convictions with a known penalty (`sample_known`), pending records never count.
    `real_terms_gap` is the sample's share of real terms minus the official one (positive: the sample has more).
    Rows with neither an official conviction nor a published record are left out.
    """
    keys = ["year", "article", "part"]
    left = official.filter(pl.col("part").is_not_null()).select(
        *keys, *(pl.col(n).alias(f"official_{n}") for n in ("convicted", "real_terms", "suspended", "other"))
    )
    years = left.get_column("year").unique()
    right = sample.filter(pl.col("year").is_in(years.implode())).select(
        *keys, *(pl.col(n).alias(f"sample_{n}") for n in SAMPLE_COUNTS)
    )
    both = left.join(right, on=keys, how="full", coalesce=True)
    sample_columns = [f"sample_{n}" for n in SAMPLE_COUNTS]
    both = both.with_columns(pl.col(sample_columns).fill_null(0)).filter(
        (pl.col("official_convicted").fill_null(0) > 0) | (pl.col("sample_records") > 0)
    )
    both = both.with_columns(*_shares("official", "convicted"), *_shares("sample", "known"))
    both = both.with_columns(
        (pl.col("sample_real_terms_share") - pl.col("official_real_terms_share")).alias("real_terms_gap")
    )
    ordered = _part_order(both.with_columns(PART_KEY.alias("part_key"))).sort("year", maintain_order=True)
    return ordered.drop("part_key")
