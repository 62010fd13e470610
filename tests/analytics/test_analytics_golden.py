"""Golden report numbers on a fixed generated dataset (400 fictional records, seed 77, a fifth with verdict texts).

This is a regression test: the expected tables in tests/golden_analytics/ were produced by this pipeline once and
reviewed; a change in import, parsing, ranges or aggregation that moves any number fails here. The numbers by
construction are checked in test_analytics.py and test_report.py. After an intended change, regenerate with
`python tests/test_analytics_golden.py` and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from courtpath.analytics import aggregate
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.store import Store
from courtpath.analytics.synthetic import records

GOLDEN = Path(__file__).parent / "golden_analytics"
TABLES = ("monthly_by_part", "suspended_share", "term_distribution", "by_region", "outcomes", "range_check")


def compute(folder: Path) -> dict[str, pl.DataFrame]:
    source = folder / "records.csv"
    records(400, seed=77, text_share=0.2).write_csv(source)
    store = Store(folder / "data")
    store.import_file(source)
    checked = beside_law(store.load())
    return {name: getattr(aggregate, name)(checked) for name in TABLES}


def test_report_numbers_match_the_golden_tables(tmp_path: Path) -> None:
    for name, table in compute(tmp_path).items():
        expected = pl.read_csv(GOLDEN / f"{name}.csv", try_parse_dates=True)
        actual = pl.read_csv(table.write_csv().encode(), try_parse_dates=True)
        assert_frame_equal(actual, expected, check_exact=False, rel_tol=1e-9)


if __name__ == "__main__":
    import tempfile

    for name, table in compute(Path(tempfile.mkdtemp())).items():
        table.write_csv(GOLDEN / f"{name}.csv")
    sys.stdout.write(f"wrote {len(TABLES)} golden tables to {GOLDEN}\n")
