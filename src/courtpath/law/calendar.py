"""Non-working days for the Code of Criminal Procedure art. 128 part 2, from calendar.yaml (docs/law/calendar.md).

«Если окончание срока приходится на нерабочий день, то последним днем срока считается первый следующий за ним
рабочий день» — except the terms of detention, custody, house arrest, a ban on certain actions and a stay in hospital,
which `term_end(..., moves=False)` leaves where they fall. The Code does not define «нерабочий день»: the program
reads it as the Labour Code calendar of the five-day week (weekends, the holidays of art. 112, the days off the
Government's decrees move; a Saturday a decree makes a working day is a working day) and says so (q_nonworking_day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.procedure_schema import CalendarSpec
from courtpath.law.schema import Confidence

_DAY = dt.timedelta(days=1)
Q_MEANING = "q_nonworking_day"
Q_YEAR_MISSING = "q_calendar_year_missing"
_RANK: dict[Confidence, int] = {"official": 0, "secondary": 1, "unconfirmed": 2}


@dataclass(frozen=True, slots=True)
class TermEnd:
    day: dt.date  # the last day of the term after art. 128 part 2
    moved_from: dt.date | None  # the nominal last day when it fell on a non-working day, else None
    confidence: Confidence  # the weakest of the years the answer looked at (a year not in the data: unconfirmed)
    questions: tuple[str, ...]  # open-question ids the answer rests on


class Calendar:
    """The non-working days of the data, by year; a year not in the data has weekends and the statute's holidays."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self._holidays = frozenset(h.md for h in spec.statute.holidays)
        self._days_off: dict[int, frozenset[dt.date]] = {}
        self._working: dict[int, frozenset[dt.date]] = {}
        for year, data in spec.years.items():
            self._days_off[year] = frozenset([t.to for t in data.transfers] + [a.day_off for a in data.auto_shifts])
            self._working[year] = frozenset(w.date for w in data.working_weekends)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.spec.years))

    def is_holiday(self, day: dt.date) -> bool:
        return f"{day:%m-%d}" in self._holidays

    def is_working_weekend(self, day: dt.date) -> bool:
        return day in self._working.get(day.year, frozenset())

    def is_non_working(self, day: dt.date) -> bool:
        if self.is_holiday(day) or day in self._days_off.get(day.year, frozenset()):
            return True
        return day.weekday() >= 5 and not self.is_working_weekend(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day on or after `day`."""
        while self.is_non_working(day):
            day += _DAY
        return day

    def term_end(self, nominal_last_day: dt.date, *, moves: bool = True) -> TermEnd:
        if not moves:
            return TermEnd(nominal_last_day, None, "official", ())
        day = self.next_working_day(nominal_last_day)
        looked_at = [nominal_last_day + n * _DAY for n in range((day - nominal_last_day).days + 1)]
        questions: list[str] = []
        confidence: Confidence = "official"
        for year in sorted({d.year for d in looked_at}):
            data = self.spec.years.get(year)
            if data is None:
                confidence = "unconfirmed"
                questions.append(Q_YEAR_MISSING)
                continue
            if _RANK[data.confidence] > _RANK[confidence]:
                confidence = data.confidence
            questions += data.open_questions
        moved = day != nominal_last_day
        if moved or any(self.is_working_weekend(d) for d in looked_at):
            questions.insert(0, Q_MEANING)
        return TermEnd(day, nominal_last_day if moved else None, confidence, tuple(dict.fromkeys(questions)))

    def computed_auto_shifts(self, year: int) -> list[tuple[dt.date, dt.date]]:
        """Art. 112 part 2 worked out for a year of the data: (holiday, day off) for each holiday outside January
        that falls on a weekend, unless a decree moved that weekend day itself. The data stores the result
        (`auto_shifts`); tests compare the two."""
        data = self.spec.years[year]
        moved_by_decree = {t.from_ for t in data.transfers}
        excluded = set(self.spec.statute.auto_shift_excludes)
        taken = {t.to for t in data.transfers}
        shifts: list[tuple[dt.date, dt.date]] = []
        for holiday in sorted(self.spec.statute.holidays, key=lambda h: h.md):
            day = dt.date.fromisoformat(f"{year}-{holiday.md}")
            if holiday.md in excluded or day.weekday() < 5 or day in moved_by_decree:
                continue
            off = day + _DAY
            while (
                self.is_holiday(off)
                or off in taken
                or (off.weekday() >= 5 and off not in self._working.get(year, frozenset()))
            ):
                off += _DAY
            taken.add(off)
            shifts.append((day, off))
        return shifts


@lru_cache(maxsize=8)
def calendar_of(book: LawBook) -> Calendar:
    if book.calendar is None:
        raise ValueError("this lawbook was loaded without calendar.yaml")
    return Calendar(book.calendar)


def _default() -> Calendar:
    return calendar_of(default_lawbook())


def is_non_working(day: dt.date) -> bool:
    return _default().is_non_working(day)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day on or after `day`."""
    return _default().next_working_day(day)


def term_end(nominal_last_day: dt.date, *, moves: bool = True) -> TermEnd:
    """The last day of a term whose nominal last day is given, after art. 128 part 2. moves=False for the terms the
    part excepts (detention, custody, house arrest, a ban on certain actions, a stay in hospital)."""
    return _default().term_end(nominal_last_day, moves=moves)


def calendar_years() -> tuple[int, ...]:
    return _default().years
