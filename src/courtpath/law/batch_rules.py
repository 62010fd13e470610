"""The batch mode's input door: cells read into typed columns, and the checks of the facts as one ordered rule table.

A batch row must be refused exactly when the other doors refuse the same facts, with the same field and code. The
batch does it twice, and a test keeps the two in agreement (tests/law/test_batch_rules.py):

* vectorised: `prepare` reads the cells into typed columns (moments in the grammar of courtpath.law.moments, as
  Moscow wall-clock time; codes; booleans) and RULES says which rows break which rule. RULES is in the order
  courtpath.law.intake reports problems (FIELD_LIST order, then FACT_RULES order), so a row's first broken rule is
  the first problem the single door would report;
* row by row: `facts_from_row` reads one row the way `prepare` reads cells and calls facts_from_mapping. The batch
  runs it on the rejected rows only, to word their errors exactly as the other doors do.

How a cell is read: the columns are the canonical fact names (COLUMNS). Text is stripped of white space (WHITESPACE)
and empty text is "not given" (the default, or `required`), as is a null cell. A moment is text or a Datetime cell
(naive: Moscow time); a cell of another type is read as its text. `indicators` is text separated by `;` or a list;
a yes/no cell is a boolean, a number (0: no) or a word of TRUTH in any case. A default that depends on other facts
is the intake's: `first_offence` not given is false with an earlier conviction or a probation.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from courtpath.law.facts import (
    CONTRACT_LIKE,
    Facts,
    Indicator,
    PriorConviction,
    code_in_force_from,
    mobilized_from,
)
from courtpath.law.intake import FIELD_LIST, FIELDS, FieldSpec, facts_from_mapping
from courtpath.law.moments import (
    _ISO,  # the grammar's own patterns: the batch must read what parse_moment reads, no more, no less
    _RUSSIAN,
    EARLIEST_YEAR,
    FUTURE_TOLERANCE,
    LATEST_YEAR,
    MOSCOW,
    now_in_moscow,
)

ZONE = "Europe/Moscow"
# Unicode White_Space: what a cell is stripped of, in both readings (str.strip() and Polars' default differ).
WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
TRUTH = {"true": True, "1": True, "yes": True, "да": True, "false": False, "0": False, "no": False, "нет": False}
COLUMNS = tuple(spec.name for spec in FIELD_LIST if spec.name != "law_on")  # law_on is a parameter of the batch
MOMENTS = tuple(spec.name for spec in FIELD_LIST if spec.kind == "moment")
FLAGS: dict[str, bool] = {spec.name: bool(spec.default) for spec in FIELD_LIST if spec.kind == "flag"}
# Each choice column's codes (its members in their enum's order; -1: not one of them) and its default (None: none).
CHOICES: dict[str, dict[str, int]] = {
    spec.name: {member.value: index for index, member in enumerate(spec.choices)}  # type: ignore[arg-type]
    for spec in FIELD_LIST
    if spec.kind == "choice"
}
CHOICE_DEFAULTS: dict[str, str | None] = {
    spec.name: None if spec.default is None else str(spec.default) for spec in FIELD_LIST if spec.kind == "choice"
}
STATUS_CODES = CHOICES["status"]
KIND_CODES = CHOICES["absence_kind"]
CONTEXT_CODES = CHOICES["context"]
SEX_CODES = CHOICES["sex"]
PRIOR_CONVICTION_CODES = CHOICES["prior_conviction"]
KNOWN_INDICATORS = [i.value for i in Indicator]
# The moment grammar's own patterns, anchored for Polars ([0-9] is ASCII in both regex engines). Two patterns, not
# one with both: a pattern with captures costs per group, and one that fails at its first characters almost nothing.
ISO_REGEX = rf"^{_ISO.pattern}$"  # groups: year, month, day, hour, minute, second, fraction, offset
RUSSIAN_REGEX = rf"^{_RUSSIAN.pattern}$"  # groups: day, month, year, hour, minute
# A moment cell: null (not given), READ, or not the grammar (NOT_A_MOMENT) or no real date or time (NOT_REAL).
READ, NOT_A_MOMENT, NOT_REAL = 0, 1, 2
# The indicators cell: its class for the decision (0 none, 1 some, 2 forged documents) and its problem.
INDICATORS_OK, INDICATOR_UNKNOWN, INDICATOR_TWICE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class BatchRule:
    """A check of the batch: `broken` is true on the rows that break it (null counts as kept). It reads the columns
    `prepare` makes; the first broken rule of a row is its error, with this canonical field and problem code."""

    field: str
    code: str
    broken: pl.Expr


def _outside_years(year: pl.Expr) -> pl.Expr:
    return ~year.is_between(EARLIEST_YEAR, LATEST_YEAR)


def _moment_rules(name: str) -> tuple[BatchRule, ...]:
    """A moment's own checks, in the order parse_moment, check_year and check_past make them."""
    spec = FIELDS[name]
    state, year = pl.col(f"_{name}_state"), pl.col(f"_{name}_year")
    rules = [BatchRule(name, "required", state.is_null())] if spec.required else []
    rules += [
        BatchRule(name, "moment_format", state == NOT_A_MOMENT),
        BatchRule(name, "moment_value", state == NOT_REAL),
        BatchRule(name, "year_range", _outside_years(year)),
    ]
    if spec.happened:
        rules.append(BatchRule(name, "in_future", pl.col(f"_{name}") > pl.col("_limit")))
    return tuple(rules)


