"""Calendar periods of the statute ("двое суток", "десять суток", "один месяц") and their arithmetic.

A day ("сутки") is 24 real hours from the moment the absence began, also across a clock change; a month is a
calendar month on the Moscow clock, clamped to the last day of a shorter month (31 January + 1 month = 28/29
February). Both conventions are an open question (q_duration_computation, docs/law/open-questions.md); the engine
states them in its trace.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DAY = dt.timedelta(days=1)
_PERIOD = re.compile(r"^P(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """An ISO 8601 period with months and days only (P2D, P10D, P1M)."""

    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text.strip())
        if not match or not (match["months"] or match["days"]):
            raise ValueError(f"not an ISO 8601 period of months/days: {text!r} (expected e.g. P2D, P10D, P1M)")
        return cls(months=int(match["months"] or 0), days=int(match["days"] or 0))

    @property
    def iso(self) -> str:
        return "P" + (f"{self.months}M" if self.months else "") + (f"{self.days}D" if self.days else "")

    @property
    def approx_days(self) -> float:
        """For ordering only: a month counts as its shortest length, 28 days."""
        return self.months * 28 + self.days

    def after(self, start: dt.datetime, start_utc: dt.datetime | None = None) -> dt.datetime:
        """The moment this period after `start` ends: months on the calendar, days as 24 real hours each.
        `start_utc`, if given, is `start` in UTC (computed once by a caller that counts several periods)."""
        shifted = add_months(start, self.months)
        if not self.days:
            return shifted
        if shifted.tzinfo is None:
            return shifted + self.days * _DAY
        real = start_utc if start_utc is not None and not self.months else shifted.astimezone(dt.UTC)
        return (real + self.days * _DAY).astimezone(shifted.tzinfo)

    def __str__(self) -> str:
        return self.iso


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    if not months:
        return moment
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def add_years(moment: dt.datetime, years: int) -> dt.datetime:
    return add_months(moment, 12 * years)
