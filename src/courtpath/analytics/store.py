"""The analytical store: one Parquet file of normalised records under the data folder, merged idempotently.

Only what analytics needs is stored: ids, dates, court and region, article and part, outcome and the sentence
fields. Defendants' names and verdict texts are never stored (a text is kept only as its SHA-256).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from courtpath.analytics.records import current_codes, normalise, read_file
from courtpath.analytics.scrapers import Mapping
from courtpath.analytics.verdicts import apply_parser

STORED = (
    "record_key",
    "court_id",
    "case_uid",
    "case_number",
    "defendant_index",
    "filed_date",
    "verdict_date",
    "region_code",
    "region_name",
    "article",
    "part",
    "attempt",
    "outcome",
    "outcome_category",
    "sentence_type",
    "term_months",
    "suspended",
    "probation_months",
    "colony_regime",
    "art64",
    "absence_start",
    "absence_end",
    "text_sha256",
)


def default_data_dir() -> Path:
    return Path(os.environ.get("COURTPATH_DATA_DIR", "var"))


@dataclass
class ImportReport:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    rejected_file: Path | None = None
    total_stored: int = 0
    shape: str | None = None  # how the file was read: "tochno-st/sudrfscraper JSON lines (mapping 2024-04-19 @76ccdc0)"
    unused_columns: tuple[str, ...] = ()  # the file's columns no mapping uses, reported once for the whole file

    def lines(self) -> list[str]:
        out = [
            f"read {self.read} rows: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{sum(self.rejected.values())} rejected; the store now holds {self.total_stored} records"
        ]
        if self.shape:
            out.append(f"  read as: {self.shape}")
        if self.unused_columns:
            out.append(f"  columns not used: {', '.join(self.unused_columns)}")
        for reason, count in sorted(self.rejected.items(), key=lambda item: -item[1]):
            out.append(f"  rejected {count}: {reason}")
        if self.rejected_file:
            out.append(f"  rejected rows (line numbers and reasons): {self.rejected_file}")
        return out


class Store:
    def __init__(self, data_dir: Path | None = None) -> None:
        self.folder = (data_dir or default_data_dir()) / "analytics"
        self.path = self.folder / "records.parquet"

    def load(self) -> pl.DataFrame:
        """The stored records; a store written by an older version is read with today's codes (current_codes)."""
        if not self.path.exists():
            return pl.DataFrame(schema=_empty_schema())
        return current_codes(pl.read_parquet(self.path))

    def import_file(self, source: Path) -> ImportReport:
        read = read_file(source)
        report = self.import_frame(read.frame, source.name, read.mapping)
        report.shape, report.unused_columns = read.description, read.unused
        return report

    def import_frame(
        self, canonical: pl.DataFrame, label: str = "input", mapping: Mapping | None = None
    ) -> ImportReport:
        """Import canonical rows (records.read_file); `mapping` is the shape they were read with (its date formats)."""
        typed = apply_parser(normalise(canonical, mapping))
        report = ImportReport(read=typed.height)
        rejected = typed.filter(pl.col("reject_reason").is_not_null())
        accepted = typed.filter(pl.col("reject_reason").is_null()).unique(
            "record_key", keep="last", maintain_order=True
        )
        if rejected.height:
            report.rejected = dict(rejected.group_by("reject_reason").len().iter_rows())
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            report.rejected_file = self.folder / f"rejected-{stamp}-{Path(label).stem}.csv"
            rejected.select(pl.col("_line").alias("line"), "record_key", "reject_reason").write_csv(
                report.rejected_file
            )
        incoming = accepted.select(STORED).with_columns(_row_hash().alias("row_hash"))
        existing = self.load()
        if existing.height:
            known = existing.select("record_key", pl.col("row_hash").alias("old_hash"))
            compared = incoming.join(known, on="record_key", how="left")
            report.new = compared.filter(pl.col("old_hash").is_null()).height
            report.unchanged = compared.filter(pl.col("old_hash") == pl.col("row_hash")).height
            report.updated = incoming.height - report.new - report.unchanged
            merged = pl.concat(
                [existing.join(incoming.select("record_key"), on="record_key", how="anti"), incoming],
                how="vertical_relaxed",
            )
        else:
            report.new, merged = incoming.height, incoming
        self._write(merged)
        report.total_stored = merged.height
        return report

    def _write(self, frame: pl.DataFrame) -> None:
        """Write to a temporary file and rename it over the store: a crash never leaves half a store."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".parquet.tmp")
        frame.write_parquet(temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        temporary.replace(self.path)


def _row_hash() -> pl.Expr:
    """A fingerprint of a stored row, to tell unchanged rows from updated ones on re-import. (Polars' hash can
    change between Polars versions: after an upgrade one re-import reports rows as updated, with the same data.)"""
    return pl.struct(list(STORED)).hash(seed=20261125)


def _empty_schema() -> dict[str, pl.DataType]:
    strings = dict.fromkeys(STORED, pl.Utf8)
    strings.update(
        {
            "defendant_index": pl.Int32,
            "filed_date": pl.Date,
            "verdict_date": pl.Date,
            "attempt": pl.Boolean,
            "term_months": pl.Int32,
            "suspended": pl.Boolean,
            "probation_months": pl.Int32,
            "art64": pl.Boolean,
            "absence_start": pl.Date,
            "absence_end": pl.Date,
            "row_hash": pl.UInt64,
        }
    )
    return strings