def _own_rules(spec: FieldSpec) -> tuple[BatchRule, ...]:
    """A field's own checks, as the intake's reader of its kind makes them (a choice cell is always read as text, so
    never `not_text`)."""
    name = spec.name
    if spec.kind == "choice":
        required = (BatchRule(name, "required", pl.col(f"_{name}").is_null()),) if spec.required else ()
        return (*required, BatchRule(name, "unknown_value", pl.col(f"_{name}") < 0))
    if spec.kind == "moment":
        return _moment_rules(name)
    if spec.kind == "choices":
        return (
            BatchRule(name, "unknown_value", pl.col(f"_{name}_problem") == INDICATOR_UNKNOWN),
            BatchRule(name, "duplicate", pl.col(f"_{name}_problem") == INDICATOR_TWICE),
        )
    if spec.kind == "flag":
        return (BatchRule(name, "not_boolean", pl.col(f"_{name}").is_null()),)
    if spec.kind == "day":  # law_on, the batch's parameter: its year, as check_year checks a date it is given
        return (BatchRule(name, "year_range", _outside_years(pl.col(f"_{name}").dt.year())),)
    raise ValueError(f"no batch reading for the field kind {spec.kind!r}")


_CONTRACT_LIKE = [STATUS_CODES[s.value] for s in CONTRACT_LIKE]
_NO_CONVICTION = PRIOR_CONVICTION_CODES[PriorConviction.NONE.value]
RULES: tuple[BatchRule, ...] = (
    # Each field's own problems, in FIELD_LIST order (facts_from_mapping reports them first).
    *(rule for spec in FIELD_LIST for rule in _own_rules(spec)),
    # Then the rules of the facts as a whole, in FACT_RULES order, on Moscow wall-clock time as Facts compares.
    BatchRule("left", "year_range", _outside_years(pl.col("_left").dt.year())),
    BatchRule("returned", "year_range", _outside_years(pl.col("_returned").dt.year())),
    BatchRule("as_of", "year_range", _outside_years(pl.col("_as_of").dt.year())),
    BatchRule("law_on", "year_range", _outside_years(pl.col("_law_on").dt.year())),
    BatchRule("left", "before_code", pl.col("_left") < pl.col("_code_from")),
    BatchRule("law_on", "before_code", pl.col("_law_on") < pl.col("_code_from")),
    BatchRule("returned", "end_before_start", pl.col("_returned") <= pl.col("_left")),
    BatchRule("as_of", "as_of_before_start", pl.col("_returned").is_null() & (pl.col("_as_of") <= pl.col("_left"))),
    BatchRule("as_of", "as_of_before_end", pl.col("_as_of") < pl.col("_returned")),
    BatchRule("surrendered", "surrender_needs_end", pl.col("_surrendered") & pl.col("_returned").is_null()),
    BatchRule(
        "released_80_2", "released_80_2_status", pl.col("_released_80_2") & ~pl.col("_status").is_in(_CONTRACT_LIKE)
    ),
    BatchRule(
        "left",
        "mobilized_too_early",
        (pl.col("_status") == STATUS_CODES["mobilized"]) & (pl.col("_left") < pl.col("_mobilized_from")),
    ),
    BatchRule(
        "first_offence",
        "first_offence_with_conviction",
        pl.col("_first_offence") & ((pl.col("_prior_conviction") != _NO_CONVICTION) | pl.col("_on_probation")),
    ),
    BatchRule(
        "prior_imprisonment",
        "imprisonment_without_conviction",
        pl.col("_prior_imprisonment") & (pl.col("_prior_conviction") == _NO_CONVICTION),
    ),
)


