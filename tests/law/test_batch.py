"""The batch mode must agree with the single assessment row by row, and report bad rows instead of failing."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import polars as pl
import pytest

from _support import assert_batch_row_agrees
from courtpath.cli.main import run
from courtpath.law.batch import (
    INDICATOR_CLASSES,
    KEY_FIELDS,
    KEY_SIZES,
    assess_frame,
    decision_key,
    derive_keys,
    facts_from_row,
)
from courtpath.law.batch_rules import CHOICES, first_broken, prepare
from courtpath.law.decision import DecisionKey
from courtpath.law.engine import _decision_key, assess
from courtpath.law.facts import MOSCOW, Facts, PriorConviction, Sex, Status
from courtpath.law.loader import default_lawbook
from courtpath.law.result import Assessment
from courtpath.law.synthetic import caseload

AS_OF = dt.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=MOSCOW)  # the clock of these tests: the caseload lies before it


@pytest.mark.parametrize(
    ("law_on", "start", "years"),
    [
        (None, dt.datetime(2018, 6, 1), 7),
        (dt.date(2026, 2, 1), dt.datetime(2018, 6, 1), 7),
        # Moscow changed its clocks until 2014: days must stay 24 real hours in both modes.
        (None, dt.datetime(2008, 1, 1), 8),
    ],
)
def test_batch_agrees_with_single_assessment(law_on: dt.date | None, start: dt.datetime, years: int) -> None:
    rows = caseload(3000, seed=7, start=start, years=years)
    result = assess_frame(rows, as_of=AS_OF, law_on=law_on, now=NOW)
    assert result.height == rows.height
    assert result.get_column("error").null_count() == rows.height
    for row in result.iter_rows(named=True):
        assert_batch_row_agrees(row, assess(facts_from_row(row, as_of=AS_OF, law_on=law_on, now=NOW)))


def test_bad_rows_are_reported_not_dropped() -> None:
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6, 7],
            "status": ["contract", "admiral", "contract", "contract", "conscript", "contract", "contract"],
            "left": [
                "2025-01-01T08:00",
                "2025-01-01",
                "not a date",
                "2025-01-10",
                "2025-01-01",
                "2025-01-01",
                "1.1.2025",
            ],
            "returned": ["2025-01-20T08:00", "2025-01-20", "", "2025-01-05", "2025-01-20", "2025-01-20", "31.02.2025"],
            "indicators": ["", "", "", "", "", "tattoo", "job; job"],
            "released_80_2": ["false", "false", "false", "false", "true", "false", "нет"],
        }
    )
    result = assess_frame(frame, as_of=AS_OF, now=NOW)
    assert result.height == frame.height
    assert result.select(frame.columns).equals(frame)  # every input cell kept, in order
    assert result.select("error_field", "error_code").rows() == [
        (None, None),
        ("status", "unknown_value"),
        ("left", "moment_format"),
        ("returned", "end_before_start"),
        ("released_80_2", "released_80_2_status"),
        ("indicators", "unknown_value"),
        ("returned", "moment_value"),
    ]
    assert result.get_column("error").to_list() == [
        None,
        "“admiral” is not one of: conscript, contract, reservist, mobilized, dmu.",
        "“not a date” is not a date or a date and time. Write it as 01.03.2025 or 01.03.2025 08:00 (day.month.year), "
        "or 2025-03-01T08:00.",
        "The absence must end after it began (2025-01-10 00:00 MSK).",
        "Release under art. 80.2, or a case suspended on the command's petition, concerns contract or mobilized "
        "servicemen only.",
        "“tattoo” is not one of: job, border, forged-documents, false-identity, other.",
        "“31.02.2025” is not a real date or time.",
    ]
    assert result.row(0, named=True)["part"] == "3.1"
    assert result.row(1, named=True)["part"] is None


def test_errors_are_worded_in_the_batch_language() -> None:
    frame = pl.DataFrame({"status": ["contract"], "left": ["01/03/2025"]})
    row = assess_frame(frame, as_of=AS_OF, now=NOW, lang="ru").row(0, named=True)
    assert (row["error_field"], row["error_code"]) == ("left", "moment_format")
    assert row["error"].startswith("«01/03/2025» — не дата")


def test_offsets_in_text_are_read_as_moscow_time() -> None:
    frame = pl.DataFrame({"status": ["contract"], "left": ["2025-01-01T05:00:00Z"], "returned": ["2025-01-03T08:30"]})
    row = assess_frame(frame, as_of=AS_OF, now=NOW).row(0, named=True)
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
    result = assess_frame(frame, as_of=AS_OF, now=NOW)
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


def test_moments_python_cannot_hold_are_out_of_range_not_a_crash() -> None:
    """A Parquet file may hold moments beyond Python's years (1 to 9999); the single door, which words the errors,
    reads them as moments equally far out."""
    micros = [-62135596800 * 10**6, 253402300799 * 10**6, 10**17, -(10**17)]  # 0001-01-01, 9999-12-31, 5138, -1199
    left = pl.Series("left", micros, dtype=pl.Int64).cast(pl.Datetime("us"))
    for zone in (None, "America/New_York", "Asia/Tokyo"):
        cells = left if zone is None else left.dt.replace_time_zone("UTC").dt.convert_time_zone(zone)
        frame = pl.DataFrame({"status": ["contract"] * 4, "left": cells})
        result = assess_frame(frame, as_of=AS_OF, now=NOW)
        assert (
            result.select("error_field", "error_code", "error").rows()
            == [("left", "year_range", "The year must be between 1900 and 2099.")] * 4
        )


def test_typed_input_written_as_csv_reads_back_the_same(tmp_path: Path) -> None:
    """Moments without an offset (Moscow time) and an indicators list survive a CSV output, and read back alike."""
    frame = pl.DataFrame(
        {
            "status": ["contract", "conscript"],
            "left": [dt.datetime(2025, 3, 1, 8), dt.datetime(2025, 3, 1, 8)],
            "returned": [dt.datetime(2025, 3, 20, 8), None],
            "indicators": [["job", "border"], []],
        }
    )
    source, out = tmp_path / "facts.parquet", tmp_path / "assessed.csv"
    frame.write_parquet(source)
    assert run(["assess", "--batch", str(source), "--out", str(out), "--as-of", "2026-11-25T12:00"]) == 0
    written = pl.read_csv(out, infer_schema=False)
    assert written.get_column("left").to_list() == ["2025-03-01T08:00:00"] * 2
    assert written.get_column("indicators").to_list() == ["job;border", ""]
    again = assess_frame(written.select(frame.columns), as_of=AS_OF, now=NOW)
    first = assess_frame(frame, as_of=AS_OF, now=NOW)
    assert again.select("part", "flags", "criminal_liability_from").equals(
        first.select("part", "flags", "criminal_liability_from")
    )


# -- the facts of the person -------------------------------------------------------------------------------------


def test_the_packed_key_holds_every_value_in_an_int64() -> None:
    """Every DecisionKey field is packed, each in a size that holds all its values, and the product of the sizes
    stays below 2**63. More law epochs (the General Part's dates are to come) need a larger epoch size here."""
    law = default_lawbook()
    packed_as = {"indicators": "indicator_class", "epoch_hypothetical": "hypothetical"}
    assert {packed_as.get(name, name) for name in DecisionKey._fields} == set(KEY_SIZES)
    assert len(KEY_SIZES) == len(KEY_FIELDS)
    assert math.prod(KEY_SIZES.values()) < 2**63
    for name in ("epoch_start", "epoch_end", "epoch_now"):
        assert len(law.epochs) <= KEY_SIZES[name], f"{len(law.epochs)} law epochs, {name} holds {KEY_SIZES[name]}"
    assert KEY_SIZES["hypothetical"] == KEY_SIZES["epoch_start"] + 1  # none, or an epoch
    assert len(law.thresholds) + 1 <= KEY_SIZES["band"]
    for name in ("status", "context", "sex", "prior_conviction"):
        assert len(CHOICES[name]) <= KEY_SIZES[name], name
    assert len(INDICATOR_CLASSES) <= KEY_SIZES["indicator_class"]


CONVICTIONS = [c.value for c in PriorConviction if c is not PriorConviction.NONE]
# Each person the facts allow: a prison term only with a conviction.
PEOPLE = [
    {"sex": sex, "prior_conviction": conviction, "prior_imprisonment": prison, "on_probation": probation}
    for sex, conviction, prison, probation in itertools.product(
        [s.value for s in Sex], ["none", *CONVICTIONS], [False, True], [False, True]
    )
    if conviction != "none" or not prison
]
ABSENCES = [("01.03.2025 08:00", "2025-03-04T08:00"), ("01.03.2025 08:00", "2025-03-20"), ("01.03.2025", "")]


def _person_rows(first_offence: str | None) -> pl.DataFrame:
    """Text cells, as from a CSV file: every person, status and absence; `first_offence` as given (None: no such
    column, so the intake's default)."""
    rows = [
        {
            "status": status.value,
            "left": left,
            "returned": returned,
            **({} if first_offence is None else {"first_offence": first_offence}),
            **{name: str(value).lower() for name, value in person.items()},
        }
        for person in PEOPLE
        for status in Status
        for left, returned in ABSENCES
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.Utf8))


