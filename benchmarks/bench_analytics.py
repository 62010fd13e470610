"""Analytics at scale: import 1,000,000 generated court records and compute every aggregate, on one core.

    python benchmarks/bench_analytics.py [--rows 1000000] [--text-share 0.05]

Target (issue 6): import and aggregate in under a minute on one core. Generation is not timed.
"""

from __future__ import annotations

import os

os.environ["POLARS_MAX_THREADS"] = "1"

import argparse
import platform
import tempfile
import time
from pathlib import Path

import polars as pl

from courtpath.analytics import aggregate
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.outcomes_table import write_table
from courtpath.analytics.store import Store
from courtpath.analytics.synthetic import records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--text-share", type=float, default=0.05, help="share of rows that carry a verdict text")
    args = parser.parse_args()
    print(
        f"courtpath analytics benchmark — Python {platform.python_version()}, polars {pl.__version__}, "
        f"POLARS_MAX_THREADS=1, {args.rows:,} rows, {args.text_share:.0%} with a verdict text"
    )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "records.csv")
        records(args.rows, text_share=args.text_share).write_csv(source)
        print(f"input: {source.stat().st_size / 1e6:.0f} MB CSV")
        store = Store(Path(folder, "data"))
        started = time.perf_counter()
        report = store.import_file(source)
        imported = time.perf_counter() - started
        print(f"import: {imported:.1f} s ({args.rows / imported:,.0f} rows/s); " + report.lines()[0])
        started = time.perf_counter()
        again = store.import_file(source)
        print(f"re-import of the same file: {time.perf_counter() - started:.1f} s; {again.unchanged:,} unchanged")
        started = time.perf_counter()
        checked = beside_law(store.load())
        tables = {
            "monthly_by_part": aggregate.monthly_by_part(checked),
            "suspended_share": aggregate.suspended_share(checked),
            "term_distribution": aggregate.term_distribution(checked),
            "by_region": aggregate.by_region(checked),
            "outcomes": aggregate.outcomes(checked),
            "range_check": aggregate.range_check(checked),
        }
        aggregated = time.perf_counter() - started
        print(f"aggregate (ranges beside the law + 6 tables): {aggregated:.1f} s")
        print(f"import + aggregate: {imported + aggregated:.1f} s (target < 60 s)")
        started = time.perf_counter()
        path, table = write_table(Path(folder, "data"))
        print(
            f"known outcomes table (what `import` writes for the case pages): {time.perf_counter() - started:.1f} s, "
            f"{table['records']:,} convictions with a known penalty, {path.stat().st_size / 1e3:.0f} KB"
        )
        print(tables["range_check"])


if __name__ == "__main__":
    main()
