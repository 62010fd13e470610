"""The batch's vectorised rule table agrees with the one door for facts, row by row, on generated rows.

Each generated table (text cells as from a CSV file, or typed columns as from Parquet) goes through the batch; every
row of it also goes through facts_from_row (the same cells, read by facts_from_mapping). The batch's error_field and
error_code must be the single door's first problem, its error that problem's message; a row both accept must get
the single assessment's results. Hypothesis is derandomized and keeps no example database, like the rest of the
suite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support import assert_batch_row_agrees
from courtpath.law.batch import RESULT_SCHEMA, _decided_row, assess_frame, facts_from_row
from courtpath.law.batch_rules import COLUMNS, FLAGS, RULES, row_facts
from courtpath.law.engine import assess
from courtpath.law.facts import FACT_RULES, AbsenceKind, Context, FactsError, Indicator, PriorConviction, Sex, Status
from courtpath.law.intake import FIELD_LIST
from courtpath.law.loader import default_lawbook
from courtpath.law.moments import FUTURE_TOLERANCE, MOSCOW, parse_moment

AS_OF = dt.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=MOSCOW)
LAW = default_lawbook()
DECIDED = [  # the batch's columns of them
    name for name in RESULT_SCHEMA if name not in ("key", "liability_index", "earlier_liability_index", "spanning_from")
]
PROFILE = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_the_rule_table_is_in_the_order_the_intake_reports() -> None:
    """Each field's own rules in FIELD_LIST order, then exactly FACT_RULES: so a row's first broken rule is the
    first problem facts_from_mapping reports."""
    order = [spec.name for spec in FIELD_LIST]
    own = RULES[: len(RULES) - len(FACT_RULES)]
    assert [order.index(rule.field) for rule in own] == sorted(order.index(rule.field) for rule in own)
    assert [(rule.field, rule.code) for rule in RULES[len(own) :]] == [(rule.field, rule.code) for rule in FACT_RULES]
    assert {rule.field for rule in own} == set(order)  # law_on is the batch's parameter, checked all the same


# -- generated cells -----------------------------------------------------------------------------------------------

WHITE = st.sampled_from(["", "", "", " ", "  ", "\t", "\u00a0", "\u3000"])
OFFSETS = st.one_of(
    st.sampled_from(["Z", "+03:00", "-05:30", "+00:00", "-00:00", "+05:00"]),
    st.builds(lambda sign, h, m: f"{sign}{h:02}:{m:02}", st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 61)),
)
NOT_THE_GRAMMAR = st.sampled_from(
    [
        "01/03/2025",
        "20250301",
        "٠١.٠٣.٢٠٢٥",  # Arabic-Indic digits
        "０１.０３.２０２５",  # fullwidth digits
        "2025-3-1",
        "2025-03-01T8:00",
        "1.3.25",
        "01.03.2025 08:00:00",
        "01.03.2025 08:00+03:00",
        "2025-03-01+03:00",
        "2025-03-01T08:00:00.1234567",
        "2025-03-01T08:00+0300",
        "2025-03-01T08",
        "2025-03-01\n08:00",
        "x",
        "now",
    ]
)
NOT_REAL = st.sampled_from(
    [
        "31.02.2025",
        "29.02.2025",
        "31.04.2024",
        "2025-13-01",
        "2025-00-10",
        "2025-03-00",
        "2025-03-01T24:00",
        "2025-03-01T23:60",
        "2025-03-01T23:59:60",
        "2025-03-01T08:00+24:00",
        "2025-03-01T08:00-03:60",
        "1.3.2025 24:00",
        "0000-01-01",
        "29.02.1900",  # not a leap year (a century), and not a real date before its year is out of range
        "2100-02-29",
        "1800-02-29T08:00",
    ]
)
OUT_OF_YEARS = st.sampled_from(["01.03.1899", "31.12.2100", "1899-12-31T23:00", "2100-01-01", "9999-12-31T23:59"])
MALFORMED = st.one_of(
    NOT_THE_GRAMMAR, NOT_REAL, OUT_OF_YEARS, st.sampled_from(["29.02.2024", "2000-02-29", "2025-03-01 08:00 "])
)
MOMENTS = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2027, 12, 31))
# Far moments in a typed column (within what Python can hold in any zone: a test reads every row back).
TYPED_EXTREMES = st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 12, 31))


def _two(value: int, one_digit: bool) -> str:
    return f"{value}" if one_digit else f"{value:02}"


@st.composite
def moment_style(draw: st.DrawFn) -> Callable[[dt.datetime], str]:
    """One of the grammar's forms, to write moments in (a date alone is its midnight; an offset moves the instant).
    A row writes all its moments in one style, so that equal moments stay equal: the rules' boundaries are met."""
    form = draw(st.integers(0, 4))
    one_digit = [draw(st.booleans()) for _ in range(3)]
    separator = draw(st.sampled_from("T "))
    seconds, fraction = draw(st.booleans()), draw(st.integers(0, 6))
    offset = draw(OFFSETS) if form == 4 else ""

    def write(moment: dt.datetime) -> str:
        if form <= 1:  # Russian, one-digit day, month and hour allowed
            text = f"{_two(moment.day, one_digit[0])}.{_two(moment.month, one_digit[1])}.{moment.year}"
            if form == 1:
                text += f"{separator}{_two(moment.hour, one_digit[2])}:{moment.minute:02}"
            return text
        text = moment.strftime("%Y-%m-%d")  # ISO 8601: a date, or a date and a time; seconds, fraction, offset
        if form >= 3:
            text += moment.strftime(f"{separator}%H:%M")
            if seconds:
                text += f":{moment.second:02}"
                if fraction:
                    text += "." + f"{moment.microsecond:06}"[:fraction]
            text += offset
        return text

    return write