def _batch_keys(frame: pl.DataFrame, law_on: dt.date | None) -> list[DecisionKey | None]:
    typed = prepare(frame, as_of=AS_OF, law_on=law_on, now=NOW).with_columns(first_broken().alias("_rule"))
    codes = derive_keys(typed, default_lawbook(), law_on).get_column("_key").to_list()
    return [None if code is None else decision_key(code) for code in codes]


def _engine_key(facts: Facts) -> DecisionKey:
    """engine._decision_key's key, with the indicators reduced to the class the batch keeps."""
    key = _decision_key(facts, default_lawbook())[0]
    indicators = key.indicators
    kept = INDICATOR_CLASSES[2 if "forged-documents" in indicators else 1 if indicators else 0]
    return key._replace(indicators=kept)


@pytest.mark.parametrize("law_on", [None, dt.date(2026, 2, 1)])
def test_the_batch_builds_the_engines_decision_key(law_on: dt.date | None) -> None:
    """The key the batch packs and unpacks is engine._decision_key's for the same row: the facts of the person
    included, and first_offence false by default with an earlier conviction or a probation, as the intake has it."""
    frames = [
        caseload(2000, seed=5),
        _person_rows(None),
        _person_rows(""),
        _person_rows("no"),
        pl.DataFrame({"status": ["contract"], "left": ["01.03.2025"], "sex": ["female"], "on_probation": [1]}),
    ]
    met = set()
    for frame in frames:
        for row, key in zip(frame.iter_rows(named=True), _batch_keys(frame, law_on), strict=True):
            facts = facts_from_row(row, as_of=AS_OF, law_on=law_on, now=NOW)
            assert key == _engine_key(facts), row
            met.add((key.sex, key.prior_conviction, key.prior_imprisonment, key.on_probation, key.first_offence))
    assert {(p["sex"], p["prior_conviction"], p["prior_imprisonment"], p["on_probation"]) for p in PEOPLE} == {
        m[:4] for m in met
    }
    convicted = {m for m in met if m[1] != "none" or m[3]}
    assert convicted and not any(m[4] for m in convicted)  # never a first offence


