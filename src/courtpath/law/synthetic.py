"""A generated, fictional caseload of fact rows, for benchmarks and batch tests (no real person's data).

A row's Facts, as the batch reads them, are courtpath.law.batch.facts_from_row's.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

STATUSES = ["contract", "mobilized", "conscript", "reservist", "dmu"]
STATUS_WEIGHTS = [0.45, 0.3, 0.15, 0.05, 0.05]
INDICATOR_CHOICES = ["", "job", "border", "forged-documents", "false-identity", "other", "job;border"]
INDICATOR_WEIGHTS = [0.82, 0.06, 0.04, 0.03, 0.02, 0.02, 0.01]
# The person: women serve under contract only (FEMALE_SHARE of the contract rows); an earlier conviction for an
# intentional crime in a few percent of the rows, by its gravity; a prison term served for some of those; a probation
# now and then. A row with either is never a first offence (FACT_RULES: first_offence_with_conviction).
FEMALE_SHARE = 0.05
PRIOR_CONVICTIONS = ["none", "small", "medium", "grave", "especially_grave"]
PRIOR_CONVICTION_WEIGHTS = [0.95, 0.015, 0.02, 0.012, 0.003]
IMPRISONMENT_SHARE = 0.4  # of the rows with an earlier conviction
PROBATION_SHARE = 0.02
EPOCH_START = dt.datetime(2018, 6, 1)  # with YEARS and durations of up to a year: all in the past


def caseload(rows: int, seed: int = 20261125, start: dt.datetime = EPOCH_START, years: int = 7) -> pl.DataFrame:
    """Rows shaped like the CLI's --batch input: status, left, returned/as_of (Moscow time), yes/no facts, and the
    facts of the person (sex, prior_conviction, prior_imprisonment, on_probation)."""
    rng = np.random.default_rng(seed)
    status = rng.choice(STATUSES, size=rows, p=STATUS_WEIGHTS)
    left_hours = rng.integers(0, years * 365 * 24, size=rows)
    # Durations from a few hours to a year, most between 2 days and 2 months.
    duration_hours = np.clip(np.exp(rng.normal(5.6, 1.3, size=rows)), 1, 24 * 365).astype(np.int64) + 1
    open_absence = rng.random(rows) < 0.3
    left = pl.Series("left", np.datetime64(start, "us") + left_hours.astype("timedelta64[h]"), dtype=pl.Datetime("us"))
    returned = pl.Series("returned", left.to_numpy() + duration_hours.astype("timedelta64[h]"))
    as_of = pl.Series("as_of", left.to_numpy() + duration_hours.astype("timedelta64[h]"))
    contract_like = np.isin(status, ["contract", "mobilized"])
    frame = pl.DataFrame(
        {
            "id": np.arange(rows),
            "status": status,
            "left": left,
            "returned": returned,
            "as_of": as_of,
            "context": np.where(rng.random(rows) < 0.05, "none", "auto"),
            "indicators": rng.choice(INDICATOR_CHOICES, size=rows, p=INDICATOR_WEIGHTS),
            "weapon": rng.random(rows) < 0.02,
            "group": rng.random(rows) < 0.02,
            "first_offence": rng.random(rows) < 0.9,
            "grave_circumstances": rng.random(rows) < 0.05,
            "surrendered": (rng.random(rows) < 0.5) & ~open_absence,
            "aggravating": rng.random(rows) < 0.1,
            "released_80_2": contract_like & (rng.random(rows) < 0.1),
        }
    )
    # Drawn after the columns above, so that a seed gives them as it did before these columns existed.
    female = (status == "contract") & (rng.random(rows) < FEMALE_SHARE)
    conviction = rng.choice(PRIOR_CONVICTIONS, size=rows, p=PRIOR_CONVICTION_WEIGHTS)
    convicted = conviction != "none"
    on_probation = rng.random(rows) < PROBATION_SHARE
    frame = frame.with_columns(
        pl.Series("first_offence", frame["first_offence"].to_numpy() & ~convicted & ~on_probation),
        pl.Series("sex", np.where(female, "female", "male")),
        pl.Series("prior_conviction", conviction),
        pl.Series("prior_imprisonment", convicted & (rng.random(rows) < IMPRISONMENT_SHARE)),
        pl.Series("on_probation", on_probation),
    )
    mobilized_too_early = (frame["status"] == "mobilized") & (frame["left"] < dt.datetime(2022, 9, 21))
    return frame.with_columns(
        pl.when(pl.Series(open_absence)).then(None).otherwise(pl.col("returned")).alias("returned"),
        pl.when(pl.Series(open_absence))
        .then(pl.col("as_of"))
        .otherwise(pl.lit(dt.datetime(2026, 11, 25)))
        .alias("as_of"),
        pl.when(mobilized_too_early).then(pl.lit("contract")).otherwise(pl.col("status")).alias("status"),
    )