def moment_text(moment: dt.datetime) -> st.SearchStrategy[str]:
    return moment_style().map(lambda write: write(moment))


def choice_text(values: list[str]) -> st.SearchStrategy[str | None]:
    known = st.sampled_from(values)
    return st.one_of(known, known, st.builds(lambda w, v, x: f"{w}{v}{x}", WHITE, known, WHITE), st.none())


def written(code: str) -> st.SearchStrategy[str]:
    """A known code as a cell may hold it: as it is, or within white space."""
    return st.one_of(st.just(code), st.just(code), st.builds(lambda w, x: f"{w}{code}{x}", WHITE, WHITE))


SEXES = [s.value for s in Sex]
CONVICTIONS = [c.value for c in PriorConviction if c is not PriorConviction.NONE]


INDICATOR_ITEMS = st.sampled_from([i.value for i in Indicator])
YES_NO = st.sampled_from(["true", "false", "1", "0", "yes", "no", "да", "нет"])
FLAG_TEXT = st.one_of(
    YES_NO,
    YES_NO.map(str.upper),
    YES_NO.map(str.title),
    st.builds(lambda w, v: f"{w}{v}{w}", WHITE, YES_NO),
    st.sampled_from(["", " ", None]),
)
FLAG_JUNK = st.one_of(
    st.sampled_from(["maybe", "2", "y", "n", "истина", "-1", "0.0", "t"]), st.text(min_size=1, max_size=6)
)
# What can be wrong with a row: each names the rule it is meant to break (the row may break an earlier one too).
FAULTS = (
    "status",
    *(
        f"{name}:{problem}"
        for name in ("left", "returned", "as_of")
        for problem in ("format", "value", "year", "empty")
    ),
    "future_left",
    "future_returned",
    "absence_kind",
    "context",
    "indicator_unknown",
    "indicator_twice",
    "sex",
    "prior_conviction",
    *(f"flag:{name}" for name in FLAGS),
    "end_before_start",
    "as_of_before_start",
    "as_of_before_end",
    "surrendered",
    "released_80_2",
    "mobilized",
    "before_code",
    "moscow_year",
    "first_offence_with_conviction",
    "imprisonment_without_conviction",
)
LATE = [dt.timedelta(0), dt.timedelta(microseconds=1), dt.timedelta(minutes=1), dt.timedelta(days=400)]
MOSCOW_YEAR_EDGES = st.sampled_from(["1900-01-01T00:30+05:00", "1900-01-01 01:00Z", "2099-12-31T23:00-05:00"])