def _decided_columns(single: Assessment) -> dict[str, object]:
    """The batch's columns of the decision (batch.RESULT_SCHEMA), from the single assessment."""
    primary = single.primary
    desertion = next((q for q in single.qualifications if q.kind == "desertion"), None)
    worst = primary.penalties[-1] if primary else None
    return {
        "article": primary and primary.article,
        "part": primary and primary.part,
        "edition": primary and primary.edition,
        "penalty_type": worst and worst.type,
        "penalty_available": worst and worst.available,
        "min_months": worst and worst.min_months,
        "max_months": worst and worst.max_months,
        "gravity": primary and primary.gravity,
        "limitation_years": primary and primary.limitation_years,
        "suspended_possible": primary and primary.suspended_possible,
        "colony_regime": primary and primary.colony_regime,
        "recidivism": primary and primary.recidivism,
        "cap_months": float(primary.cap_months) if primary and primary.cap_months is not None else None,
        "desertion_part": desertion and desertion.part,
        "desertion_min_months": desertion and desertion.penalties[-1].min_months,
        "desertion_max_months": desertion and desertion.penalties[-1].max_months,
        "alternatives": sum(1 for q in single.qualifications if not q.primary),
    }


@pytest.mark.parametrize("first_offence", [None, "no"])
def test_the_person_gives_the_single_assessments_qualification(first_offence: str | None) -> None:
    """Each person (sex, earlier conviction, prison term, probation), status and absence: the batch writes the
    primary qualification (colony regime, suspended sentence, penalty, ...), the desertion alternative, the flags and
    the dates the single assessment gives for the same facts; compared, not expected, so that it holds whatever the
    engine makes of the person."""
    frame = _person_rows(first_offence)
    result = assess_frame(frame, as_of=AS_OF, now=NOW)
    assert result.get_column("error").null_count() == frame.height
    for row in result.iter_rows(named=True):
        given = {name: row[name] for name in frame.columns}
        single = assess(facts_from_row(given, as_of=AS_OF, now=NOW))
        assert {name: row[name] for name in _decided_columns(single)} == _decided_columns(single), given
        assert_batch_row_agrees(row, single)


def test_an_absence_across_a_change_of_the_law_has_the_single_doors_liability_date() -> None:
    """Issue 12 item 6 through the batch: liability under the edition in force when the absence began, and never
    before the later edition (the key dates of tests/law/golden/transitions.yaml)."""
    frame = pl.DataFrame(
        {
            "status": ["contract", "contract", "contract"],
            "left": ["01.09.2022 08:00", "20.09.2022 08:00", "22.09.2022 08:00"],
            "returned": ["15.10.2022 08:00", "26.09.2022 08:00", "26.09.2022 08:00"],
        }
    )
    result = assess_frame(frame, as_of=AS_OF)
    for row in result.to_dicts():
        assert_batch_row_agrees(row, assess(facts_from_row(row, as_of=AS_OF, law_on=None, now=NOW)))
    liable = [moment.isoformat() for moment in result.get_column("criminal_liability_from")]
    # the third reaches 2 days (365-FZ part 2.1) only after the change: 24.09.2022 08:00
    assert liable == ["2022-09-11T08:00:00+03:00", "2022-09-24T00:00:00+03:00", "2022-09-24T08:00:00+03:00"]
