"""The table of known outcomes per article, part and edition, in each court, region and nationally: built from the
analytics store (published records) and the official statistics, written to `<data dir>/analytics/outcomes.json`.

The case page and the public interview read that small file (courtpath.analytics.outcomes) instead of the stores:
the web workers never load polars or a million records to answer "how likely is a suspended sentence here".

Only counts of convictions whose main penalty is known are kept:
- real term: deprivation of liberty not suspended;
- suspended: a sentence suspended under art. 73 of the Criminal Code (of any kind the article allows);
- other: every other main penalty (restriction of service, disciplinary unit, fine, arrest).
Non-conviction endings (acquittal, termination, the case suspended for contract service), pending cases and
convictions whose penalty is unknown are not counted: the official tables count convictions too.

The edition of a group is the act that gave the part its present content (LawBook.part_act), so the groups compare
like with like across editions that left the part unchanged. A record's edition is the one in force on the absence's
start, or, when that is unknown, on the verdict's date (a verdict may apply an earlier edition: such a record can be
counted under a later one). An official year is counted under the edition in force at its end, and left out when the
part's content changed during that year (the year's count mixes two laws).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import polars as pl

from courtpath.analytics.courts import court_directory
from courtpath.analytics.store import Store, default_data_dir
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook

TABLE_FORMAT = 1
FILE_NAME = "outcomes.json"


def table_path(data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / "analytics" / FILE_NAME


def group_key(article: str, part: str, act: str) -> str:
    """The key of an (article, part, edition act) group in the table."""
    return f"{article}|{part}|{act}"


def part_act_on(book: LawBook, article: str, part: str, day: dt.date) -> str | None:
    """The act that gave part `part` of `article` the content it had on `day`; None when the part did not exist."""
    if article not in book.articles:
        return None
    edition = book.edition_on(article, day)
    if edition is None or not any(p.part == part for p in edition.parts):
        return None
    return book.part_act(article, edition, next(p for p in edition.parts if p.part == part))


def _record_acts(records: pl.DataFrame, book: LawBook) -> pl.DataFrame:
    """`records` with `act`: the part's content act on the absence's start, else on the verdict's date."""
    day = pl.coalesce(pl.col("absence_start"), pl.col("verdict_date"))
    keys = records.select("article", "part", day.alias("day")).unique()
    acts = [
        (article, part, on, part_act_on(book, article, part, on) if on is not None else None)
        for article, part, on in keys.iter_rows()
    ]
    mapping = pl.DataFrame(
        acts, schema={"article": pl.Utf8, "part": pl.Utf8, "day": pl.Date, "act": pl.Utf8}, orient="row"
    )
    return records.with_columns(day.alias("day")).join(mapping, on=["article", "part", "day"], how="left")


def known_outcomes(records: pl.DataFrame, book: LawBook) -> pl.DataFrame:
    """One row per conviction with a known main penalty: article, part, act, court_id, region_code, year, kind
    (real | suspended | other) and the real term in months."""
    convicted = records.filter(
        (pl.col("outcome_category") == "convicted")
        & pl.col("sentence_type").is_not_null()
        & pl.col("part").is_not_null()
    )
    kind = (
        pl.when(pl.col("suspended").fill_null(False))
        .then(pl.lit("suspended"))
        .when(pl.col("sentence_type") == "imprisonment")
        .then(pl.when(pl.col("suspended").is_null()).then(pl.lit(None)).otherwise(pl.lit("real")))
        .otherwise(pl.lit("other"))
    )
    typed = _record_acts(convicted, book).with_columns(kind.alias("kind"))
    return typed.filter(pl.col("kind").is_not_null() & pl.col("act").is_not_null()).select(
        "article",
        "part",
        "act",
        "court_id",
        "region_code",
        pl.col("verdict_date").dt.year().alias("year"),
        "kind",
        pl.when(pl.col("kind") == "real").then(pl.col("term_months")).alias("term_months"),
    )


