"""How moments are written for people (courtpath.i18n.format_moment): the same text as strftime would give."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.i18n import format_moment
from courtpath.law.facts import MOSCOW


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(
    moment=st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    zone=st.sampled_from([MOSCOW, dt.UTC, dt.timezone(dt.timedelta(hours=5)), dt.timezone(dt.timedelta(hours=-3))]),
    lang=st.sampled_from(["ru", "en"]),
)
def test_moments_are_formatted_as_strftime_would(moment: dt.datetime, zone: dt.tzinfo, lang: str) -> None:
    """format_moment writes the fields itself, for speed: the same text as strftime, whatever the zone. (Years before
    1000 go to strftime itself.)"""
    aware = moment.replace(tzinfo=zone)
    offset = aware.strftime("%z")
    named = offset == "+0300"
    zone_text = ("МСК" if lang == "ru" else "MSK") if named else f"UTC{offset[:3]}:{offset[3:]}"
    pattern = "%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"
    expected = f"{aware.strftime(pattern)} {zone_text}"
    assert format_moment(aware, lang) == expected