def first_broken(rules: tuple[BatchRule, ...] = RULES) -> pl.Expr:
    """The index in `rules` of each row's first broken rule (null: the row is assessable)."""
    chain = pl.when(rules[0].broken).then(pl.lit(0, dtype=pl.Int16))
    for index, rule in enumerate(rules[1:], start=1):
        chain = chain.when(rule.broken).then(pl.lit(index, dtype=pl.Int16))
    return chain.otherwise(pl.lit(None, dtype=pl.Int16))


# -- reading the cells, vectorised ------------------------------------------------------------------------------


def _text(cell: pl.Expr) -> pl.Expr:
    """A cell as text, stripped; empty text is null (not given)."""
    text = cell.cast(pl.Utf8).str.strip_chars(WHITESPACE)
    return pl.when(text != "").then(text)


def _by_value(
    frame: pl.DataFrame, name: str, *reads: tuple[Callable[[pl.Expr], pl.Expr], pl.DataType]
) -> list[pl.Expr]:
    """Each `read` applied to the distinct values of the column `name` (read as text), mapped back to the rows: the
    columns read this way (choices, yes/no words, indicator lists) hold few distinct values."""
    values = frame.select(pl.col(name).cast(pl.Utf8).unique()).to_series()
    if values.is_empty():  # no rows (replace_strict with nothing to replace would keep the column's type)
        return [pl.lit(None, dtype=dtype) for _, dtype in reads]
    read_values = pl.DataFrame({name: values}).select(
        read(pl.col(name)).alias(str(index)) for index, (read, _) in enumerate(reads)
    )
    cell = pl.col(name).cast(pl.Utf8)
    return [
        cell.replace_strict(values, read_values.to_series(index), return_dtype=dtype)
        for index, (_, dtype) in enumerate(reads)
    ]


def _code(codes: dict[str, int]) -> Callable[[pl.Expr], pl.Expr]:
    """A choice's code: null when not given, -1 when it is not one of `codes`."""

    def read(cell: pl.Expr) -> pl.Expr:
        text = _text(cell)
        return pl.when(text.is_not_null()).then(text.replace_strict(codes, default=-1, return_dtype=pl.Int8))

    return read


def _choice(frame: pl.DataFrame, name: str, codes: dict[str, int], default: str | None) -> pl.Expr:
    if name not in frame.columns:
        return pl.lit(None if default is None else codes[default], dtype=pl.Int8)
    [code] = _by_value(frame, name, (_code(codes), pl.Int8))
    return code if default is None else code.fill_null(codes[default])


def _flag(frame: pl.DataFrame, name: str, default: bool, given: bool = False) -> list[pl.Expr]:
    """A yes/no column; empty is the default, and anything other than TRUTH's words null (not_boolean). With `given`,
    also whether the cell is given at all (not null, not empty text), for a default that depends on other facts."""
    if name not in frame.columns:
        return [pl.lit(default), pl.lit(False)] if given else [pl.lit(default)]
    dtype = frame.schema[name]
    if dtype == pl.Boolean or dtype.is_numeric():
        cell = pl.col(name) if dtype == pl.Boolean else pl.col(name).cast(pl.Boolean)
        return [cell.fill_null(default), pl.col(name).is_not_null()] if given else [cell.fill_null(default)]

    def read(cell: pl.Expr) -> pl.Expr:
        text = _text(cell).str.to_lowercase()
        return pl.when(text.is_null()).then(default).otherwise(text.replace_strict(TRUTH, default=None))

    def is_given(cell: pl.Expr) -> pl.Expr:
        return _text(cell).is_not_null()

    return _by_value(frame, name, (read, pl.Boolean), *([(is_given, pl.Boolean)] if given else []))