def _figures(frame: pl.DataFrame, by: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Counts per kind, the real terms' quartiles and the years covered, per group of `by`."""
    grouped = frame.group_by(by).agg(
        pl.len().alias("n"),
        (pl.col("kind") == "real").sum().alias("real"),
        (pl.col("kind") == "suspended").sum().alias("suspended"),
        (pl.col("kind") == "other").sum().alias("other"),
        pl.col("term_months").drop_nulls().len().alias("terms_n"),
        pl.col("term_months").quantile(0.25, "linear").alias("q1"),
        pl.col("term_months").median().alias("median"),
        pl.col("term_months").quantile(0.75, "linear").alias("q3"),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("last_year"),
    )
    out = {}
    for row in grouped.iter_rows(named=True):
        key = tuple(row.pop(column) for column in by)
        out[key] = row
    return out


def _official_rows(official: pl.DataFrame, book: LawBook) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(article, part, act, figures) of the official counts, one per group, years of mixed editions left out."""
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in official.filter(pl.col("part").is_not_null()).iter_rows(named=True):
        article, part, year = row["article"], row["part"], row["year"]
        act = part_act_on(book, article, part, dt.date(year, 12, 31))
        start = part_act_on(book, article, part, dt.date(year, 1, 1))
        if act is None or (start is not None and start != act):
            continue
        figure = totals.setdefault(
            (article, part, act),
            {"n": 0, "real": 0, "suspended": 0, "other": 0, "terms_n": 0, "first_year": year, "last_year": year},
        )
        for name, column in (
            ("n", "convicted"),
            ("real", "real_terms"),
            ("suspended", "suspended"),
            ("other", "other"),
        ):
            figure[name] += int(row[column] or 0)
        figure["first_year"], figure["last_year"] = min(figure["first_year"], year), max(figure["last_year"], year)
    return [(*key, figure) for key, figure in totals.items()]


def build_table(records: pl.DataFrame, official: pl.DataFrame, book: LawBook | None = None) -> dict[str, Any]:
    """The outcomes table (a JSON-ready dict) of these stored records and official counts."""
    book = book or default_lawbook()
    known = known_outcomes(records, book)
    groups: dict[str, dict[str, Any]] = {}

    def group(article: str, part: str, act: str) -> dict[str, Any]:
        return groups.setdefault(group_key(article, part, act), {"national": {}, "regions": {}, "courts": {}})

    for (article, part, act), figure in _figures(known, ["article", "part", "act"]).items():
        group(article, part, act)["national"]["records"] = figure
    located = known.filter(pl.col("region_code").is_not_null())
    for (article, part, act, region), figure in _figures(located, ["article", "part", "act", "region_code"]).items():
        group(article, part, act)["regions"][region] = figure
    in_court = known.filter(pl.col("court_id").is_not_null())
    for (article, part, act, court), figure in _figures(in_court, ["article", "part", "act", "court_id"]).items():
        group(article, part, act)["courts"][court] = figure
    for article, part, act, figure in _official_rows(official, book):
        group(article, part, act)["national"]["official"] = figure
    return {
        "format": TABLE_FORMAT,
        "law_version": book.version,
        "records": known.height,
        "official_years": sorted({int(y) for y in official.get_column("year").to_list()}) if official.height else [],
        "groups": groups,
        "courts": {
            court: {"name": name, "region_code": code, "region_name": region}
            for court, name, code, region in court_directory()
            .select("court_id", "court_name", "region_code", "region_name")
            .iter_rows()
        },
        "regions": dict(court_directory().select("region_code", "region_name").unique().iter_rows()),
    }


def write_table(data_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Build the table from the stores under `data_dir` and write it (atomically: a reader never sees half)."""
    from courtpath.analytics.official import load_official

    table = build_table(Store(data_dir).load(), load_official(data_dir))
    path = table_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(path)
    return path, table
