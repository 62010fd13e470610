"""Assess many fact rows at once with Polars ("what if 534-FZ applied to the whole caseload").

The date arithmetic (duration bands, special context, law epochs, key dates) is vectorised over Moscow wall-clock
times, the same clock the single assessment uses. The legal decision is not re-encoded here: each distinct
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
from courtpath.law.decide import decider_for
from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import MOSCOW, Context, Indicator, Status
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.periods import Period

ZONE = "Europe/Moscow"
FIXED_OFFSET_SINCE = dt.datetime(2014, 10, 26, 2, 0)  # Moscow's last clock change; since then +03:00 all year
BOOL_COLUMNS = {
    "weapon": False,
    "group": False,
    "first_offence": True,
    "grave_circumstances": False,
    "surrendered": False,
    "aggravating": False,
    "released_80_2": False,
}
STATUS_CODES = {s.value: i for i, s in enumerate(Status)}
CONTEXT_CODES = {c.value: i for i, c in enumerate(Context)}
INDICATOR_CLASSES = (frozenset(), frozenset({"other"}), frozenset({"forged-documents"}))
# The packed key: (field, number of values). Order matters only for packing and unpacking.
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
    ("epoch_start", 8),
    ("epoch_end", 8),
    ("epoch_now", 8),
    ("release_for_service_active", 2),
    ("hypothetical", 9),  # 0 = none, else epoch + 1
)
RESULT_SCHEMA = {
    "key": pl.Int64,
    "article": pl.Utf8,
    "part": pl.Utf8,
    "edition": pl.Utf8,
    "penalty_type": pl.Utf8,
    "min_months": pl.Int32,
    "max_months": pl.Int32,
    "gravity": pl.Utf8,
    "limitation_years": pl.Int32,
    "suspended_possible": pl.Boolean,
    "colony_regime": pl.Utf8,
    "cap_months": pl.Float64,
    "desertion_part": pl.Utf8,
    "desertion_min_months": pl.Int32,
    "desertion_max_months": pl.Int32,
    "alternatives": pl.Int32,
    "flags": pl.Utf8,
    "liability_index": pl.Int8,
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


def _local(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A moment column as naive Moscow wall-clock time; text without an offset is Moscow time."""
    dtype = frame.schema[column]
    raw = pl.col(column)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return raw.cast(pl.Datetime("us"))
        return raw.dt.convert_time_zone(ZONE).dt.replace_time_zone(None).cast(pl.Datetime("us"))
    text = raw.cast(pl.Utf8).str.strip_chars()
    with_offset = text.str.contains(r"(Z|[+-]\d\d:?\d\d)$")
    return (
        pl.when(with_offset)
        .then(
            text.str.to_datetime(time_unit="us", time_zone="UTC", strict=False)
            .dt.convert_time_zone(ZONE)
            .dt.replace_time_zone(None)
        )
        .otherwise(text.str.to_datetime(time_unit="us", strict=False))
    )


def _indicator_class(value: str | None) -> int:
    """0 none, 1 some, 2 forged documents, -1 an unknown indicator name."""
    names = [part.strip() for part in (value or "").split(";") if part.strip()]
    known = {i.value for i in Indicator}
    if any(name not in known for name in names):
        return -1
    if "forged-documents" in names:
        return 2
    return 1 if names else 0


TRUTH = {"true": True, "1": True, "yes": True, "да": True, "false": False, "0": False, "no": False, "нет": False}


def _yes_no(frame: pl.DataFrame, column: str, default: bool) -> pl.Expr:
    """A yes/no column; empty means the default, anything unrecognised becomes null (and an error)."""
    dtype = frame.schema[column]
    if dtype == pl.Boolean:
        return pl.col(column).fill_null(default)
    if dtype.is_numeric():
        return pl.col(column).cast(pl.Boolean).fill_null(default)
    text = pl.col(column).cast(pl.Utf8).str.strip_chars().str.to_lowercase()
    return (
        pl.when(text.is_null() | (text == ""))
        .then(default)
        .otherwise(text.replace_strict(TRUTH, default=None, return_dtype=pl.Boolean))
    )


def _codes(frame: pl.DataFrame, column: str, mapping: dict[str, int]) -> pl.Expr:
    return pl.col(column).cast(pl.Utf8).str.strip_chars().replace_strict(mapping, default=-1, return_dtype=pl.Int8)