def _indicator_columns(frame: pl.DataFrame) -> list[pl.Expr]:
    """`_indicators` (the class the decision needs) and `_indicators_problem`, read as the intake reads a list: the
    first item that is unknown or given twice is the problem."""
    if "indicators" not in frame.columns:
        return [pl.lit(0, dtype=pl.Int8).alias("_indicators"), pl.lit(0, dtype=pl.Int8).alias("_indicators_problem")]
    if isinstance(frame.schema["indicators"], pl.List):
        items = pl.col("indicators").list.eval(pl.element().cast(pl.Utf8).str.strip_chars(WHITESPACE))
        items = items.list.eval(pl.element().filter(pl.element() != ""))  # null items go too
        return [_indicator_class(items).alias("_indicators"), _indicator_problem(items).alias("_indicators_problem")]

    def listed(cell: pl.Expr) -> pl.Expr:
        items = _text(cell).str.split(";").list.eval(pl.element().str.strip_chars(WHITESPACE))
        return items.list.eval(pl.element().filter(pl.element() != ""))

    read_class, read_problem = _by_value(
        frame,
        "indicators",
        (lambda cell: _indicator_class(listed(cell)), pl.Int8),
        (lambda cell: _indicator_problem(listed(cell)), pl.Int8),
    )
    return [read_class.alias("_indicators"), read_problem.alias("_indicators_problem")]


def _indicator_class(items: pl.Expr) -> pl.Expr:
    return (
        pl.when(items.list.contains(Indicator.FORGED_DOCUMENTS.value))
        .then(2)
        .when(items.list.len() > 0)
        .then(1)
        .otherwise(0)
        .cast(pl.Int8)
    )


def _indicator_problem(items: pl.Expr) -> pl.Expr:
    def first(where: pl.Expr) -> pl.Expr:
        return items.list.eval(pl.int_range(pl.len()).filter(where).first()).list.first()

    unknown = first(~pl.element().is_in(KNOWN_INDICATORS))
    twice = first(~pl.element().is_first_distinct())
    return (
        pl.when(unknown.is_not_null() & (twice.is_null() | (unknown < twice)))
        .then(INDICATOR_UNKNOWN)
        .when(twice.is_not_null())
        .then(INDICATOR_TWICE)
        .otherwise(INDICATORS_OK)
        .cast(pl.Int8)
    )


def _typed_moment(frame: pl.DataFrame, name: str) -> list[pl.Expr]:
    """A Datetime column: Moscow wall-clock time (naive cells are Moscow time already); its year is the cell's own,
    in the column's zone, as the intake checks a datetime it is given."""
    dtype = frame.schema[name]
    cell = pl.col(name).cast(pl.Datetime("us", dtype.time_zone))  # type: ignore[union-attr]
    wall = cell if dtype.time_zone is None else cell.dt.convert_time_zone(ZONE).dt.replace_time_zone(None)  # type: ignore[union-attr]
    return [
        wall.alias(f"_{name}"),
        pl.when(cell.is_not_null()).then(pl.lit(READ, dtype=pl.Int8)).alias(f"_{name}_state"),
        cell.dt.year().alias(f"_{name}_year"),
    ]


_PARTS = ("y", "mo", "d", "h", "mi", "s", "us", "oh", "om", "sign", "text", "iso", "russian")


def _moment_parts(name: str) -> list[pl.Expr]:
    """The components of a text moment (null where the grammar did not match), as integers."""
    iso, russian = pl.col(f"_{name}_iso").struct.field, pl.col(f"_{name}_russian").struct.field

    def number(iso_group: str, russian_group: str | None = None) -> pl.Expr:
        found = iso(iso_group) if russian_group is None else pl.coalesce(iso(iso_group), russian(russian_group))
        return found.cast(pl.Int32)

    offset = iso("8")
    return [
        number("1", "3").alias(f"_{name}_y"),
        number("2", "2").alias(f"_{name}_mo"),
        number("3", "1").alias(f"_{name}_d"),
        number("4", "4").fill_null(0).alias(f"_{name}_h"),
        number("5", "5").fill_null(0).alias(f"_{name}_mi"),
        number("6").fill_null(0).alias(f"_{name}_s"),
        iso("7").str.pad_end(6, "0").cast(pl.Int32).fill_null(0).alias(f"_{name}_us"),
        offset.str.slice(1, 2).cast(pl.Int32, strict=False).alias(f"_{name}_oh"),
        offset.str.slice(4, 2).cast(pl.Int32, strict=False).alias(f"_{name}_om"),
        pl.when(offset == "Z")
        .then(0)
        .when(offset.str.starts_with("-"))
        .then(-1)
        .when(offset.is_not_null())
        .then(1)
        .alias(f"_{name}_sign"),
    ]


