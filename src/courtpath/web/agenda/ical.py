"""iCalendar text (RFC 5545) for the calendar feed, written here: a few properties, no dependency.

Content lines end with CRLF and are folded so that no line is longer than 75 octets (a fold is CRLF and one space,
never inside a UTF-8 sequence, §3.1); in TEXT values a backslash, `;`, `,` and a line break are escaped (§3.3.11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

LINE_OCTETS = 75
PRODID = "-//courtpath//agenda//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    at: dt.datetime  # aware
    all_day: bool
    day: dt.date  # the day of `at` in Moscow time (used when all_day)


def escape_text(text: str) -> str:
    """A TEXT value: `\\`, `;`, `,` and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded at 75 octets: CRLF and a space before each continuation (the space is one of the
    continuation's 75 octets)."""
    parts: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(character)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, stamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(event.uid)}", f"DTSTAMP:{_utc(stamp)}"]
    if event.all_day:
        following = event.day + dt.timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]
    else:
        lines.append(f"DTSTART:{_utc(event.at)}")
    lines += [f"SUMMARY:{escape_text(event.summary)}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(events: Iterable[Event], stamp: dt.datetime, name: str) -> str:
    """A whole VCALENDAR: the events, each with the DTSTAMP `stamp` (when the feed was generated)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
