"""Analytics: import with bad rows, idempotent re-import, regions from the directory, sentences beside the law,
and aggregate numbers known by construction."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from courtpath.analytics import aggregate
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.store import Store
from courtpath.analytics.synthetic import records as synthetic_records
from courtpath.cli.main import run

HEADER = "court_id,case_uid,case_number,filed_date,verdict_date,articles,outcome,sentence_type,term_months,suspended"


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = [
    # Barnaul garrison court: code prefix 54, but the court sits in Altai Krai (region 22).
    "54GV0003,54GV0003-01-2024-000001-01,1-1/2024,2024-01-10,2024-03-01,ст.337 ч.5 УК РФ,Вынесен ПРИГОВОР,imprisonment,60,false",
    "54GV0003,54GV0003-01-2024-000002-01,1-2/2024,2024-01-11,2024-03-02,ст.337 ч.5 УК РФ,Вынесен ПРИГОВОР,imprisonment,120,true",
    "27GV0008,27GV0008-01-2024-000003-01,1-3/2024,2024-02-01,2024-04-15,ст.337 ч.3.1 УК РФ,Вынесен ПРИГОВОР,imprisonment,84,false",
    "27GV0008,27GV0008-01-2024-000004-01,1-4/2024,10.02.2024,20.04.2024,ч. 2.1 ст. 337 УК РФ,Вынесен ПРИГОВОР,imprisonment,1,true",
    "99GV9999,99GV9999-01-2024-000005-01,1-5/2024,2024-02-01,2024-04-20,ст.338 ч.3 УК РФ,Прекращено,,,",
]
BAD = [
    "27GV0008,27GV0008-01-2024-000006-01,1-6/2024,2024-31-02,2024-04-20,ст.337 ч.5,Вынесен ПРИГОВОР,,,",
    "27GV0008,27GV0008-01-2024-000007-01,1-7/2024,2024-05-01,2024-04-20,ст.337 ч.5,Вынесен ПРИГОВОР,,,",
    "27GV0008,27GV0008-01-2024-000008-01,1-8/2024,2024-01-01,2024-04-20,ст.158 ч.2 УК РФ,Вынесен ПРИГОВОР,,,",
    ",,,2024-01-01,2024-04-20,ст.337 ч.5,Вынесен ПРИГОВОР,,,",
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


def test_import_reports_rejected_rows_with_reasons(store: Store, tmp_path: Path) -> None:
    report = store.import_file(write_csv(tmp_path / "cards.csv", GOOD + BAD))
    assert (report.read, report.new) == (9, 5)
    assert report.rejected == {
        "malformed filed_date (expected YYYY-MM-DD or DD.MM.YYYY)": 1,
        "verdict_date is before filed_date": 1,
        "no article 337, 338 or 339 in the article list": 1,
        "no case UID, and no court id with a case number": 1,
    }
    rejected = pl.read_csv(report.rejected_file)
    assert sorted(rejected.get_column("line").to_list()) == [7, 8, 9, 10]  # file line numbers, header is line 1


def test_reimport_is_idempotent_and_updates_changed_rows(store: Store, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "cards.csv", GOOD)
    store.import_file(source)
    again = store.import_file(source)
    assert (again.new, again.updated, again.unchanged, again.total_stored) == (0, 0, 5, 5)
    changed = [GOOD[0].replace(",60,false", ",72,false"), *GOOD[1:]]
    third = store.import_file(write_csv(tmp_path / "cards2.csv", changed))
    assert (third.new, third.updated, third.unchanged, third.total_stored) == (0, 1, 4, 5)
    assert store.load().filter(pl.col("case_uid") == "54GV0003-01-2024-000001-01")["term_months"].item() == 72


def test_region_comes_from_the_directory_not_the_code_prefix(store: Store, tmp_path: Path) -> None:
    store.import_file(write_csv(tmp_path / "cards.csv", GOOD))
    regions = dict(aggregate.by_region(store.load()).iter_rows())
    assert regions == {"Алтайский край": 2, "Приморский край": 2, "unknown": 1}


def test_json_lines_with_a_broken_line(store: Store, tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "case_id_uid": "27GV0008-01-2024-000010-01",
                "adm_date": "2024-01-05",
                "resultDate": "2024-02-05",
                "names": "<Информация скрыта> ст.337 ч.5 УК РФ",
                "decision": "Вынесен ПРИГОВОР",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps(["a list, not an object"]),
    ]
    path = tmp_path / "cards.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = store.import_file(path)
    assert report.new == 1
    assert sum(report.rejected.values()) == 2
    stored = store.load().row(0, named=True)
    assert (stored["court_id"], stored["article"], stored["part"]) == ("27GV0008", "337", "5")
    assert "names" not in store.load().columns  # defendants' names are never stored


def test_sentences_beside_the_law_bounds_are_inside(store: Store, tmp_path: Path) -> None:
    store.import_file(write_csv(tmp_path / "cards.csv", GOOD))
    checked = beside_law(store.load())
    status = dict(checked.select("case_uid", "range_status").iter_rows())
    assert status["54GV0003-01-2024-000001-01"] == "inside"  # 60 months = the minimum of 337 part 5
    assert status["54GV0003-01-2024-000002-01"] == "inside"  # 120 months = the maximum
    assert status["27GV0008-01-2024-000003-01"] == "inside"  # 84 = maximum of part 3.1
    assert status["27GV0008-01-2024-000004-01"] == "below_minimum"  # 1 month < the 2-month General Part minimum
    assert status["99GV9999-01-2024-000005-01"] == "not_applicable"  # case terminated
    row = checked.filter(pl.col("case_uid") == "27GV0008-01-2024-000003-01").row(0, named=True)
    assert (row["edition"], row["law_date_basis"], row["range_max_months"]) == ("365-FZ", "filed_date", 84)
    outside = aggregate.outside_range(checked)
    assert outside.get_column("record_key").to_list() == ["27GV0008-01-2024-000004-01#0"]


def test_aggregates_by_construction(store: Store, tmp_path: Path) -> None:
    store.import_file(write_csv(tmp_path / "cards.csv", GOOD))
    records = beside_law(store.load())
    monthly = {(str(m), p): n for m, p, n in aggregate.monthly_by_part(records).iter_rows()}
    assert monthly == {
        ("2024-03-01", "337.5"): 2,
        ("2024-04-01", "337.3.1"): 1,
        ("2024-04-01", "337.2.1"): 1,
        ("2024-04-01", "338.3"): 1,
    }
    share = {
        row["part_key"]: (row["n"], row["suspended"], row["real"])
        for row in aggregate.suspended_share(records).iter_rows(named=True)
    }
    assert share == {"337.2.1": (1, 1, 0), "337.3.1": (1, 0, 1), "337.5": (2, 1, 1), "all": (4, 2, 2)}
    assert list(share) == ["337.2.1", "337.3.1", "337.5", "all"]  # parts in numeric order
    outcomes = dict(aggregate.outcomes(records).iter_rows())
    assert outcomes == {"convicted": 4, "terminated": 1}


def test_cli_import_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "cards.csv", GOOD + BAD)
    data = tmp_path / "data"
    assert run(["analytics", "import", str(source), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "5 new" in out and "4 rejected" in out
    assert run(["analytics", "import", str(tmp_path / "missing.csv"), "--data-dir", str(data)]) == 2
    assert run(["analytics", "import", str(tmp_path / "cards.txt"), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("courtpath: error:") for line in err)


def test_synthetic_records_import_cleanly(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "synthetic.csv"
    synthetic_records(2000, seed=5, text_share=0.1).write_csv(source)
    report = store.import_file(source)
    assert report.rejected == {}
    stored = store.load()
    assert stored.height == 2000
    # Rows that carry only a verdict text get their term from the parser.
    parsed = stored.filter(pl.col("text_sha256").is_not_null() & (pl.col("outcome_category") == "convicted"))
    assert parsed.height > 100
    assert parsed.get_column("term_months").null_count() == 0


RESTRICTION = (
    "27GV0008,27GV0008-01-2024-000011-01,1-11/2024,2024-02-01,2024-04-15,ст.337 ч.3 УК РФ,Вынесен ПРИГОВОР,{},6,"
)


def test_one_code_for_the_restriction_of_military_service(store: Store, tmp_path: Path) -> None:
    """`restriction`, the engine's code, everywhere; a store or a file of an older version said
    `restriction_of_service`, and reads as `restriction`."""
    store.import_file(write_csv(tmp_path / "cards.csv", [RESTRICTION.format("restriction")]))
    row = beside_law(store.load()).row(0, named=True)
    assert (row["sentence_type"], row["range_min_months"], row["range_max_months"]) == ("restriction", 3, 24)
    assert row["range_status"] == "inside"

    # a store written by an older version of courtpath
    old = store.load().with_columns(pl.lit("restriction_of_service").alias("sentence_type"))
    old.write_parquet(store.path)
    assert store.load().get_column("sentence_type").to_list() == ["restriction"]
    assert beside_law(store.load()).row(0, named=True)["range_status"] == "inside"
    # re-importing the same record rewrites it with today's code
    again = store.import_file(write_csv(tmp_path / "old.csv", [RESTRICTION.format("restriction_of_service")]))
    assert (again.new, again.total_stored) == (0, 1)
    assert pl.read_parquet(store.path).get_column("sentence_type").to_list() == ["restriction"]