@st.composite
def fact_row(draw: st.DrawFn, kinds: dict[str, str], fault: str | None) -> dict[str, Any]:
    """A row of facts in the column kinds `kinds` (text, naive, aware, bool, int, list): sound, or with `fault` (one
    of FAULTS) and now and then another, or now and then made of free cells."""
    left = draw(st.datetimes(min_value=dt.datetime(1997, 1, 2), max_value=dt.datetime(2026, 11, 1)))
    returned: dt.datetime | None = left + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 400)))
    as_of: dt.datetime | None = returned + dt.timedelta(
        minutes=draw(st.sampled_from([0, 1]) | st.integers(0, 60 * 24 * 400))
    )
    if draw(st.booleans()):
        returned, as_of = None, (as_of if draw(st.booleans()) else None)
    elif draw(st.booleans()):
        as_of = None
    status = draw(st.sampled_from([s.value for s in Status]))
    if status == "mobilized" and left < dt.datetime(2022, 9, 21):
        status = "contract"
    row: dict[str, Any] = {
        "status": status,
        "absence_kind": draw(choice_text([k.value for k in AbsenceKind])),
        "context": draw(choice_text([c.value for c in Context])),
        "indicators": draw(st.lists(INDICATOR_ITEMS, unique=True, max_size=3)),
    }
    flags = {name: draw(st.booleans()) if draw(st.integers(0, 3)) else None for name in FLAGS}
    flags["surrendered"] = flags["surrendered"] and returned is not None
    flags["released_80_2"] = flags["released_80_2"] and status in ("contract", "mobilized")
    # The person: a conviction (or "none", or not given) and a probation leave first_offence false or not given
    # (then the intake makes it false); a prison term goes with a conviction.
    row["sex"] = draw(choice_text(SEXES))
    conviction = draw(st.sampled_from([None, "none", *CONVICTIONS]))
    row["prior_conviction"] = None if conviction is None else draw(written(conviction))
    convicted = conviction in CONVICTIONS
    if (convicted or flags["on_probation"]) and flags["first_offence"]:
        flags["first_offence"] = draw(st.sampled_from([False, None]))
    flags["prior_imprisonment"] = flags["prior_imprisonment"] and convicted
    texts: dict[str, str | None] = {}  # moments given as text that no datetime can stand for
    faults = [] if fault is None else [fault]
    if draw(st.integers(0, 4)) == 0:
        faults.append(draw(st.sampled_from(FAULTS)))
    for name in faults:
        fault, _, target = name.partition(":")
        if fault == "status":
            row["status"] = draw(st.sampled_from(["admiral", "Contract", "", " ", None, "contract\x00"]))
        elif fault in ("left", "returned", "as_of"):
            texts[fault] = draw(
                {
                    "format": st.one_of(NOT_THE_GRAMMAR, st.text(min_size=1, max_size=10)),
                    "value": NOT_REAL,
                    "year": OUT_OF_YEARS,
                    "empty": st.sampled_from(["", None]),
                }[target]
            )
        elif fault in ("future_left", "future_returned"):  # now + 24 h is the last moment allowed
            late = NOW.replace(tzinfo=None) + FUTURE_TOLERANCE + draw(st.sampled_from(LATE))
            if fault == "future_left":
                left, returned = late, None
            else:
                returned = late
        elif fault in ("absence_kind", "context"):
            row[fault] = draw(st.sampled_from(["desertion", "peace", "AUTO", "left unit"]))
        elif fault == "indicator_unknown":
            row["indicators"] = [*row["indicators"], "tattoo"]
        elif fault == "indicator_twice":
            row["indicators"] = [*row["indicators"], "job", " job"]
        elif fault == "sex":
            row["sex"] = draw(st.sampled_from(["Male", "m", "F", "woman", "женский", "male;female"]))
        elif fault == "prior_conviction":  # a hyphen is not the code
            row["prior_conviction"] = draw(st.sampled_from(["especially-grave", "Grave", "yes", "0", "minor", "none;"]))
        elif fault == "first_offence_with_conviction":
            flags["first_offence"] = True
            if draw(st.booleans()):
                row["prior_conviction"] = draw(st.sampled_from(CONVICTIONS).flatmap(written))
            else:
                flags["on_probation"] = True
        elif fault == "imprisonment_without_conviction":
            flags["prior_imprisonment"], row["prior_conviction"] = True, draw(st.sampled_from([None, "none", " none "]))
        elif fault == "flag":
            flags[target] = draw(FLAG_JUNK)
        elif fault == "end_before_start":
            returned = left - dt.timedelta(minutes=draw(st.integers(0, 600)))
        elif fault == "as_of_before_start":
            returned, as_of = None, left - dt.timedelta(minutes=draw(st.integers(0, 600)))
        elif fault == "as_of_before_end":
            returned = left + dt.timedelta(days=3)
            as_of = returned - dt.timedelta(minutes=draw(st.integers(1, 600)))
        elif fault == "surrendered":
            returned, flags["surrendered"] = None, True
        elif fault == "released_80_2":
            row["status"], flags["released_80_2"] = draw(st.sampled_from(["conscript", "reservist", "dmu"])), True
        elif fault == "mobilized":
            row["status"] = "mobilized"
            left = draw(st.datetimes(min_value=dt.datetime(1997, 1, 1), max_value=dt.datetime(2022, 9, 20, 23, 59)))
        elif fault == "before_code":
            left = draw(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(1996, 12, 31, 23, 59)))
        elif fault == "moscow_year":
            texts[draw(st.sampled_from(["left", "returned", "as_of"]))] = draw(MOSCOW_YEAR_EDGES)
    moments = {"left": left, "returned": returned, "as_of": as_of}
    write = draw(moment_style())
    free = draw(st.integers(0, 9)) == 0  # now and then, cells drawn freely
    for name, moment in moments.items():
        if kinds[name] == "text":
            if name in texts:
                text = texts[name]
            elif free:
                text = draw(st.one_of(MALFORMED, st.text(max_size=12), MOMENTS.flatmap(moment_text)))
            else:
                text = None if moment is None else write(moment)
            row[name] = None if text is None else f"{draw(WHITE)}{text}{draw(WHITE)}"
        elif name in texts:  # a typed column cannot hold malformed text: a moment it can hold, but far away
            row[name] = draw(TYPED_EXTREMES) if texts[name] else None
        else:
            row[name] = draw(TYPED_EXTREMES) if free else moment
    if free:
        row["status"] = draw(st.one_of(choice_text([s.value for s in Status]), st.text(max_size=8)))
        row["sex"] = draw(st.one_of(choice_text(SEXES), st.text(max_size=8)))
        row["prior_conviction"] = draw(st.one_of(choice_text(["none", *CONVICTIONS]), st.text(max_size=8)))
        row["indicators"] = draw(st.lists(st.sampled_from([*(i.value for i in Indicator), "tattoo", ""]), max_size=4))
    for name, value in flags.items():
        if kinds[name] == "text":
            row[name] = value if isinstance(value, str) else (draw(FLAG_TEXT) if value is None else str(value))
        elif isinstance(value, str):  # junk cannot go in a typed column
            row[name] = None
        else:
            row[name] = (
                value
                if kinds[name] == "bool" or value is None
                else draw(st.sampled_from([1, 2]) if value else st.just(0))
            )
    if kinds["indicators"] == "text":
        items = row["indicators"]
        row["indicators"] = (
            draw(st.sampled_from([";", "; ", " ;"])).join(items) if items or draw(st.booleans()) else None
        )
    elif draw(st.integers(0, 5)) == 0:
        row["indicators"] = draw(st.sampled_from([None, [None, "job"], ["", " border "]]))
    return row


