"""Assess many fact rows at once with Polars ("what if 534-FZ applied to the whole caseload").

The rows are read and checked by courtpath.law.batch_rules, the batch's door for facts (the same problems, fields
and codes as every other door); a row that breaks a rule keeps its input and gets `error`, `error_field` and
`error_code`. The date arithmetic (duration bands, special context, law epochs, key dates) is vectorised over Moscow
wall-clock times, the same clock the single assessment uses. The legal decision is not re-encoded here: each distinct
DecisionKey is packed into one integer, decided once by the same `Decider` the single assessment uses, and the
results are joined back to the rows. For the decision only the class of the indicators matters (none / some /
forged documents), so indicator sets are reduced to that class: the flag codes and figures are those of the full set.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from courtpath.i18n import Msg
from courtpath.law.batch_rules import (
    COLUMNS,
    CONTEXT_CODES,
    PRIOR_CONVICTION_CODES,
    RULES,
    SEX_CODES,
    STATUS_CODES,
    ZONE,
    facts_from_row,
    first_broken,
    prepare,
)
from courtpath.law.decide import decider_for
from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import FactsError
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.moments import MOSCOW, now_in_moscow
from courtpath.law.periods import Period
from courtpath.law.problems import Problem

__all__ = ["BatchFileError", "BatchSummary", "assess_file", "assess_frame", "facts_from_row"]

FIXED_OFFSET_SINCE = dt.datetime(2014, 10, 26, 2, 0)  # Moscow's last clock change; since then +03:00 all year
INDICATOR_CLASSES = (frozenset(), frozenset({"other"}), frozenset({"forged-documents"}))
# The packed key: (field, number of values). Order matters only for packing and unpacking. The product of the sizes
# must stay below 2**63 (an Int64; tests/law/test_batch.py checks it and that every field's values fit). The epochs
# leave room for more law epochs than LawBook.epochs has today; derive_keys refuses a law with more.
EPOCHS = 16
KEY_FIELDS = (
    ("status", 8),
    ("band", 4),
    ("special_context", 2),
    ("context", 8),
    ("context_started_before", 2),
    ("released_80_2", 2),
    ("indicator_class", 4),
    ("weapon_or_group", 2),
    ("first_offence", 2),
    ("grave_circumstances", 2),
    ("surrendered", 2),
    ("aggravating", 2),
    ("is_open", 2),
    ("epoch_start", EPOCHS),
    ("epoch_end", EPOCHS),
    ("epoch_now", EPOCHS),
    ("release_for_service_active", 2),
    ("hypothetical", EPOCHS + 1),  # 0 = none, else epoch + 1
    ("sex", 2),
    ("prior_conviction", 8),
    ("prior_imprisonment", 2),
    ("on_probation", 2),
    ("discharge_rule_active", 2),
)
KEY_SIZES = dict(KEY_FIELDS)
RESULT_SCHEMA = {
    "key": pl.Int64,
    "article": pl.Utf8,
    "part": pl.Utf8,
    "edition": pl.Utf8,
    "penalty_type": pl.Utf8,
    "penalty_available": pl.Utf8,  # yes | no | conditional: may the court impose it on this person
    "min_months": pl.Int32,
    "max_months": pl.Int32,
    "gravity": pl.Utf8,
    "limitation_years": pl.Int32,
    "suspended_possible": pl.Boolean,
    "colony_regime": pl.Utf8,
    "recidivism": pl.Utf8,
    "cap_months": pl.Float64,
    "desertion_part": pl.Utf8,
    "desertion_min_months": pl.Int32,
    "desertion_max_months": pl.Int32,
    "alternatives": pl.Int32,
    "flags": pl.Utf8,
    "liability_index": pl.Int8,
    "earlier_liability_index": pl.Int8,  # an absence across a change of art. 337: the threshold when it began
    "spanning_from": pl.Date,  # and the first day of the later edition
}


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    rejected: int
    distinct_decisions: int
    seconds: float

    def __str__(self) -> str:
        rate = self.rows / self.seconds if self.seconds else float("inf")
        return (
            f"assessed {self.rows - self.rejected} of {self.rows} rows ({self.rejected} rejected, see the 'error' "
            f"column); {self.distinct_decisions} distinct decisions; {self.seconds:.2f} s ({rate:,.0f} rows/s)"
        )


def _epoch(moment: pl.Expr, law: LawBook) -> pl.Expr:
    starts = [dt.datetime.combine(day, dt.time()) for day in law.epochs]
    return (pl.sum_horizontal([(moment >= start).cast(pl.Int8) for start in starts]) - 1).cast(pl.Int64)


def _after(moment: pl.Expr, period: Period) -> pl.Expr:
    offset = (f"{period.months}mo" if period.months else "") + (f"{period.days}d" if period.days else "")
    return moment.dt.offset_by(offset)


def _aware(local: pl.Expr, clock_changes: bool = True) -> pl.Expr:
    """Naive Moscow wall-clock time to an aware Moscow moment, resolving clock changes as Python's zoneinfo does
    (an ambiguous time is the earlier one; a time skipped by a clock change moves forward by an hour)."""

    def attach(expr: pl.Expr) -> pl.Expr:
        return expr.dt.replace_time_zone(ZONE, ambiguous="earliest", non_existent="null")

    if not clock_changes:
        return attach(local)
    return pl.coalesce(attach(local), attach(local + pl.duration(hours=1)))


def _utc(local: pl.Expr) -> pl.Expr:
    return _aware(local).dt.convert_time_zone("UTC")


def _boundaries(frame: pl.DataFrame, law: LawBook, exact: bool) -> pl.DataFrame:
    """Band boundaries (naive Moscow time), the band, distances to the boundaries and the duration in hours.

    `exact` counts days as real 24-hour periods across Moscow's clock changes (the last was on 26.10.2014); for
    rows after that the wall clock is real time and the cheaper arithmetic gives the same answer.
    """
    count = len(law.thresholds)
    if not exact:
        frame = frame.with_columns(
            _after(pl.col("_left"), t).alias(f"_boundary_{i}") for i, t in enumerate(law.thresholds)
        )
        end, left = pl.col("_end"), pl.col("_left")
        boundary = [pl.col(f"_boundary_{i}") for i in range(count)]
    else:
        frame = frame.with_columns(_utc(pl.col("_left")).alias("_left_u"), _utc(pl.col("_end")).alias("_end_u"))
        moments = []
        for index, threshold in enumerate(law.thresholds):
            start = (
                _utc(pl.col("_left").dt.offset_by(f"{threshold.months}mo")) if threshold.months else pl.col("_left_u")
            )
            moments.append((start + pl.duration(days=threshold.days)).alias(f"_boundary_u{index}"))
        frame = frame.with_columns(moments)
        frame = frame.with_columns(
            pl.col(f"_boundary_u{i}").dt.convert_time_zone(ZONE).dt.replace_time_zone(None).alias(f"_boundary_{i}")
            for i in range(count)
        )
        end, left = pl.col("_end_u"), pl.col("_left_u")
        boundary = [pl.col(f"_boundary_u{i}") for i in range(count)]
    return frame.with_columns(
        pl.sum_horizontal([(end > b).cast(pl.Int8) for b in boundary]).alias("_band"),
        *((end - b).abs().alias(f"_distance_{i}") for i, b in enumerate(boundary)),
        ((end - left).dt.total_microseconds() / 3_600_000_000).alias("_hours"),
    )


def derive_keys(frame: pl.DataFrame, law: LawBook, law_on: dt.date | None = None) -> pl.DataFrame:
    """Vectorised counterpart of engine._decision_key, packed into one Int64 `_key` per assessable row (`_rule` is
    null)."""
    if len(law.epochs) > KEY_SIZES["epoch_start"] or len(law.thresholds) >= KEY_SIZES["band"]:
        raise ValueError("the law has more epochs or thresholds than the batch's packed key holds (KEY_FIELDS)")
    frame = frame.with_columns(pl.coalesce(pl.col("_returned"), pl.col("_as_of")).alias("_end")).with_row_index("_row")
    before_fixed_offset = (pl.col("_left") < FIXED_OFFSET_SINCE).fill_null(False)  # no row may fall in neither part
    old = frame.filter(before_fixed_offset)
    if old.height:
        frame = pl.concat(
            [_boundaries(frame.filter(~before_fixed_offset), law, exact=False), _boundaries(old, law, exact=True)],
            how="diagonal",
        ).sort("_row")
    else:
        frame = _boundaries(frame, law, exact=False)
    band = pl.col("_band")
    overlap, started_before = pl.lit(False), pl.lit(False)
    for period in law.contexts.periods:
        if period.territorial:
            continue
        start = period.start.astimezone(MOSCOW).replace(tzinfo=None)
        hit = pl.col("_end") > start
        if period.end is not None:
            hit = hit & (pl.col("_left") < period.end.astimezone(MOSCOW).replace(tzinfo=None))
        started_before = started_before | (~overlap & hit & (pl.col("_left") < start))
        overlap = overlap | hit
    auto = pl.col("_context") == CONTEXT_CODES["auto"]
    special = pl.when(auto).then(overlap).otherwise(pl.col("_context") != CONTEXT_CODES["none"])
    release_from = dt.datetime.combine(law.general.release_for_service.valid_from, dt.time())
    discharge_from = dt.datetime.combine(law.general.discharge_on_sentence.valid_from, dt.time())
    # 0: no "what if"; else the epoch of law_on, plus one (a law_on before the Code is a rejected row's).
    hypothetical = pl.lit(0 if law_on is None else sum(start <= law_on for start in law.epochs))
    values = {
        "status": pl.col("_status"),
        "band": band,
        "special_context": special,
        "context": pl.col("_context"),
        "context_started_before": auto & started_before,
        "released_80_2": pl.col("_released_80_2"),
        "indicator_class": pl.col("_indicators"),
        "weapon_or_group": pl.col("_weapon") | pl.col("_group"),
        "first_offence": pl.col("_first_offence"),
        "grave_circumstances": pl.col("_grave_circumstances"),
        "surrendered": pl.col("_surrendered"),
        "aggravating": pl.col("_aggravating"),
        "is_open": pl.col("_returned").is_null(),
        "epoch_start": _epoch(pl.col("_left"), law),
        "epoch_end": _epoch(pl.col("_end"), law),
        "epoch_now": _epoch(pl.col("_as_of"), law),
        "release_for_service_active": pl.col("_as_of") >= release_from,
        "hypothetical": hypothetical,
        "sex": pl.col("_sex"),
        "prior_conviction": pl.col("_prior_conviction"),
        "prior_imprisonment": pl.col("_prior_imprisonment"),
        "on_probation": pl.col("_on_probation"),
        "discharge_rule_active": pl.col("_as_of") >= discharge_from,
    }
    packed, scale = pl.lit(0, dtype=pl.Int64), 1
    for name, size in KEY_FIELDS:
        packed = packed + values[name].cast(pl.Int64) * scale
        scale *= size
    return frame.with_columns(pl.when(pl.col("_rule").is_null()).then(packed).alias("_key"))


_BOOL = (False, True)
_EPOCH_VALUES = tuple(range(EPOCHS))
# Each DecisionKey field: the packed field it comes from and its value for each packed value.
_DECODING: dict[str, tuple[str, tuple[object, ...]]] = {
    "status": ("status", tuple(STATUS_CODES)),
    "band": ("band", tuple(range(KEY_SIZES["band"]))),
    "special_context": ("special_context", _BOOL),
    "context": ("context", tuple(CONTEXT_CODES)),
    "context_started_before": ("context_started_before", _BOOL),
    "released_80_2": ("released_80_2", _BOOL),
    "indicators": ("indicator_class", INDICATOR_CLASSES),
    "weapon_or_group": ("weapon_or_group", _BOOL),
    "first_offence": ("first_offence", _BOOL),
    "grave_circumstances": ("grave_circumstances", _BOOL),
    "surrendered": ("surrendered", _BOOL),
    "aggravating": ("aggravating", _BOOL),
    "is_open": ("is_open", _BOOL),
    "epoch_start": ("epoch_start", _EPOCH_VALUES),
    "epoch_end": ("epoch_end", _EPOCH_VALUES),
    "epoch_now": ("epoch_now", _EPOCH_VALUES),
    "epoch_hypothetical": ("hypothetical", (None, *_EPOCH_VALUES)),
    "release_for_service_active": ("release_for_service_active", _BOOL),
    "sex": ("sex", tuple(SEX_CODES)),
    "prior_conviction": ("prior_conviction", tuple(PRIOR_CONVICTION_CODES)),
    "prior_imprisonment": ("prior_imprisonment", _BOOL),
    "on_probation": ("on_probation", _BOOL),
    "discharge_rule_active": ("discharge_rule_active", _BOOL),
}
_UNPACKED = [name for name in DecisionKey._fields if name not in _DECODING]  # a new field: pack it (KEY_FIELDS)
_DECODED = tuple(_DECODING[name] for name in DecisionKey._fields if name in _DECODING)  # in DecisionKey's order


def decision_keys(codes: list[int]) -> list[DecisionKey]:
    """The DecisionKey of each packed key: the fields split off all the codes at once (Polars), then looked up."""
    if _UNPACKED:
        raise ValueError(f"the batch does not pack the DecisionKey field(s) {', '.join(_UNPACKED)}")
    rest = pl.Series(codes, dtype=pl.Int64)
    packed: dict[str, list[int]] = {}
    for name, size in KEY_FIELDS:
        packed[name] = (rest % size).to_list()
        rest = rest // size
    columns = [[values[value] for value in packed[name]] for name, values in _DECODED]
    return list(map(DecisionKey._make, zip(*columns, strict=True)))


def decision_key(code: int) -> DecisionKey:
    [key] = decision_keys([code])
    return key


def decide_keys(codes: list[int], law: LawBook, on_progress: Callable[[int, int], None] | None = None) -> pl.DataFrame:
    """Decide each distinct key once with the single-assessment Decider."""
    decide = decider_for(law).decide
    keys = decision_keys(codes)
    collecting = gc.isenabled()
    gc.disable()  # the loop allocates many small acyclic objects; cyclic GC passes over them double its time
    try:
        rows = [_decided_row(code, decide(keys[index]), law) for index, code in _progress(codes, on_progress)]
    finally:
        if collecting:
            gc.enable()
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def _progress(codes: list[int], on_progress: Callable[[int, int], None] | None) -> Iterator[tuple[int, int]]:
    for index, code in enumerate(codes):
        if on_progress and index % 1000 == 0:
            on_progress(index, len(codes))
        yield index, code
    if on_progress:
        on_progress(len(codes), len(codes))


def _decided_row(code: int, decision: Decision, law: LawBook) -> tuple[object, ...]:
    """One row of RESULT_SCHEMA: the primary qualification, the desertion alternative, flags, threshold."""
    primary = next((q for q in decision.qualifications if q.primary), None)
    desertion = next((q for q in decision.qualifications if q.kind == "desertion"), None)
    worst = primary.penalties[-1] if primary else None
    threshold = decision.liability_threshold
    return (
        code,
        primary and primary.article,
        primary and primary.part,
        primary and primary.edition,
        worst and worst.type,
        worst and worst.available,
        worst and worst.min_months,
        worst and worst.max_months,
        primary and primary.gravity,
        primary and primary.limitation_years,
        primary and primary.suspended_possible,
        primary and primary.colony_regime,
        primary and primary.recidivism,
        float(primary.cap_months) if primary and primary.cap_months is not None else None,
        desertion and desertion.part,
        desertion and desertion.penalties[-1].min_months,
        desertion and desertion.penalties[-1].max_months,
        sum(1 for q in decision.qualifications if not q.primary),
        ";".join(f.code for f in decision.flags),
        law.thresholds.index(threshold) if threshold else None,
        decision.earlier_liability_index,
        decision.spanning_from,
    )


RESULT_COLUMNS = (
    *(
        name
        for name in RESULT_SCHEMA
        if name not in ("key", "liability_index", "earlier_liability_index", "spanning_from")
    ),
    "duration_hours",
    "band",
    "borderline_duration",
    "criminal_liability_from",
    "limitation_expires",
)
ERROR_COLUMNS = ("error", "error_field", "error_code")


def assess_frame(
    frame: pl.DataFrame,
    *,
    law: LawBook | None = None,
    as_of: dt.datetime | None = None,
    law_on: dt.date | None = None,
    lang: str = "en",
    now: dt.datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """Assess every row: its input columns, then ERROR_COLUMNS and RESULT_COLUMNS (which replace input columns of
    the same name). A row that cannot be assessed is kept, with its error in `lang`. Rows without `as_of` are
    assessed as of `as_of` (default: now); `now` (default: the clock) bounds the moments that have happened."""
    law = law or default_lawbook()
    now = _in_moscow(now or now_in_moscow())
    moment = _in_moscow(as_of or now)
    missing = {"status", "left"} - set(frame.columns)
    if missing:
        raise BatchFileError(
            "input",
            Msg("the file lacks the column(s) {columns}; required: status, left", columns=", ".join(sorted(missing))),
        )
    typed = prepare(frame, as_of=moment, law_on=law_on, now=now).with_columns(first_broken().alias("_rule"))
    typed = derive_keys(typed, law, law_on)
    codes = typed.get_column("_key").drop_nulls().unique().to_list()
    decided = decide_keys(codes, law, on_progress)
    results = finish(typed.join(decided, left_on="_key", right_on="key", how="left", maintain_order="left"), law)
    errors = _errors(frame, typed.get_column("_rule"), as_of=moment, law_on=law_on, now=now, lang=lang)
    kept = frame.drop([name for name in (*ERROR_COLUMNS, *RESULT_COLUMNS) if name in frame.columns])
    return pl.concat([kept, errors, results], how="horizontal")


def _in_moscow(moment: dt.datetime) -> dt.datetime:
    """A moment without an offset is Moscow time (aware ones are kept: facts_from_mapping compares them as given)."""
    return moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment


def _errors(
    frame: pl.DataFrame, hit: pl.Series, *, as_of: dt.datetime, law_on: dt.date | None, now: dt.datetime, lang: str
) -> pl.DataFrame:
    """`error_field` and `error_code` of each row's first broken rule; `error`, its message, worded by the single
    door (facts_from_row) for the rejected rows only: they are few, and so every door says the same."""
    indexes = list(range(len(RULES)))
    rejected = hit.is_not_null().arg_true()
    messages: list[str] = []
    columns = [name for name in COLUMNS if name in frame.columns]
    rows = _holdable(frame.select(pl.col(columns).gather(rejected))).iter_rows(named=True)
    for row, index in zip(rows, hit.gather(rejected).to_list(), strict=True):
        try:
            facts_from_row(row, as_of=as_of, law_on=law_on, now=now)
        except FactsError as error:
            messages.append(error.render(lang))
            continue
        rule = RULES[index]  # cannot happen while the two readings agree (tests/law/test_batch_rules.py)
        messages.append(Problem(rule.field, rule.code).render(lang))
    error = pl.repeat(None, frame.height, dtype=pl.Utf8, eager=True).alias("error")
    if messages:
        error = error.scatter(rejected, messages)
    return pl.DataFrame(
        [
            error,
            hit.replace_strict(indexes, [rule.field for rule in RULES], return_dtype=pl.Utf8).alias("error_field"),
            hit.replace_strict(indexes, [rule.code for rule in RULES], return_dtype=pl.Utf8).alias("error_code"),
        ]
    )


def _holdable(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with each Datetime cell that Python cannot hold (its years end at 1 and 9999; a Parquet file may go
    beyond) replaced by one it can, as far outside the years allowed: the single door says `year_range` of both."""
    changes = []
    for name, dtype in frame.schema.items():
        if not isinstance(dtype, pl.Datetime):
            continue
        cell = pl.col(name).cast(pl.Datetime("us", dtype.time_zone))
        years = [cell.dt.year()] + ([] if dtype.time_zone is None else [cell.dt.convert_time_zone("UTC").dt.year()])
        early, late = (
            pl.lit(moment, dtype=pl.Datetime("us")).dt.replace_time_zone(dtype.time_zone)
            for moment in (dt.datetime(2, 1, 2), dt.datetime(9998, 12, 30))
        )
        changes.append(
            pl.when(pl.any_horizontal(year < 2 for year in years))
            .then(early)
            .when(pl.any_horizontal(year > 9998 for year in years))
            .then(late)
            .otherwise(cell)
            .alias(name)
        )
    return frame.with_columns(changes)


