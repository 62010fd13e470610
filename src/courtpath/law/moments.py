"""Dates and moments as people write them, and the limits every door applies to them.

One grammar, shared by the command line, the API, the case form, the interview and the batch mode:

* the Russian forms `01.03.2025` and `01.03.2025 08:00` (day.month.year; one-digit day, month and hour allowed);
* ISO 8601: `2025-03-01`, `2025-03-01T08:00` or `2025-03-01 08:00`, seconds and fractions optional, and an offset
  (`Z`, `+03:00`) after a time.

Nothing else is read, on purpose: `01/03/2025` means the 1st of March to a Russian reader and the 3rd of January to
an American one, and `20250301` is easily a typo. A moment without an offset is Moscow wall-clock time.

One wider door, `parse_typed_day`, is for a person typing a day into a field whose hint says "day.month.year" (the
public interview): there `1.3.2025`, `01,03,2025` (a phone's decimal key gives a comma) and the eight digits
`01032025` (what a phone's number pad gives) are read day first too, and become the same day as `01.03.2025`.
Slashes and hyphens stay refused there as everywhere: `05/11/2026` is 11 May to an American reader of the English
page, and silently storing the other day is the very error the text field is there to prevent. It never widens the
grammar of the other doors (the API's schema, the command line's options, the batch mode).

The limits: years from EARLIEST_YEAR to LATEST_YEAR (so that no date arithmetic can overflow, and no stored value
can later break a page), and for what has happened (the start and the end of an absence, a verdict) no later than
FUTURE_TOLERANCE after now. The tolerance covers a person east of Moscow who types their own local time (up to
nine hours ahead of Moscow) and clocks that disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from courtpath.law.problems import FactsError

MOSCOW = ZoneInfo("Europe/Moscow")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099
FUTURE_TOLERANCE = dt.timedelta(hours=24)
MAX_TEXT = 40  # longer text is no date: refused without being parsed or echoed whole

_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_RUSSIAN = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:[ T]([0-9]{1,2}):([0-9]{2}))?")
# The same grammar, for the API's JSON Schema, with the ranges of each field written out (a value these patterns
# refuse is refused by the parser too; one they allow may still be refused, as 30.02 is). ASCII digits only: [0-9],
# not \\d, which takes any Unicode digit in Python but not in a JSON Schema pattern.
_YEAR = "(?:19|20)[0-9]{2}"
_MONTH, _DAY = "(?:0[1-9]|1[0-2])", "(?:0[1-9]|[12][0-9]|3[01])"
_RU_MONTH, _RU_DAY = "(?:0?[1-9]|1[0-2])", "(?:0?[1-9]|[12][0-9]|3[01])"
_MINUTES = "[0-5][0-9]"
_ISO_TIME = (
    rf"[T ](?:[01][0-9]|2[0-3]):{_MINUTES}(?::{_MINUTES}(?:\.[0-9]{{1,6}})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):{_MINUTES})?"
)
_RU_TIME = rf"[ T](?:[01]?[0-9]|2[0-3]):{_MINUTES}"
MOMENT_PATTERN = rf"^(?:{_YEAR}-{_MONTH}-{_DAY}(?:{_ISO_TIME})?|{_RU_DAY}\.{_RU_MONTH}\.{_YEAR}(?:{_RU_TIME})?)$"
DAY_PATTERN = rf"^(?:{_YEAR}-{_MONTH}-{_DAY}|{_RU_DAY}\.{_RU_MONTH}\.{_YEAR})$"
_DAY_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")
# Day first, dots or commas (a phone's decimal key gives a comma) used twice, or eight digits DDMMYYYY.
_TYPED_DAY = re.compile(r"([0-9]{1,2})([.,])([0-9]{1,2})\2([0-9]{4})|([0-9]{2})([0-9]{2})([0-9]{4})")


def shown(text: str) -> str:
    """Text typed by someone, safe to repeat in a message: at most MAX_TEXT characters, undecodable bytes replaced."""
    safe = text.encode("utf-8", "replace").decode("utf-8")
    return safe if len(safe) <= MAX_TEXT else safe[: MAX_TEXT - 1] + "…"


def parse_moment(text: str) -> dt.datetime:
    """The moment `text` names: naive (Moscow wall-clock time) or aware if it carries an offset. FactsError
    (`moment_format`, `moment_value`, `year_range`) with no field: the door knows which field it reads."""
    value = text  # not stripped: a door that takes typed text strips it (a form field does)
    match = _ISO.fullmatch(value) if len(value) <= MAX_TEXT else None
    try:
        if match:
            year, month, day, hour, minute, second, fraction, offset = match.groups()
            zone = None
            if offset is not None:
                zone = dt.UTC if offset == "Z" else _offset(offset)
            moment = dt.datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                int((fraction or "0").ljust(6, "0")),
                tzinfo=zone,
            )
        else:
            match = _RUSSIAN.fullmatch(value) if len(value) <= MAX_TEXT else None
            if not match:
                raise FactsError.of("moment_format", text=shown(value))
            day, month, year, hour, minute = match.groups()
            moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError as error:
        if isinstance(error, FactsError):
            raise
        raise FactsError.of("moment_value", text=shown(value)) from None
    check_year(moment)
    return moment


def parse_day(text: str) -> dt.date:
    """The day `text` names (a date without a time); FactsError `day_format`, `moment_value` or `year_range`."""
    value = text
    if len(value) > MAX_TEXT or not _DAY_FORM.fullmatch(value):
        raise FactsError.of("day_format", text=shown(value))
    return parse_moment(value).date()


def parse_typed_day(text: str) -> dt.date:
    """The day a person typed, day first (see the module's docstring): 01.03.2025, 1.3.2025, 01,03,2025,
    01032025, or ISO 2025-03-01. FactsError `day_format`, `moment_value` or `year_range`
    naming the text as typed."""
    value = text
    match = _TYPED_DAY.fullmatch(value) if len(value) <= MAX_TEXT else None
    if match is None:
        return parse_day(value)
    day, _, month, year = match.group(1, 2, 3, 4) if match.group(1) else match.group(5, 5, 6, 7)
    try:
        parsed = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise FactsError.of("moment_value", text=shown(value)) from None
    check_year(parsed)
    return parsed


def _offset(text: str) -> dt.timezone:
    sign = 1 if text[0] == "+" else -1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def as_moscow(moment: dt.datetime) -> dt.datetime:
    """Moscow time: a moment without a UTC offset is read as Moscow time, others are converted to it.

    All moments share one tzinfo, so comparisons and differences run on the Moscow wall clock, as in the batch mode.
    """
    return moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment.astimezone(MOSCOW)


def check_year(value: dt.date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise FactsError.of("year_range", earliest=EARLIEST_YEAR, latest=LATEST_YEAR)


class Latest:
    """The latest moment a fact that has happened may have: now, plus FUTURE_TOLERANCE. Made once for all the
    moments of one door's input; a moment without an offset is compared on the Moscow wall clock, without a zone."""

    __slots__ = ("aware", "wall_clock")

    def __init__(self, now: dt.datetime) -> None:
        self.aware = now + FUTURE_TOLERANCE
        self.wall_clock = as_moscow(self.aware).replace(tzinfo=None)

    def check(self, moment: dt.datetime) -> None:
        """FactsError `in_future` if `moment` is later."""
        if moment > self.wall_clock if moment.tzinfo is None else moment > self.aware:
            raise FactsError.of("in_future", at=as_moscow(moment))


def check_past(moment: dt.datetime, now: dt.datetime) -> None:
    """What has happened cannot be later than now (with FUTURE_TOLERANCE); FactsError `in_future`."""
    Latest(now).check(moment)


def check_past_day(day: dt.date, now: dt.datetime) -> None:
    if day > (as_moscow(now) + FUTURE_TOLERANCE).date():
        raise FactsError.of("in_future", at=day)


def now_in_moscow() -> dt.datetime:
    return dt.datetime.now(tz=MOSCOW)