def _moment_state(name: str) -> pl.Expr:
    """Not given (null), READ, NOT_A_MOMENT or NOT_REAL: the checks datetime() and moments._offset make."""
    c = {key: pl.col(f"_{name}_{key}") for key in _PARTS}
    leap = ((c["y"] % 4 == 0) & (c["y"] % 100 != 0)) | (c["y"] % 400 == 0)
    month_days = (
        pl.when(c["mo"] == 2).then(28 + leap.cast(pl.Int32)).when(c["mo"].is_in([4, 6, 9, 11])).then(30).otherwise(31)
    )
    real = (
        (c["y"] >= 1)  # datetime.MINYEAR
        & c["mo"].is_between(1, 12)
        & c["d"].is_between(1, month_days)
        & (c["h"] <= 23)
        & (c["mi"] <= 59)
        & (c["s"] <= 59)
        & (c["oh"].is_null() | ((c["oh"] <= 23) & (c["om"] <= 59)))
    )
    return (
        pl.when(c["text"].is_null())
        .then(None)
        .when(c["y"].is_null())
        .then(NOT_A_MOMENT)
        .when(~real)
        .then(NOT_REAL)
        .otherwise(READ)
        .cast(pl.Int8)
        .alias(f"_{name}_state")
    )


def _moment_value(name: str, with_offsets: bool) -> list[pl.Expr]:
    """The moment as Moscow wall-clock time, and its year as written. The components of a moment that is not real
    are nulled before a datetime is built from them (Polars refuses an impossible date)."""
    c = {key: pl.col(f"_{name}_{key}") for key in _PARTS}
    year = pl.when(pl.col(f"_{name}_state") == READ).then(c["y"])
    as_written = pl.datetime(year, c["mo"], c["d"], c["h"], c["mi"], c["s"], c["us"])
    if with_offsets:
        utc = as_written - pl.duration(minutes=c["sign"] * (c["oh"] * 60 + c["om"]).fill_null(0))
        moscow = utc.dt.replace_time_zone("UTC").dt.convert_time_zone(ZONE).dt.replace_time_zone(None)
        as_written = pl.when(c["sign"].is_null()).then(as_written).otherwise(moscow)
    return [year.alias(f"_{name}_year"), as_written.alias(f"_{name}")]