@st.composite
def tables(draw: st.DrawFn) -> tuple[pl.DataFrame, dt.date | None]:
    """A table of fact rows (each column text, as from CSV, or typed, as from Parquet) and the batch's law_on."""
    kinds = {name: draw(st.sampled_from(["text", "text", "naive", "aware"])) for name in ("left", "returned", "as_of")}
    kinds |= {name: draw(st.sampled_from(["text", "text", "text", "bool", "int"])) for name in FLAGS}
    kinds |= {"indicators": draw(st.sampled_from(["text", "list"]))}
    zone = draw(st.sampled_from(["UTC", "Europe/Moscow", "Asia/Yekaterinburg", "America/New_York"]))
    present = [name for name in COLUMNS if name in ("status", "left") or draw(st.integers(0, 7))]
    plan = draw(st.permutations(FAULTS))  # each row one fault, in turn, and every third row sound
    rows = [draw(fact_row(kinds, plan[i % len(plan)] if i % 3 else None)) for i in range(draw(st.integers(1, 30)))]
    columns: list[pl.Series] = []
    for name in present:
        values = [row[name] for row in rows]
        kind = kinds.get(name, "text")
        if kind in ("naive", "aware"):
            series = pl.Series(name, values, dtype=pl.Datetime("us"))
            if kind == "aware":  # the same wall-clock values, read as UTC, shown in another zone
                series = series.dt.replace_time_zone("UTC").dt.convert_time_zone(zone)
        elif kind in ("bool", "int"):
            series = pl.Series(name, values, dtype=pl.Boolean if kind == "bool" else pl.Int64)
        elif kind == "list":
            series = pl.Series(name, values, dtype=pl.List(pl.Utf8))
        else:
            series = pl.Series(name, values, dtype=pl.Utf8)
        columns.append(series)
    frame = pl.DataFrame(columns).with_row_index("id")
    law_on = draw(st.sampled_from([None, None, None, dt.date(2026, 2, 1), dt.date(2012, 5, 1), dt.date(1996, 12, 31)]))
    return frame, law_on


