"""RFC 5545 text of the calendar feed (web/agenda/ical.py): any summary survives escaping and folding, every line is
at most 75 octets, folds never split a UTF-8 character, and a real parser (icalendar) reads back what was written."""

from __future__ import annotations

import datetime as dt

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.law.moments import MOSCOW
from courtpath.web.agenda.ical import Event, calendar, escape_text, fold

# Text as a summary may hold it: any printable character, the special ones of RFC 5545 often, and line breaks.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(",;\\:\"'\n ёЁЖщ€𝄞😀")),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=300,
)


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        character = value[index]
        if character == "\\":
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
        else:
            assert character not in ",;", "unescaped special character"
            out.append(character)
            index += 1
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escaping_and_folding_round_trip(text: str) -> None:
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    physical = folded.split("\r\n")[:-1]
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    for part in physical:
        part.encode("utf-8").decode("utf-8")  # no fold inside a character
    (unfolded,) = _unfold(folded)
    assert unfolded == line
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert _unescape(unfolded.removeprefix("SUMMARY:")) == expected


@settings(max_examples=100, deadline=None)
@given(TEXT, st.booleans(), st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 30)))
def test_a_real_parser_reads_back_what_was_written(text: str, all_day: bool, moment: dt.datetime) -> None:
    at = moment.replace(second=0, microsecond=0, tzinfo=MOSCOW)
    event = Event(uid=f"item-1-{text[:10]}@courtpath", summary=text, at=at, all_day=all_day, day=at.date())
    written = calendar([event], dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), "courtpath")
    assert all(len(line.encode()) <= 75 for line in written.split("\r\n"))
    parsed = icalendar.Calendar.from_ical(written.encode("utf-8"))
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(vevent["UID"]) == event.uid.replace("\r\n", "\n").replace("\r", "\n")
    assert vevent.decoded("DTSTAMP") == dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    if all_day:
        assert vevent.decoded("DTSTART") == at.date()
        assert vevent.decoded("DTEND") == at.date() + dt.timedelta(days=1)
    else:
        assert vevent.decoded("DTSTART") == at


def test_the_calendar_is_crlf_and_starts_and_ends_right() -> None:
    text = calendar([], dt.datetime(2026, 12, 7, tzinfo=dt.UTC), "courtpath")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
