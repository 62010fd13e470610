"""The military court directory (CC BY-SA 4.0, dataout-org/sudrfparser; see data/courts/NOTICE.md)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

ATTRIBUTION = (
    "Court directory: dataout-org/sudrfparser (sudrf.ru, 18.11.2023), CC BY-SA 4.0. "
    "Regions come from each court's site region, not from its code prefix."
)


@cache
def court_directory() -> pl.DataFrame:
    """court_id, court_level, court_name, region_code, region_name for the 111 military courts."""
    source = resources.files("courtpath").joinpath("data", "courts", "military_courts.csv")
    with source.open("rb") as handle:
        frame = pl.read_csv(handle, infer_schema=False)
    return frame.select(
        pl.col("court_id").str.to_uppercase(),
        "court_level",
        "court_name",
        pl.col("site_region_code").alias("region_code"),
        pl.col("site_region_name").alias("region_name"),
    )
