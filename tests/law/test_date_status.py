"""Key dates judged against now and against the end of the absence (issue 14, "passed dates"): a date before now is
never ahead; a duration boundary after the end of an absence that ended is never reached, so never a warning; for an
absence still going on the first boundary ahead is the deadline."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtpath.law.date_status import LIMITATION, DateStatus, date_status, deadline
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, Facts, Status

STATUSES = [Status.CONSCRIPT, Status.CONTRACT, Status.MOBILIZED]


def _facts(status: Status, left: dt.datetime, returned: dt.datetime | None, as_of: dt.datetime) -> Facts:
    return Facts(status=status, left=left, returned=returned, as_of=as_of, surrendered=returned is not None)


def test_the_walks_returned_case() -> None:
    """Away 20.11–30.11.2026, seen on 07.12.2026: the one-month boundary of 20.12 is not reached; 22.11 has passed."""
    facts = _facts(
        Status.CONTRACT,
        dt.datetime(2026, 11, 20, tzinfo=MOSCOW),
        dt.datetime(2026, 11, 30, tzinfo=MOSCOW),
        dt.datetime(2026, 12, 7, 12, tzinfo=MOSCOW),
    )
    assessment = assess(facts)
    statuses = {k.code: date_status(k, facts) for k in assessment.key_dates}
    assert statuses["band_over_1_month_from"] is DateStatus.NOT_REACHED
    assert statuses[LIMITATION] is DateStatus.AHEAD
    assert DateStatus.PASSED in statuses.values()
    assert deadline(assessment.key_dates, facts) is None


def test_the_demo_case_says_not_reached_not_ahead() -> None:
    """`make demo`: 01.06–20.06.2025, assessed now; the one-month boundary (01.07.2025) was «впереди»."""
    facts = _facts(
        Status.MOBILIZED,
        dt.datetime(2025, 6, 1, 8, tzinfo=MOSCOW),
        dt.datetime(2025, 6, 20, 10, tzinfo=MOSCOW),
        dt.datetime(2026, 12, 7, 12, tzinfo=MOSCOW),
    )
    [month] = [k for k in assess(facts).key_dates if k.code == "band_over_1_month_from"]
    assert not month.passed  # the engine's own flag: the absence did not reach it
    assert date_status(month, facts) is DateStatus.NOT_REACHED


def test_an_ongoing_absence_has_the_next_boundary_as_its_deadline() -> None:
    facts = _facts(
        Status.MOBILIZED, dt.datetime(2026, 11, 17, 8, tzinfo=MOSCOW), None, dt.datetime(2026, 12, 7, 12, tzinfo=MOSCOW)
    )
    key_dates = assess(facts).key_dates
    due = deadline(key_dates, facts)
    assert due is not None and due.code == "band_over_1_month_from"
    assert due.at == dt.datetime(2026, 12, 17, 8, tzinfo=MOSCOW)
    passed = [k for k in key_dates if k.at < facts.as_of]
    assert passed and all(date_status(k, facts) is DateStatus.PASSED for k in passed)


moments = st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2026, 11, 1)).map(
    lambda m: m.replace(second=0, microsecond=0, tzinfo=MOSCOW)
)


@st.composite
def cases(draw: st.DrawFn) -> Facts:
    left = draw(moments)
    length = dt.timedelta(hours=draw(st.integers(min_value=1, max_value=24 * 60)))
    ended = draw(st.booleans())
    end = left + length
    as_of = end + dt.timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 400))) if ended else end
    return _facts(draw(st.sampled_from(STATUSES)), left, end if ended else None, as_of)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=cases(), shift=st.integers(min_value=-24 * 60, max_value=24 * 60))
def test_a_date_before_now_is_never_ahead(facts: Facts, shift: int) -> None:
    now = facts.as_of + dt.timedelta(hours=shift) if shift > 0 or facts.returned is None else facts.as_of
    for key_date in assess(facts).key_dates:
        status = date_status(key_date, facts, now)
        if key_date.at <= now:
            assert status is not DateStatus.AHEAD, (key_date.code, key_date.at, now)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=cases())
def test_a_boundary_after_the_end_of_an_ended_absence_is_never_a_warning(facts: Facts) -> None:
    key_dates = assess(facts).key_dates
    for key_date in key_dates:
        if facts.returned is not None and key_date.code != LIMITATION and key_date.at >= facts.returned:
            assert date_status(key_date, facts) is DateStatus.NOT_REACHED
    if facts.returned is not None:
        assert deadline(key_dates, facts) is None
    else:
        due = deadline(key_dates, facts)
        assert due is None or due.at > facts.as_of
