"""Benchmarks of the law engine: single-assessment latency and batch throughput on one core.

    python benchmarks/bench_engine.py [--rows 1000000] [--single 20000]

Polars is limited to one thread (POLARS_MAX_THREADS=1, set before it is imported) so the batch figure is per core.
"""

from __future__ import annotations

import os

os.environ["POLARS_MAX_THREADS"] = "1"

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from courtpath.law import cache
from courtpath.law.answer import answer_data
from courtpath.law.batch import assess_file, assess_frame, facts_from_row
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, Facts, FactsError
from courtpath.law.synthetic import caseload

AS_OF = dt.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)


def facts_from(frame: pl.DataFrame) -> list[Facts]:
    facts = []
    for row in frame.iter_rows(named=True):
        try:
            facts.append(facts_from_row(row, as_of=AS_OF))
        except FactsError:
            continue
    return facts


def time_each(facts: list[Facts], before: object = None) -> list[float]:
    timings = []
    for one in facts:
        if callable(before):
            before()
        started = time.perf_counter_ns()
        assess(one)
        timings.append((time.perf_counter_ns() - started) / 1000)
    return timings


def describe(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95)]
    print(f"{label:<44} median {statistics.median(ordered):7.1f} µs   p95 {p95:7.1f} µs   n={len(ordered)}")


def bench_single(count: int) -> None:
    facts = facts_from(caseload(count, seed=11))
    assess(facts[0])  # load the law data and the translation catalogue outside the timing

    def clear() -> None:
        cache.clear(keep_objects=True)

    describe("single assessment, nothing cached", time_each(facts, clear))
    time_each(facts)  # prime the decision caches with this caseload
    describe("single assessment, decisions cached", time_each(facts))
    started = time.perf_counter()
    for one in facts[:2000]:
        answer_data(assess(one), "ru")
    per = (time.perf_counter() - started) / min(len(facts), 2000) * 1e6
    print(f"{'assessment + JSON-ready dict (ru)':<44} mean   {per:7.1f} µs")


PERSON_COLUMNS = ("sex", "prior_conviction", "prior_imprisonment", "on_probation")


def bench_batch(rows: int) -> None:
    frame = caseload(rows)
    # The caseload without the person's facts (engine 0.1 had none; the other columns are the same for a seed):
    # the figure to compare with earlier runs. Then the whole caseload, whose person facts multiply the distinct
    # decisions.
    for label, data in (
        ("batch, in memory, without the person's columns", frame.drop(PERSON_COLUMNS)),
        ("batch, in memory, with the person's facts", frame),
    ):
        cache.clear(keep_objects=True)
        started = time.perf_counter()
        result = assess_frame(data, as_of=AS_OF)
        seconds = time.perf_counter() - started
        assert result.height == rows
        print(f"{label}: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s (one thread)")
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder, "caseload.parquet"), Path(folder, "assessed.parquet")
        frame.write_parquet(source)
        summary = assess_file(source, out, as_of=AS_OF)
        print(f"batch, Parquet file to file: {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the batch benchmark")
    parser.add_argument("--single", type=int, default=20_000, help="fact sets for the single-assessment benchmark")
    args = parser.parse_args()
    print(
        f"courtpath engine benchmark — Python {platform.python_version()}, polars {pl.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs visible, POLARS_MAX_THREADS=1"
    )
    bench_single(args.single)
    bench_batch(args.rows)


if __name__ == "__main__":
    main()
