"""Properties of the engine over generated facts (hypothesis, deterministic: derandomized, no example database)."""

from __future__ import annotations

import calendar
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, Context, Facts, FactsError, Indicator, Status
from courtpath.law.periods import Period

PROFILE = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

FIRST = dt.datetime(1997, 1, 1)
LAST = dt.datetime(2030, 12, 31, 23, 59)
MOBILIZATION = dt.datetime(2022, 9, 21)
FAR_FUTURE = dt.datetime(2031, 6, 1, 12, 0)  # an assessment moment after every generated absence

statuses = st.sampled_from(list(Status))
contexts = st.sampled_from(list(Context))
indicator_sets = st.frozensets(st.sampled_from(list(Indicator)), max_size=3)
minutes = st.integers(min_value=1, max_value=60 * 24 * 400)  # up to ~13 months
lefts = st.datetimes(min_value=FIRST, max_value=LAST)


def _legal_status(status: Status, left: dt.datetime, released: bool) -> bool:
    if status is Status.MOBILIZED and left < MOBILIZATION:
        return False
    return not (released and status not in (Status.CONTRACT, Status.MOBILIZED))


def primary_max(facts: Facts) -> int:
    primary = assess(facts).primary
    return 0 if primary is None else primary.max_months


def add_calendar_month(moment: dt.datetime) -> dt.datetime:
    """Same day next month, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


# -- (a) a longer absence never lowers the primary maximum ------------------------------------------------------


@PROFILE
@given(
    status=statuses,
    left=lefts,
    shorter=minutes,
    extra=st.integers(min_value=0, max_value=60 * 24 * 60),
    context=contexts,
    indicators=indicator_sets,
    weapon=st.booleans(),
    released=st.booleans(),
    surrendered=st.booleans(),
    law_on=st.none() | st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_longer_absence_never_lowers_primary_maximum(
    status: Status,
    left: dt.datetime,
    shorter: int,
    extra: int,
    context: Context,
    indicators: frozenset[Indicator],
    weapon: bool,
    released: bool,
    surrendered: bool,
    law_on: dt.date | None,
) -> None:
    assume(_legal_status(status, left, released))
    common = {
        "status": status,
        "left": left,
        "as_of": FAR_FUTURE,
        "context": context,
        "indicators": indicators,
        "weapon": weapon,
        "released_80_2": released,
        "surrendered": surrendered,
        "law_on": law_on,
    }
    short = Facts(returned=left + dt.timedelta(minutes=shorter), **common)
    long = Facts(returned=left + dt.timedelta(minutes=shorter + extra), **common)
    assert primary_max(long) >= primary_max(short)


# -- (b) the band changes exactly at the statutory boundary --------------------------------------------------------

month_end_lefts = st.builds(
    lambda year, month, day, hour, minute: dt.datetime(
        year, month, min(day, calendar.monthrange(year, month)[1]), hour, minute
    ),
    st.integers(min_value=1997, max_value=2030),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([1, 15, 28, 29, 30, 31]),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
)
MINUTE = dt.timedelta(minutes=1)


def band(left: dt.datetime, returned: dt.datetime) -> str:
    return assess(Facts(status=Status.CONTRACT, left=left, returned=returned, as_of=FAR_FUTURE)).band


@PROFILE
@given(left=lefts | month_end_lefts)
def test_band_changes_exactly_at_boundaries(left: dt.datetime) -> None:
    # Days are real 24-hour periods (also across a clock change); a month is a calendar month on the Moscow clock.
    start = left.replace(tzinfo=MOSCOW) if left.tzinfo is None else left
    two_days = (start.astimezone(dt.UTC) + dt.timedelta(hours=48)).astimezone(MOSCOW)
    ten_days = (start.astimezone(dt.UTC) + dt.timedelta(days=10)).astimezone(MOSCOW)
    one_month = add_calendar_month(start)
    assert band(left, two_days) == "none"
    assert band(left, two_days + MINUTE) == "A"
    assert band(left, ten_days) == "A"
    assert band(left, ten_days + MINUTE) == "B"
    assert band(left, one_month) == "B"
    assert band(left, one_month + MINUTE) == "C"


@pytest.mark.parametrize(
    ("left", "month_later"),
    [
        ("2023-01-31T10:00", "2023-02-28T10:00"),
        ("2024-01-31T10:00", "2024-02-29T10:00"),  # leap year
        ("2023-03-31T23:59", "2023-04-30T23:59"),
        ("2023-08-31T00:00", "2023-09-30T00:00"),
        ("2023-12-31T12:00", "2024-01-31T12:00"),
        ("2023-02-28T08:00", "2023-03-28T08:00"),
    ],
)
def test_month_boundary_at_month_ends(left: str, month_later: str) -> None:
    start, boundary = dt.datetime.fromisoformat(left), dt.datetime.fromisoformat(month_later)
    assert band(start, boundary) == "B"
    assert band(start, boundary + MINUTE) == "C"
    facts = Facts(status=Status.CONTRACT, left=start, returned=boundary + MINUTE, as_of=FAR_FUTURE)
    dates = {k.code: k.at for k in assess(facts).key_dates}
    assert dates["band_over_1_month_from"] == boundary.replace(tzinfo=MOSCOW)


def test_dst_two_days_are_48_real_hours() -> None:
    left = dt.datetime(2014, 10, 25, 12, 0, tzinfo=MOSCOW)
    returned = dt.datetime(2014, 10, 27, 11, 30, tzinfo=MOSCOW)
    assert (returned.astimezone(dt.UTC) - left.astimezone(dt.UTC)) == dt.timedelta(hours=48, minutes=30)
    result = assess(Facts(status=Status.CONSCRIPT, left=left, returned=returned, as_of=FAR_FUTURE))
    assert result.band == "A"


def test_duration_and_band_agree_for_mixed_offsets() -> None:
    """After 2014 Moscow has no clock change: a +03:00 offset and the Moscow zone give the same band and hours."""
    left = dt.datetime(2023, 3, 1, 8, 0)
    fixed = dt.timezone(dt.timedelta(hours=3))
    returned = dt.datetime(2023, 3, 3, 8, 1, tzinfo=fixed)
    result = assess(Facts(status=Status.CONTRACT, left=left, returned=returned, as_of=FAR_FUTURE))
    assert result.band == "A"
    assert result.duration_hours == pytest.approx(48 + 1 / 60)


# -- (c) assess never raises on valid facts; the result serialises in both languages ---------------------------------

offsets = st.none() | st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=3)), MOSCOW])


@st.composite
def any_facts(draw: st.DrawFn) -> Facts:
    left = draw(lefts)
    zone = draw(offsets)
    if zone is not None:
        left = left.replace(tzinfo=zone)
    duration = dt.timedelta(minutes=draw(minutes))
    is_open = draw(st.booleans())
    as_of_choice = draw(st.sampled_from(["end", "later", "random", "none"]))
    returned = None if is_open else left + duration
    if is_open or as_of_choice == "end":
        as_of = left + duration
    elif as_of_choice == "later":
        as_of = left + duration + dt.timedelta(days=draw(st.integers(min_value=0, max_value=20 * 365)))
    elif as_of_choice == "random":
        as_of = draw(st.datetimes(min_value=FIRST, max_value=LAST))
    else:
        as_of = None  # "now"
    try:
        return Facts(
            status=draw(statuses),
            left=left,
            returned=returned,
            as_of=as_of,
            context=draw(contexts),
            indicators=draw(indicator_sets),
            weapon=draw(st.booleans()),
            group=draw(st.booleans()),
            first_offence=draw(st.booleans()),
            grave_circumstances=draw(st.booleans()),
            surrendered=draw(st.booleans()) and returned is not None,
            aggravating=draw(st.booleans()),
            released_80_2=draw(st.booleans()),
            law_on=draw(st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))),
        )
    except FactsError:
        assume(False)
        raise  # unreachable


@PROFILE
@given(facts=any_facts())
def test_assess_never_raises_and_serialises(facts: Facts) -> None:
    result = assess(facts)
    assert result.band in ("none", "A", "B", "C")
    assert sum(q.primary for q in result.qualifications) <= 1
    for lang in ("ru", "en"):
        payload = answer_data(result, lang)
        text = json.dumps(payload, ensure_ascii=False)
        assert json.loads(text)["absence"]["band"] == result.band
        for flag in payload["flags"]:
            assert flag["message"].strip(), flag["code"]
        for step in payload["trace"]:
            assert "{" not in step["message"], f"unformatted placeholder in {step['step']}: {step['message']}"


# -- (d) citations -------------------------------------------------------------------------------------------------


@PROFILE
@given(facts=any_facts())
def test_every_qualification_and_part_step_is_cited(facts: Facts) -> None:
    result = assess(facts)
    for q in result.qualifications:
        assert any(c.article == q.article for c in q.citations), f"art. {q.article} part {q.part} cites no art."
        own = [c for c in q.citations if c.article == q.article and c.part == q.part]
        assert own and own[0].edition == q.edition
        assert any(c.article == "15" for c in q.citations), "gravity must cite art. 15"
        assert any(c.article == "78" for c in q.citations), "limitation must cite art. 78"
        if q.cap_months is not None:
            assert any(c.article == "62" for c in q.citations)
    for step in result.trace:
        if step.code == "part":
            assert step.citations, step.message.render("en")
    for flag in result.flags:
        if flag.severity == "risk":
            assert flag.citations, flag.code
    for key_date in result.key_dates:
        if key_date.code == "limitation_expires":
            assert any(c.article == "78" for c in key_date.citations)


@PROFILE
@given(
    left=lefts | month_end_lefts,
    period=st.sampled_from(["P2D", "P10D", "P1M", "P1M2D", "P3M"]).map(Period.parse),
)
def test_a_period_counted_from_a_given_utc_start_ends_where_it_does_without_it(
    left: dt.datetime, period: Period
) -> None:
    # The engine passes the start in UTC once for all the thresholds; a period with months does not use it.
    start = left.replace(tzinfo=MOSCOW) if left.tzinfo is None else left
    assert period.after(start, start.astimezone(dt.UTC)) == period.after(start)
    assert period.after(start, start.astimezone(dt.UTC)).utcoffset() == period.after(start).utcoffset()
