"""Where a key date stands for the reader: passed, still ahead, or never reached because the absence ended first.

The engine's `KeyDate.passed` answers "is the end of the absence beyond this date" (what the qualification needs).
A reader asks something else: "has this date come, and does it still matter?". For an absence that ended, a duration
boundary after the return is never reached and warns of nothing; any date before now has passed, never "ahead".
The public result (courtpath.interview.explain) and the command line (courtpath.cli.report) both read it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from courtpath.law.facts import Facts
from courtpath.law.items import KeyDate

# The one key date that follows the end of the absence rather than its length.
LIMITATION = "limitation_expires"


class DateStatus(StrEnum):
    PASSED = "passed"  # it has come (before now, and within the absence for a duration boundary)
    AHEAD = "ahead"  # it has not come yet, and it can still come
    NOT_REACHED = "not_reached"  # a duration boundary after the end of an absence that ended: it never comes


def date_status(key_date: KeyDate, facts: Facts, now: dt.datetime | None = None) -> DateStatus:
    """The key date judged against `now` (the moment of assessment by default) and against the end of the
    absence."""
    now = now or facts.as_of
    assert now is not None  # Facts fills as_of in
    if key_date.code != LIMITATION and facts.returned is not None and key_date.at >= facts.returned:
        return DateStatus.NOT_REACHED
    if key_date.at <= now:
        return DateStatus.PASSED
    return DateStatus.AHEAD


def deadline(key_dates: Iterable[KeyDate], facts: Facts, now: dt.datetime | None = None) -> KeyDate | None:
    """The duration boundary that matters now: the first one still ahead of an ongoing absence (None once the
    absence has ended, or when every boundary has passed)."""
    if facts.returned is not None:
        return None
    ahead = [k for k in key_dates if k.code != LIMITATION and date_status(k, facts, now) is DateStatus.AHEAD]
    return min(ahead, key=lambda k: k.at, default=None)
