"""The batch mode must agree with the single assessment row by row, and report bad rows instead of failing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from courtpath.cli.main import run
from courtpath.law.batch import assess_frame
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, Facts
from courtpath.law.synthetic import caseload, facts_from_row

AS_OF = dt.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
DATE_FLAGS = {"borderline_duration", "open_question:q_duration_computation"}


def _moment(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(MOSCOW)


@pytest.mark.parametrize(
    ("law_on", "start", "years"),
    [
        (None, dt.datetime(2019, 1, 1), 8),
        (dt.date(2026, 2, 1), dt.datetime(2019, 1, 1), 8),
        # Moscow changed its clocks until 2014: days must stay 24 real hours in both modes.
        (None, dt.datetime(2008, 1, 1), 8),
    ],
)
def test_batch_agrees_with_single_assessment(law_on: dt.date | None, start: dt.datetime, years: int) -> None:
    rows = caseload(3000, seed=7, start=start, years=years)
    result = assess_frame(rows, as_of=AS_OF, law_on=law_on)
    assert result.height == rows.height
    assert result.get_column("error").null_count() == rows.height
    for row in result.iter_rows(named=True):
        single = assess(facts_from_row(row, law_on))
        primary = single.primary
        desertion = next((q for q in single.qualifications if q.kind == "desertion"), None)
        context = f"row {row['id']}: {row}"
        assert row["part"] == (primary.part if primary else None), context
        assert row["edition"] == (primary.edition if primary else None), context
        if primary:
            worst = primary.penalties[-1]
            assert (row["penalty_type"], row["min_months"], row["max_months"]) == (
                worst.type,
                worst.min_months,
                worst.max_months,
            ), context
            assert row["gravity"] == primary.gravity
            assert row["limitation_years"] == primary.limitation_years
            assert row["suspended_possible"] == primary.suspended_possible
            assert row["cap_months"] == (float(primary.cap_months) if primary.cap_months is not None else None)
        assert row["desertion_part"] == (desertion.part if desertion else None), context
        codes = single.flag_codes()
        assert set(row["flags"].split(";")) - {""} == set(codes) - DATE_FLAGS, context
        assert row["borderline_duration"] == ("borderline_duration" in codes), context
        dates = {k.code: k.at for k in single.key_dates}
        assert _moment(row["criminal_liability_from"]) == dates.get("criminal_liability_from"), context
        assert _moment(row["limitation_expires"]) == dates.get("limitation_expires"), context
        assert row["band"] == single.band, context


def test_bad_rows_are_reported_not_dropped() -> None:
    frame = pl.DataFrame(
        {
            "status": ["contract", "admiral", "contract", "contract", "conscript", "contract"],
            "left": ["2025-01-01T08:00", "2025-01-01", "not a date", "2025-01-10", "2025-01-01", "2025-01-01"],
            "returned": ["2025-01-20T08:00", "2025-01-20", "", "2025-01-05", "2025-01-20", "2025-01-20"],
            "indicators": ["", "", "", "", "", "tattoo"],
            "released_80_2": ["false", "false", "false", "false", "true", "false"],
        }
    )
    result = assess_frame(frame, as_of=AS_OF)
    assert result.get_column("error").to_list() == [
        None,
        "unknown status",
        "missing or malformed 'left'",
        "'returned' is not after 'left'",
        "'released_80_2' needs status contract or mobilized",
        "unknown indicator",
    ]
    assert result.row(0, named=True)["part"] == "3.1"
    assert result.height == frame.height


def test_offsets_in_text_are_read_as_moscow_time() -> None:
    frame = pl.DataFrame({"status": ["contract"], "left": ["2025-01-01T05:00:00Z"], "returned": ["2025-01-03T08:30"]})
    row = assess_frame(frame, as_of=AS_OF).row(0, named=True)
    # 05:00 UTC is 08:00 in Moscow: the absence lasted 48.5 hours, over the two-day threshold.
    assert row["duration_hours"] == pytest.approx(48.5)
    assert row["band"] == "A"


def test_cli_batch_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "caseload.csv"
    caseload(200, seed=3).write_csv(source)
    out = tmp_path / "assessed.parquet"
    assert run(["assess", "--batch", str(source), "--out", str(out), "--as-of", "2026-11-25T12:00"]) == 0
    assessed = pl.read_parquet(out)
    assert assessed.height == 200
    assert "assessed 200 of 200 rows" in capsys.readouterr().err
    what_if = tmp_path / "what_if.csv"
    code = run(
        ["assess", "--batch", str(out), "--out", str(what_if), "--law-on", "2026-02-01", "--as-of", "2026-11-25"]
    )
    assert code == 0
    assert pl.read_csv(what_if).height == 200


def test_cli_batch_needs_out_and_a_known_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "caseload.txt"
    source.write_text("status,left\n")
    assert run(["assess", "--batch", str(source), "--lang", "en"]) == 2
    assert run(["assess", "--batch", str(source), "--out", str(tmp_path / "x.csv"), "--lang", "en"]) == 2
    assert run(["assess", "--batch", str(source)]) == 2  # Russian, the default
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "courtpath: error: --batch needs --out FILE for the results",
        "courtpath: error: --batch: caseload.txt: expected a .csv or .parquet file",
        "courtpath: error: для --batch нужен --out FILE: файл для результатов",
    ]


def test_clock_changes_count_real_hours_in_both_modes() -> None:
    # 26.10.2014 02:00 +04 became 01:00 +03; 28.03.2010 02:00 +03 became 03:00 +04.
    pairs = [
        ("2014-10-25T12:00", "2014-10-27T11:30"),  # 47.5 wall-clock hours, 48.5 real hours
        ("2010-03-27T12:00", "2010-03-29T12:30"),  # 48.5 wall-clock hours, 47.5 real hours
        ("2010-10-30T12:00", "2010-11-09T11:30"),  # over 10 days in real time
    ]
    frame = pl.DataFrame(
        {"status": ["conscript"] * 3, "left": [a for a, _ in pairs], "returned": [b for _, b in pairs]}
    )
    result = assess_frame(frame, as_of=AS_OF)
    for row, (left, returned) in zip(result.iter_rows(named=True), pairs, strict=True):
        single = assess(
            Facts(
                status="conscript",
                left=dt.datetime.fromisoformat(left),
                returned=dt.datetime.fromisoformat(returned),
                as_of=AS_OF,
            )
        )
        assert row["band"] == single.band
        assert row["duration_hours"] == pytest.approx(single.duration_hours)
    assert result.get_column("band").to_list() == ["A", "none", "B"]