def _single(row: dict[str, Any], law_on: dt.date | None) -> tuple[str | None, str | None, str | None]:
    try:
        facts_from_row(row, as_of=AS_OF, law_on=law_on, now=NOW)
    except FactsError as error:
        return error.field, error.code, error.render("en")
    return None, None, None


def check_agreement(frame: pl.DataFrame, law_on: dt.date | None) -> set[tuple[str | None, str | None]]:
    """Each row's error is the single door's first problem, and an accepted row's results the single assessment's;
    the (field, code) pairs met."""
    result = assess_frame(frame, as_of=AS_OF, law_on=law_on, now=NOW)
    assert result.height == frame.height
    assert result.select(frame.columns).equals(frame)  # every input cell kept
    for row in result.iter_rows(named=True):
        given = {name: row[name] for name in frame.columns}
        expected = _single(given, law_on)
        context = f"row {given}, law_on {law_on}: {row_facts(given)}"
        assert (row["error_field"], row["error_code"], row["error"]) == expected, context
        if expected[1] is None:
            single = assess(facts_from_row(given, as_of=AS_OF, law_on=law_on, now=NOW))
            assert_batch_row_agrees(row, single)
            # Every column of the decision (colony_regime, alternatives, ...), as the batch writes the single
            # assessment's decision: the same decision, whatever the engine makes of the person.
            written = dict(zip(RESULT_SCHEMA, _decided_row(0, single.decision, LAW), strict=True))
            assert {name: row[name] for name in DECIDED} == {name: written[name] for name in DECIDED}, context
    return set(result.select("error_field", "error_code").rows())


def _first_offence_defaults(frame: pl.DataFrame, law_on: dt.date | None) -> set[bool]:
    """What the intake made of first_offence on the accepted rows that do not give it (false: an earlier conviction
    or a probation)."""
    found = set()
    for row in frame.iter_rows(named=True):
        if row_facts(row).get("first_offence") is None and _single(row, law_on)[1] is None:
            found.add(facts_from_row(row, as_of=AS_OF, law_on=law_on, now=NOW).first_offence)
    return found