def _boundary_at(index_column: str, law: LawBook) -> pl.Expr:
    """The band boundary (naive Moscow time) a threshold index column names, or null."""
    found = pl.lit(None, dtype=pl.Datetime("us"))
    for index in reversed(range(len(law.thresholds))):
        found = pl.when(pl.col(index_column) == index).then(pl.col(f"_boundary_{index}")).otherwise(found)
    return found


def finish(frame: pl.DataFrame, law: LawBook) -> pl.DataFrame:
    """RESULT_COLUMNS: the decision's, and the key dates and the borderline marker, vectorised (new moments are
    Moscow time); null on the rows that cannot be assessed."""
    assessed = pl.col("_rule").is_null()
    liability = _boundary_at("liability_index", law)
    if frame.get_column("spanning_from").null_count() < frame.height:
        # Across a change of art. 337 (engine._spanning_liability): the threshold of the edition in force when the
        # absence began if reached before the change, else the later edition's, never before its first day.
        change = pl.col("spanning_from").cast(pl.Datetime("us"))
        earlier = _boundary_at("earlier_liability_index", law)
        liability = (
            pl.when(change.is_null())
            .then(liability)
            .when(earlier.is_not_null() & (earlier < change))
            .then(earlier)
            .when(liability.is_null())
            .then(liability)
            .otherwise(pl.max_horizontal(liability, change))
        )
    near = pl.lit(False)
    for index in range(len(law.thresholds)):
        relevant = pl.col("liability_index").is_null() | (pl.col("liability_index") <= index)
        near = near | (relevant & (pl.col(f"_distance_{index}") <= pl.duration(hours=24)))
    limitation = pl.lit(None, dtype=pl.Datetime("us"))
    for years in sorted(set(law.general.limitation.years.values())):
        limitation = (
            pl.when(pl.col("_returned").is_not_null() & (pl.col("limitation_years") == years))
            .then(pl.col("_returned").dt.offset_by(f"{years}y"))
            .otherwise(limitation)
        )
    clock_changes = bool(frame.select((pl.col("_left") < FIXED_OFFSET_SINCE).any()).item())
    bands = {0: "none", 1: "A", 2: "B", 3: "C"}
    frame = frame.with_columns(
        pl.when(assessed).then(pl.col("_hours")).alias("duration_hours"),
        pl.when(assessed).then(pl.col("_band").replace_strict(bands, return_dtype=pl.Utf8)).alias("band"),
        (near & assessed).alias("borderline_duration"),
        _aware(liability, clock_changes).alias("criminal_liability_from"),
        _aware(limitation, clock_changes).alias("limitation_expires"),
    )
    return frame.select(RESULT_COLUMNS)


