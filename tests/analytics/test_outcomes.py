"""Known outcomes beside a case: the Wilson interval, the "too few to say" rule, the table built from records and
official counts, grouped by the content act of the part."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _outcome_frames import official_rows, record_rows
from courtpath.analytics.outcomes import MIN_KNOWN, TableCache, beside_case, of_figure, plain_answer, wilson
from courtpath.analytics.outcomes_table import build_table, group_key

ACT_365 = "365-ФЗ 24.09.2022"
ACT_1996 = "63-ФЗ 13.06.1996"


# Newcombe R. G. (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
# Statistics in Medicine 17, 857-872, table II, method 3 (score interval without continuity correction).
@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_published_values(count: int, n: int, low: float, high: float) -> None:
    got = wilson(count, n)
    assert got == pytest.approx((low, high), abs=5e-5)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_share_and_stays_in_bounds(pair: tuple[int, int]) -> None:
    count, n = pair
    low, high = wilson(count, n)
    assert 0.0 <= low <= count / n <= high <= 1.0
    assert high - low > 0


def test_wilson_refuses_impossible_proportions() -> None:
    for count, n in ((1, 0), (-1, 5), (6, 5)):
        with pytest.raises(ValueError):
            wilson(count, n)


def test_fewer_than_ten_known_outcomes_show_nothing_but_n() -> None:
    figure = {"n": MIN_KNOWN - 1, "real": 5, "suspended": 4, "other": 0, "terms_n": 5, "q1": 60, "median": 66, "q3": 72}
    row = of_figure("national", "records", None, figure)
    assert (row.n, row.enough, row.shares, row.quartiles) == (9, False, (), None)
    enough = of_figure("national", "records", None, {**figure, "n": 10, "other": 1, "terms_n": 5})
    assert enough.enough and [s.count for s in enough.shares] == [5, 4, 1]
    assert enough.quartiles is None  # five real terms are too few for a median


COURT, REGION = "54GV0003", "22"  # the Barnaul garrison court, in Altai Krai (its code prefix says 54)


def _caseload() -> pl.DataFrame:
    verdict, start = dt.date(2024, 3, 1), dt.date(2023, 5, 1)
    rows = []
    rows += [("337", "5", "convicted", "imprisonment", False, 60 + i, start, verdict, COURT, REGION) for i in range(8)]
    rows += [("337", "5", "convicted", "imprisonment", True, 60, start, verdict, COURT, REGION) for _ in range(3)]
    rows += [("337", "5", "convicted", "restriction", False, None, start, verdict, "61GV0010", "01")]
    # not counted: pending, terminated, a conviction with an unknown penalty, a real term whose suspension is unknown
    rows += [("337", "5", "pending", None, None, None, start, None, COURT, REGION)]
    rows += [("337", "5", "terminated", None, None, None, start, verdict, COURT, REGION)]
    rows += [("337", "5", "convicted", None, None, None, start, verdict, COURT, REGION)]
    rows += [("337", "5", "convicted", "imprisonment", None, 70, start, verdict, COURT, REGION)]
    # part 4 before and after 365-FZ: the same content (63-FZ), one group
    rows += [("337", "4", "convicted", "imprisonment", False, 12, dt.date(2021, 1, 1), verdict, COURT, REGION)]
    rows += [("337", "4", "convicted", "imprisonment", True, 12, None, dt.date(2023, 1, 1), COURT, REGION)]
    return record_rows(rows)


def test_the_table_counts_convictions_with_a_known_penalty_per_scope() -> None:
    table = build_table(_caseload(), official_rows([]))
    group = table["groups"][group_key("337", "5", ACT_365)]
    national = group["national"]["records"]
    assert (national["n"], national["real"], national["suspended"], national["other"]) == (12, 8, 3, 1)
    assert (national["terms_n"], national["median"]) == (8, 63.5)
    assert (national["q1"], national["q3"]) == (61.75, 65.25)
    assert group["courts"][COURT]["n"] == 11 and group["regions"][REGION]["n"] == 11
    assert group["regions"]["01"]["n"] == 1
    assert table["groups"][group_key("337", "4", ACT_1996)]["national"]["records"]["n"] == 2
    assert table["courts"][COURT]["region_code"] == REGION


def test_beside_a_case_court_region_and_nation_from_each_source() -> None:
    official = official_rows(
        [
            (2022, "337", "5", 40, 10, 25, 5, "t.csv"),  # part 5 came into being in 2022: not a mixed year
            (2021, "337", "4", 100, 30, 60, 10, "t.csv"),
            (2022, "337", "4", 90, 20, 60, 10, "t.csv"),
            (2022, "337", None, 500, 100, 300, 100, "t.csv"),  # the whole article: no part, not used
        ]
    )
    table = json.loads(json.dumps(build_table(_caseload(), official)))  # as the pages read it back
    rows = beside_case(table, "337", "5", ACT_365, COURT)
    assert [(r.scope, r.source, r.n, r.enough) for r in rows] == [
        ("court", "records", 11, True),
        ("region", "records", 11, True),
        ("national", "records", 12, True),
        ("national", "official", 40, True),
    ]
    assert (
        rows[0].place == "Барнаульский гарнизонный военный суд (Алтайский край)" and rows[1].place == "Алтайский край"
    )
    suspended = rows[3].share_of("suspended")
    assert suspended is not None and (suspended.count, suspended.share) == (25, 0.625)
    assert (suspended.low, suspended.high) == wilson(25, 40)
    assert rows[3].quartiles is None and (rows[3].first_year, rows[3].last_year) == (2022, 2022)
    part4 = beside_case(table, "337", "4", ACT_1996, None)
    assert [(r.scope, r.source, r.n) for r in part4] == [("national", "records", 2), ("national", "official", 190)]
    assert plain_answer(part4) is part4[1]  # the official figure is preferred when it is enough


def test_a_year_in_which_the_part_changed_is_left_out_of_the_official_counts() -> None:
    # Part 2 of art. 338 has had the content 26-FZ gave it since 11.03.2011: the count of 2011 mixes two laws.
    official = official_rows([(2011, "338", "2", 50, 10, 30, 10, "t.csv"), (2012, "338", "2", 60, 10, 40, 10, "t.csv")])
    table = build_table(record_rows([]), official)
    figure = table["groups"][group_key("338", "2", "26-ФЗ 07.03.2011")]["national"]["official"]
    assert (figure["n"], figure["first_year"], figure["last_year"]) == (60, 2012, 2012)


def test_no_table_or_an_unknown_group_says_too_few() -> None:
    rows = beside_case(None, "337", "5", ACT_365, COURT)
    assert [(r.scope, r.n, r.enough) for r in rows] == [("national", 0, False), ("national", 0, False)]
    assert plain_answer(rows) is None


def test_the_cache_reads_a_new_table_when_the_file_changes(tmp_path) -> None:
    path = tmp_path / "outcomes.json"
    cache = TableCache(path)
    assert cache.get() is None
    path.write_text(json.dumps({"groups": {"a": 1}}), encoding="utf-8")
    assert cache.get() == {"groups": {"a": 1}}
    path.write_text(json.dumps({"groups": {"b": 22}}), encoding="utf-8")
    assert cache.get() == {"groups": {"b": 22}}
    path.write_text("{not json", encoding="utf-8")
    assert cache.get() is None


def test_the_commands_write_the_table_the_pages_read(tmp_path, capsys) -> None:
    from pathlib import Path

    from courtpath.analytics.outcomes_table import table_path
    from courtpath.cli.main import run

    data = tmp_path / "data"
    official = Path(__file__).parent / "official_tables" / "long_years_comma_utf8.csv"
    assert run(["analytics", "outcomes", "--data-dir", str(data)]) == 0  # nothing imported yet: an empty table
    assert "known outcomes: 0 convictions" in capsys.readouterr().out
    assert json.loads(table_path(data).read_text(encoding="utf-8"))["groups"] == {}
    assert run(["analytics", "import-stats", str(official), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "known outcomes: 0 convictions with a known penalty in the records, " in out
    assert "official statistics of the years: 2021, 2022" in out
    table = json.loads(table_path(data).read_text(encoding="utf-8"))
    part5 = table["groups"][group_key("337", "5", ACT_365)]["national"]["official"]
    assert (part5["n"], part5["real"], part5["suspended"], part5["other"]) == (900, 420, 430, 50)
    rows = beside_case(table, "337", "5", ACT_365, None)
    assert rows[-1].source == "official" and rows[-1].share_of("suspended").count == 430