def test_batch_rules_agree_with_the_single_door() -> None:
    """On generated tables, which accept some rows and reject others for most of the rules (every rule: below)."""
    seen: set[tuple[str | None, str | None]] = set()
    defaults: set[bool] = set()

    @PROFILE
    @given(tables())
    def agree(table: tuple[pl.DataFrame, dt.date | None]) -> None:
        seen.update(check_agreement(*table))
        defaults.update(_first_offence_defaults(*table))

    agree()
    assert (None, None) in seen
    assert len(seen & {(rule.field, rule.code) for rule in RULES}) > len(RULES) * 3 // 4
    # Every rule of the facts of the person is met (their own checks, and the rules of the facts as a whole).
    person = {"sex", "on_probation", "prior_conviction", "prior_imprisonment"}
    assert {(rule.field, rule.code) for rule in RULES if rule.field in person} <= seen
    assert ("first_offence", "first_offence_with_conviction") in seen
    assert defaults == {True, False}  # accepted rows met both of the intake's defaults of first_offence


# A sound row (text cells, as from a CSV file), and for each rule of the table a change that breaks it first.
SOUND = {
    "status": "contract",
    "left": "01.03.2025 08:00",
    "returned": "2025-03-05T08:00",
    "as_of": "",
    "absence_kind": "leave",
    "context": "auto",
    "indicators": "job; border",
    **dict.fromkeys(FLAGS, ""),
    "sex": " male",
    "prior_conviction": "none ",
}
BREAKS: dict[tuple[str, ...], dict[str, Any]] = {
    ("status", "required"): {"status": " "},
    ("status", "unknown_value"): {"status": "admiral"},
    ("left", "required"): {"left": None},
    ("left", "moment_format"): {"left": "01/03/2025"},
    ("left", "moment_value"): {"left": "29.02.2025"},
    ("left", "year_range"): {"left": "2100-01-01"},
    ("left", "in_future"): {"left": "02.12.2026 12:01", "returned": None},
    ("returned", "moment_format"): {"returned": "20250305"},
    ("returned", "moment_value"): {"returned": "2025-03-05T08:00+03:60"},
    ("returned", "year_range"): {"returned": "0001-01-01"},
    ("returned", "in_future"): {"returned": "2026-12-02T09:01Z"},
    ("as_of", "moment_format"): {"as_of": "сегодня"},
    ("as_of", "moment_value"): {"as_of": "2025-03-05T24:00"},
    ("as_of", "year_range"): {"as_of": "1.1.1899"},
    ("absence_kind", "unknown_value"): {"absence_kind": "desertion"},
    ("context", "unknown_value"): {"context": "Auto"},
    ("indicators", "unknown_value"): {"indicators": "job;tattoo;job"},
    ("indicators", "duplicate"): {"indicators": "job; border ;job;tattoo"},
    **{(name, "not_boolean"): {name: "maybe"} for name in FLAGS},
    ("sex", "unknown_value"): {"sex": "Female"},
    ("prior_conviction", "unknown_value"): {"prior_conviction": "especially-grave"},
    ("left", "year_range", "moscow"): {"left": "1900-01-01T00:00+05:00"},  # 1899 on the Moscow clock
    ("returned", "year_range", "moscow"): {"left": "1.1.1900", "returned": "1900-01-01 01:00+05:00"},
    ("as_of", "year_range", "moscow"): {"as_of": "2099-12-31T23:00-05:00"},
    ("left", "before_code"): {"left": "31.12.1996 23:59"},
    ("returned", "end_before_start"): {"returned": "1.3.2025 8:00"},
    ("as_of", "as_of_before_start"): {"returned": None, "as_of": "2025-03-01T04:59Z"},
    ("as_of", "as_of_before_end"): {"as_of": "2025-03-05T07:59:59.999999"},
    ("surrendered", "surrender_needs_end"): {"surrendered": "Да", "returned": ""},
    ("released_80_2", "released_80_2_status"): {"released_80_2": " YES ", "status": "dmu"},
    ("left", "mobilized_too_early"): {"status": "mobilized", "left": "20.09.2022 23:59", "returned": "2022-10-01"},
    ("first_offence", "first_offence_with_conviction"): {"first_offence": "yes", "prior_conviction": "small"},
    ("first_offence", "first_offence_with_conviction", "probation"): {"first_offence": "1", "on_probation": "Да"},
    ("prior_imprisonment", "imprisonment_without_conviction"): {"prior_imprisonment": "true"},
}