def normalise(frame: pl.DataFrame, as_of: dt.datetime, law_on: dt.date | None) -> pl.DataFrame:
    """Typed fact columns (Moscow wall-clock moments, codes, booleans) and an `error` column (null = assessable)."""
    defaults = {**BOOL_COLUMNS, "returned": None, "as_of": None, "context": "auto", "indicators": ""}
    frame = frame.with_columns(
        pl.lit(value, dtype=pl.Boolean if isinstance(value, bool) else pl.Utf8).alias(name)
        for name, value in defaults.items()
        if name not in frame.columns
    )
    given = pl.col("returned").is_not_null()
    if not isinstance(frame.schema["returned"], pl.Datetime):
        given = given & (pl.col("returned").cast(pl.Utf8).str.strip_chars() != "")
    unique_indicators = frame.get_column("indicators").cast(pl.Utf8).unique().to_list()
    classes = {value: _indicator_class(value) for value in unique_indicators if value is not None}
    local_as_of = as_of.astimezone(MOSCOW).replace(tzinfo=None)
    typed = frame.with_columns(
        _local(frame, "left").alias("_left"),
        _local(frame, "returned").alias("_returned"),
        _local(frame, "as_of").fill_null(local_as_of).alias("_as_of"),
        given.alias("_returned_given"),
        _codes(frame, "status", STATUS_CODES).alias("_status"),
        _codes(frame, "context", CONTEXT_CODES).fill_null(CONTEXT_CODES["auto"]).alias("_context"),
        pl.col("indicators").cast(pl.Utf8).replace_strict(classes, default=0, return_dtype=pl.Int8).alias("_ind"),
        *(_yes_no(frame, name, default).alias(f"_{name}") for name, default in BOOL_COLUMNS.items()),
    )
    mobilized_from = dt.datetime.combine(default_lawbook().general.mobilized_status.valid_from, dt.time())
    contract_like = pl.col("_status").is_in([STATUS_CODES["contract"], STATUS_CODES["mobilized"]])
    error = (
        pl.when(pl.col("_status") < 0)
        .then(pl.lit("unknown status"))
        .when(pl.col("_left").is_null())
        .then(pl.lit("missing or malformed 'left'"))
        .when(pl.col("_returned_given") & pl.col("_returned").is_null())
        .then(pl.lit("malformed 'returned'"))
        .when(pl.col("_returned").is_not_null() & (pl.col("_returned") <= pl.col("_left")))
        .then(pl.lit("'returned' is not after 'left'"))
        .when(pl.col("_returned").is_null() & (pl.col("_as_of") <= pl.col("_left")))
        .then(pl.lit("'as_of' is not after 'left'"))
        .when(pl.col("_context") < 0)
        .then(pl.lit("unknown context"))
        .when(pl.col("_ind") < 0)
        .then(pl.lit("unknown indicator"))
        .when(pl.any_horizontal([pl.col(f"_{c}").is_null() for c in BOOL_COLUMNS]))
        .then(pl.lit("a yes/no column holds something other than true/false"))
        .when(pl.col("_surrendered") & pl.col("_returned").is_null())
        .then(pl.lit("'surrendered' needs 'returned'"))
        .when(pl.col("_released_80_2") & ~contract_like)
        .then(pl.lit("'released_80_2' needs status contract or mobilized"))
        .when((pl.col("_status") == STATUS_CODES["mobilized"]) & (pl.col("_left") < mobilized_from))
        .then(pl.lit(f"status 'mobilized' before {mobilized_from:%d.%m.%Y}"))
        .when(pl.col("_left") < dt.datetime(1997, 1, 1))
        .then(pl.lit("absence before 01.01.1997"))
        .otherwise(None)
    )
    if law_on is None:
        return typed.with_columns(error.alias("error"), pl.lit(0, dtype=pl.Int64).alias("_hypothetical"))
    return typed.with_columns(error.alias("error"), pl.lit(dt.datetime.combine(law_on, dt.time())).alias("_law_on"))


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


def derive_keys(frame: pl.DataFrame, law: LawBook) -> pl.DataFrame:
    """Vectorised counterpart of engine._decision_key, packed into one Int64 `_key` per row."""
    frame = frame.with_columns(pl.coalesce(pl.col("_returned"), pl.col("_as_of")).alias("_end")).with_row_index("_row")
    before_fixed_offset = pl.col("_left") < FIXED_OFFSET_SINCE
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
    hypothetical = _epoch(pl.col("_law_on"), law) + 1 if "_law_on" in frame.columns else pl.col("_hypothetical")
    values = {
        "status": pl.col("_status"),
        "band": band,
        "special_context": special,
        "context": pl.col("_context"),
        "context_started_before": auto & started_before,
        "released_80_2": pl.col("_released_80_2"),
        "indicator_class": pl.col("_ind"),
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
    }
    packed, scale = pl.lit(0, dtype=pl.Int64), 1
    for name, size in KEY_FIELDS:
        packed = packed + values[name].cast(pl.Int64) * scale
        scale *= size
    return frame.with_columns(pl.when(pl.col("error").is_null()).then(packed).alias("_key"))


def unpack(code: int) -> dict[str, int]:
    fields = {}
    for name, size in KEY_FIELDS:
        code, fields[name] = divmod(code, size)
    return fields