class BatchFileError(ValueError):
    """A file the batch mode cannot read or write: `role` is "input" or "output" (a door names its option for it),
    `message` says why, in any language."""

    def __init__(self, role: str, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.role, self.message = role, message


SUFFIXES = (".csv", ".parquet")


def read(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise BatchFileError("input", Msg("no such file: {path}", path=str(path)))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BatchFileError("input", Msg("{name}: expected a .csv or .parquet file", name=path.name))
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        reason = " ".join(str(error).split())[:200]
        if "utf-8" in reason.lower() or "utf8" in reason.lower():  # a spreadsheet's export in Windows-1251, say
            raise BatchFileError(
                "input", Msg("{name} is not UTF-8 text: save it as CSV in UTF-8 and try again", name=path.name)
            ) from None
        raise BatchFileError("input", Msg("{name}: cannot be read ({reason})", name=path.name, reason=reason)) from None


def write(result: pl.DataFrame, out: Path) -> None:
    """Parquet as it is; CSV with moments as ISO 8601 text (with their offset when they have one) and lists (an
    `indicators` list column) as text separated by `;`, as the batch reads them back."""
    if out.suffix.lower() == ".parquet":
        result.write_parquet(out)
        return
    text = []
    for name, dtype in result.schema.items():
        if isinstance(dtype, pl.Datetime):
            pattern = "%Y-%m-%dT%H:%M:%S" + ("" if dtype.time_zone is None else "%:z")
            text.append(pl.col(name).dt.to_string(pattern))
        elif isinstance(dtype, pl.List):
            text.append(pl.col(name).list.eval(pl.element().cast(pl.Utf8)).list.join(";"))
    result.with_columns(text).write_csv(out)


def assess_file(
    path: Path,
    out: Path,
    *,
    law_on: dt.date | None = None,
    as_of: dt.datetime | None = None,
    lang: str = "en",
    now: dt.datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Assess every row of `path` into `out` (see assess_frame); `on_progress(done, total)` follows the distinct
    decisions."""
    if out.suffix.lower() not in SUFFIXES:
        raise BatchFileError("output", Msg("{name}: expected a .csv or .parquet file", name=out.name))
    started = time.perf_counter()
    frame = read(path)
    distinct = [0]

    def note(done: int, total: int) -> None:
        distinct[0] = total
        if on_progress is not None:
            on_progress(done, total)

    result = assess_frame(frame, as_of=as_of, law_on=law_on, lang=lang, now=now, on_progress=note)
    write(result, out)
    rejected = int(result.get_column("error").is_not_null().sum())
    return BatchSummary(result.height, rejected, distinct[0], time.perf_counter() - started)