def test_each_rule_breaks_first_on_its_row_and_agrees() -> None:
    """One row per rule of the table: each gets its rule's field and code, and the single door's first problem and
    message. law_on's rules are met through the batch's law_on."""
    rows = [{**SOUND, **change} for change in BREAKS.values()]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(SOUND, pl.Utf8))
    assert check_agreement(frame, None) >= {key[:2] for key in BREAKS}
    result = assess_frame(frame, as_of=AS_OF, now=NOW)
    assert result.select("error_field", "error_code").rows() == [key[:2] for key in BREAKS]
    sound = pl.DataFrame([SOUND], schema=dict.fromkeys(SOUND, pl.Utf8))
    assert check_agreement(sound, dt.date(1996, 12, 31)) == {("law_on", "before_code")}
    assert check_agreement(sound, None) == {(None, None)}
    met = {key[:2] for key in BREAKS} | {("law_on", "before_code")}
    # law_on's year is checked where the door that takes it parses it (the command line's --law-on).
    assert {(rule.field, rule.code) for rule in RULES} - met == {("law_on", "year_range")}


def test_typed_columns_break_the_same_rules() -> None:
    """Datetime columns (naive: Moscow time; aware: any zone), boolean and number columns, and an indicators list."""
    utc = dt.UTC
    frame = pl.DataFrame(
        {
            "status": ["contract"] * 7,
            "left": [
                dt.datetime(2025, 3, 1, 8),
                dt.datetime(1899, 12, 31, 23),
                dt.datetime(2026, 12, 2, 12, 1),
                dt.datetime(2025, 3, 1, 8),
                dt.datetime(2025, 3, 1, 8),
                dt.datetime(2025, 3, 1, 8),
                None,
            ],
            "returned": [
                dt.datetime(2025, 3, 1, 5, tzinfo=utc),  # 08:00 in Moscow: not after left
                None,
                None,
                dt.datetime(2025, 3, 2, tzinfo=utc),
                dt.datetime(1899, 12, 31, 23, tzinfo=utc),
                dt.datetime(2025, 3, 2, tzinfo=utc),
                None,
            ],
            "indicators": [[], [], [], ["job", "job"], [], ["job", None, " border "], []],
            "weapon": [True, None, False, False, False, None, False],
            "group": [0, 1, 2, None, 0, 0, 0],
        },
        schema_overrides={"returned": pl.Datetime("us", "UTC")},
    )
    assert assess_frame(frame, as_of=AS_OF, now=NOW).select("error_field", "error_code").rows() == [
        ("returned", "end_before_start"),
        ("left", "year_range"),
        ("left", "in_future"),
        ("indicators", "duplicate"),
        ("returned", "year_range"),
        (None, None),
        ("left", "required"),
    ]
    check_agreement(frame, None)


def test_every_accepted_form_reads_as_parse_moment_reads_it() -> None:
    forms = [
        "01.03.2025",
        "1.3.2025",
        "01.03.2025 08:00",
        "1.3.2025 8:00",
        "1.3.2025T8:00",
        "2025-03-01",
        "2025-03-01T08:00",
        "2025-03-01 08:00",
        "2025-03-01T08:00:30",
        "2025-03-01T08:00:30.5",
        "2025-03-01T08:00:30.123456",
        "2025-03-01T05:00Z",
        "2025-03-01T08:00+03:00",
        "2025-03-01 00:30-05:30",
        "  01.03.2025 08:00\t",
    ]
    frame = pl.DataFrame({"status": ["contract"] * len(forms), "left": forms, "returned": ["2025-04-01"] * len(forms)})
    result = assess_frame(frame, as_of=AS_OF, now=NOW)
    assert result.get_column("error").to_list() == [None] * len(forms)
    for text, hours in zip(forms, result.get_column("duration_hours").to_list(), strict=True):
        left = parse_moment(text.strip())
        left = left.astimezone(MOSCOW).replace(tzinfo=None) if left.tzinfo else left
        assert hours * 3600 == (dt.datetime(2025, 4, 1) - left).total_seconds(), text