def decision_key(code: int) -> DecisionKey:
    f = unpack(code)
    return DecisionKey(
        status=list(STATUS_CODES)[f["status"]],
        band=f["band"],
        special_context=bool(f["special_context"]),
        context=list(CONTEXT_CODES)[f["context"]],
        context_started_before=bool(f["context_started_before"]),
        released_80_2=bool(f["released_80_2"]),
        indicators=INDICATOR_CLASSES[f["indicator_class"]],
        weapon_or_group=bool(f["weapon_or_group"]),
        first_offence=bool(f["first_offence"]),
        grave_circumstances=bool(f["grave_circumstances"]),
        surrendered=bool(f["surrendered"]),
        aggravating=bool(f["aggravating"]),
        is_open=bool(f["is_open"]),
        epoch_start=f["epoch_start"],
        epoch_end=f["epoch_end"],
        epoch_now=f["epoch_now"],
        epoch_hypothetical=f["hypothetical"] - 1 if f["hypothetical"] else None,
        release_for_service_active=bool(f["release_for_service_active"]),
    )


def decide_keys(codes: list[int], law: LawBook, on_progress: Callable[[int, int], None] | None = None) -> pl.DataFrame:
    """Decide each distinct key once with the single-assessment Decider."""
    decide = decider_for(law).decide
    collecting = gc.isenabled()
    gc.disable()  # the loop allocates many small acyclic objects; cyclic GC passes over them double its time
    try:
        rows = [_decided_row(code, decide(decision_key(code)), law) for code in _progress(codes, on_progress)]
    finally:
        if collecting:
            gc.enable()
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def _progress(codes: list[int], on_progress: Callable[[int, int], None] | None) -> Iterator[int]:
    for index, code in enumerate(codes):
        if on_progress and index % 1000 == 0:
            on_progress(index, len(codes))
        yield code
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
        worst and worst.min_months,
        worst and worst.max_months,
        primary and primary.gravity,
        primary and primary.limitation_years,
        primary and primary.suspended_possible,
        primary and primary.colony_regime,
        float(primary.cap_months) if primary and primary.cap_months is not None else None,
        desertion and desertion.part,
        desertion and desertion.penalties[-1].min_months,
        desertion and desertion.penalties[-1].max_months,
        sum(1 for q in decision.qualifications if not q.primary),
        ";".join(f.code for f in decision.flags),
        law.thresholds.index(threshold) if threshold else None,
    )


def assess_frame(
    frame: pl.DataFrame,
    *,
    law: LawBook | None = None,
    as_of: dt.datetime | None = None,
    law_on: dt.date | None = None,
    lang: str = "en",
    on_progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """Assess every row; rows that cannot be assessed keep their input and get an `error`."""
    law = law or default_lawbook()
    moment = as_of or dt.datetime.now(tz=MOSCOW)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MOSCOW)
    missing = {"status", "left"} - set(frame.columns)
    if missing:
        raise BatchFileError(
            "input",
            Msg("the file lacks the column(s) {columns}; required: status, left", columns=", ".join(sorted(missing))),
        )
    typed = derive_keys(normalise(frame, moment, law_on), law)
    codes = typed.get_column("_key").drop_nulls().unique().to_list()
    decided = decide_keys(codes, law, on_progress)
    return finish(typed.join(decided, left_on="_key", right_on="key", how="left"), law)


def finish(frame: pl.DataFrame, law: LawBook) -> pl.DataFrame:
    """Key dates and the borderline marker, vectorised; the input columns stay as given, new moments are Moscow time."""
    liability = pl.lit(None, dtype=pl.Datetime("us"))
    for index in reversed(range(len(law.thresholds))):
        liability = pl.when(pl.col("liability_index") == index).then(pl.col(f"_boundary_{index}")).otherwise(liability)
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
    frame = frame.with_columns(
        pl.col("_hours").alias("duration_hours"),
        pl.col("_band").replace_strict({0: "none", 1: "A", 2: "B", 3: "C"}, return_dtype=pl.Utf8).alias("band"),
        (near & pl.col("error").is_null()).alias("borderline_duration"),
        _aware(liability, clock_changes).alias("criminal_liability_from"),
        _aware(limitation, clock_changes).alias("limitation_expires"),
    )
    return frame.drop([c for c in frame.columns if c.startswith("_")] + ["liability_index"])


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
        raise BatchFileError("input", Msg("{name}: cannot be read ({reason})", name=path.name, reason=reason)) from None


def write(result: pl.DataFrame, out: Path) -> None:
    if out.suffix.lower() == ".parquet":
        result.write_parquet(out)
    else:
        result.with_columns(pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%S%:z")).write_csv(out)


def assess_file(
    path: Path,
    out: Path,
    *,
    law_on: dt.date | None = None,
    as_of: dt.datetime | None = None,
    lang: str = "en",
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Assess every row of `path` into `out`; `on_progress(done, total)` follows the distinct decisions."""
    if out.suffix.lower() not in SUFFIXES:
        raise BatchFileError("output", Msg("{name}: expected a .csv or .parquet file", name=out.name))
    started = time.perf_counter()
    frame = read(path)
    distinct = [0]

    def note(done: int, total: int) -> None:
        distinct[0] = total
        if on_progress is not None:
            on_progress(done, total)

    result = assess_frame(frame, as_of=as_of, law_on=law_on, lang=lang, on_progress=note)
    write(result, out)
    rejected = int(result.get_column("error").is_not_null().sum())
    return BatchSummary(result.height, rejected, distinct[0], time.perf_counter() - started)
