"""Parsing of dates and times typed by a person (ISO 8601 or the Russian DD.MM.YYYY form)."""

from __future__ import annotations

import datetime as dt
import re

_RUSSIAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$")


def parse_moment(text: str, option: str) -> dt.datetime:
    """'2025-03-01', '2025-03-01T08:00', '2025-03-01 08:00+03:00' or '01.03.2025 08:00'; no zone = Moscow time."""
    value = text.strip()
    match = _RUSSIAN.match(value)
    try:
        if match:
            day, month, year, hour, minute = match.groups()
            return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{option}: {text!r} is not a date or date-time (use 2025-03-01, 2025-03-01T08:00 or 01.03.2025 08:00)"
        ) from None


def parse_day(text: str, option: str) -> dt.date:
    return parse_moment(text, option).date()