def _text_moments(typed: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Text moments (in `_{name}_text`) read in the grammar of courtpath.law.moments.parse_moment, with its own
    patterns; offsets are converted to Moscow wall-clock time."""
    if not names:
        return typed
    typed = typed.with_columns(
        expr
        for name in names
        for expr in (
            pl.col(f"_{name}_text").str.extract_groups(ISO_REGEX).alias(f"_{name}_iso"),
            pl.col(f"_{name}_text").str.extract_groups(RUSSIAN_REGEX).alias(f"_{name}_russian"),
        )
    )
    offsets = typed.select(
        pl.col(f"_{name}_iso").struct.field("8").is_not_null().any().alias(name) for name in names
    ).row(0, named=True)
    typed = typed.with_columns(expr for name in names for expr in _moment_parts(name))
    typed = typed.with_columns(_moment_state(name) for name in names)
    typed = typed.with_columns(expr for name in names for expr in _moment_value(name, offsets[name]))
    return typed.drop([f"_{name}_{key}" for name in names for key in _PARTS])


def _moscow_wall(moment: dt.datetime) -> dt.datetime:
    return (moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment.astimezone(MOSCOW)).replace(tzinfo=None)


def prepare(frame: pl.DataFrame, *, as_of: dt.datetime, law_on: dt.date | None, now: dt.datetime) -> pl.DataFrame:
    """The typed columns RULES and the key derivation read, as a new frame of `frame`'s height (the input stays as
    it is): a code per choice (`_status`, `_absence_kind`, `_context`, `_sex`, `_prior_conviction`: CHOICES; -1
    unknown), `_left`, `_returned`, `_as_of` (naive Moscow time; `_as_of` defaults to `as_of`), `_{moment}_state`
    and `_{moment}_year`, `_indicators` (class) and `_indicators_problem`, a boolean per yes/no fact (null: not a
    yes/no; `_first_offence` not given is false with an earlier conviction or a probation, as the intake has it), and
    the batch's bounds: `_limit` (now plus FUTURE_TOLERANCE), `_law_on`, `_code_from`, `_mobilized_from`. `frame`
    must have `status` and `left`."""
    text_moments = [
        name for name in MOMENTS if name in frame.columns and not isinstance(frame.schema[name], pl.Datetime)
    ]
    missing_moments = [name for name in MOMENTS if name not in frame.columns]
    # first_offence's default depends on other facts: whether its cell is given is kept until it is applied.
    flags = {name: _flag(frame, name, default, given=name == "first_offence") for name, default in FLAGS.items()}
    typed = frame.select(
        *(_choice(frame, name, codes, CHOICE_DEFAULTS[name]).alias(f"_{name}") for name, codes in CHOICES.items()),
        *_indicator_columns(frame),
        *(flag[0].alias(f"_{name}") for name, flag in flags.items()),
        flags["first_offence"][1].alias("_first_offence_given"),
        *(_text(pl.col(name)).alias(f"_{name}_text") for name in text_moments),
        *(
            expr
            for name in MOMENTS
            if name in frame.columns and name not in text_moments
            for expr in _typed_moment(frame, name)
        ),
        *(
            expr
            for name in missing_moments
            for expr in (
                pl.lit(None, dtype=pl.Datetime("us")).alias(f"_{name}"),
                pl.lit(None, dtype=pl.Int8).alias(f"_{name}_state"),
                pl.lit(None, dtype=pl.Int32).alias(f"_{name}_year"),
            )
        ),
    )
    typed = _text_moments(typed, text_moments)
    day = dt.time()
    default = pl.col("_as_of_state").is_null()  # as_of not given: the batch's moment of assessment
    # An earlier conviction or a probation: not a first offence, unless the row says so (then a problem), as
    # facts_from_mapping defaults it.
    convicted = (pl.col("_prior_conviction") != _NO_CONVICTION) | pl.col("_on_probation")
    return typed.with_columns(
        pl.when(~pl.col("_first_offence_given") & convicted)
        .then(False)
        .otherwise(pl.col("_first_offence"))
        .alias("_first_offence"),
        pl.when(default).then(pl.lit(_moscow_wall(as_of))).otherwise(pl.col("_as_of")).alias("_as_of"),
        pl.when(default).then(pl.lit(as_of.year)).otherwise(pl.col("_as_of_year")).alias("_as_of_year"),
        pl.lit(_moscow_wall(now + FUTURE_TOLERANCE), dtype=pl.Datetime("us")).alias("_limit"),
        pl.lit(dt.datetime.combine(law_on, day) if law_on else None, dtype=pl.Datetime("us")).alias("_law_on"),
        pl.lit(dt.datetime.combine(code_in_force_from(), day), dtype=pl.Datetime("us")).alias("_code_from"),
        pl.lit(dt.datetime.combine(mobilized_from(), day), dtype=pl.Datetime("us")).alias("_mobilized_from"),
    ).drop("_first_offence_given")


# -- the same row, read as a single assessment reads it ----------------------------------------------------------


def _cell_text(cell: object) -> str | None:
    text = str(cell).strip(WHITESPACE)
    return text or None


def _read_choice(cell: object) -> object:
    return None if cell is None else _cell_text(cell)


def _read_moment(cell: object) -> object:
    if cell is None or isinstance(cell, dt.datetime):
        return cell
    return _cell_text(cell)  # a date cell as its ISO text: midnight, as the vectorised reading has it


def _read_flag(cell: object) -> object:
    if cell is None or isinstance(cell, bool):
        return cell
    if isinstance(cell, numbers.Number):
        return bool(cell)
    text = _cell_text(cell)
    if text is None:
        return None
    return TRUTH.get(text.lower(), text)  # any other text: the intake's not_boolean


def _read_indicators(cell: object) -> object:
    if cell is None:
        return None
    items = cell if isinstance(cell, list | tuple) else str(cell).strip(WHITESPACE).split(";")
    return [text for item in items if item is not None and (text := str(item).strip(WHITESPACE))]


_CELL_READERS: dict[str, Callable[[object], object]] = {
    "choice": _read_choice,
    "moment": _read_moment,
    "flag": _read_flag,
    "choices": _read_indicators,
}


def row_facts(row: Mapping[str, object]) -> dict[str, object]:
    """The canonical mapping one batch row gives, its cells read as `prepare` reads them (other columns ignored)."""
    return {name: _CELL_READERS[FIELDS[name].kind](row[name]) for name in COLUMNS if name in row}


def facts_from_row(
    row: Mapping[str, object],
    *,
    as_of: dt.datetime | None = None,
    law_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Facts:
    """The Facts of one batch row, through the one door (facts_from_mapping): the scalar counterpart of `prepare`
    and RULES. As in the batch, a row without `as_of` is assessed as of `as_of` (default: `now`), and `now`
    defaults to the clock. FactsError as the other doors raise it."""
    now = now or now_in_moscow()
    data = row_facts(row)
    if data.get("as_of") is None:
        data["as_of"] = as_of or now
    data["law_on"] = law_on
    return facts_from_mapping(data, now=now)
