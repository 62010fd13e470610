"""Escaping for the logs (courtpath.logsafe): every record one line, nothing hidden or reordered, nothing lost."""

from __future__ import annotations

import io
import logging
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from courtpath.logsafe import OneLineFormatter, escape, unescape

# Every code point, lone surrogates (undecodable bytes) included.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()))
LINE_BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _dangerous(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Zl", "Zp", "Cs") or character in BIDI


@given(ANY_TEXT, st.booleans(), st.booleans())
def test_escaped_text_is_one_line_without_controls_and_reads_back(text: str, quote: bool, ascii_only: bool) -> None:
    escaped = escape(text, quote=quote, ascii_only=ascii_only)
    assert len(escaped.splitlines()) <= 1
    assert not any(_dangerous(character) for character in escaped)
    assert unescape(escaped) == text
    if quote:
        assert '"' not in escaped
    if ascii_only:
        assert escaped.isascii()


@given(ANY_TEXT, ANY_TEXT)
def test_different_texts_are_logged_differently(first: str, second: str) -> None:
    if first != second:
        assert escape(first) != escape(second)


def test_the_forged_line_of_the_red_team_stays_on_its_line() -> None:
    assert escape("/help/\n2026-12-07 deleted case C-ABC") == "/help/\\n2026-12-07 deleted case C-ABC"
    assert escape("a\r\nb\u2028c\x85d\u202ee\x00") == "a\\r\\nb\\u2028c\\x85d\\u202ee\\x00"
    assert escape("\\n") == "\\\\n"  # a backslash and an n in the text are not a line feed in the log
    assert escape('"Ж"', quote=True, ascii_only=True) == "\\x22\\u0416\\x22"
    assert escape("обычный текст") == "обычный текст"  # readable text is left alone


def test_the_formatter_writes_one_line_per_record_even_with_a_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("courtpath.test.logsafe")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("path %s", "/help/\n2026-12-07 deleted case C-ABC")
        try:
            raise ValueError("bad value\n2026-12-07 deleted case C-ABC")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == "WARNING path /help/\\n2026-12-07 deleted case C-ABC"
    assert lines[1].startswith("ERROR failed\\nTraceback") and "ValueError: bad value\\n2026-12-07" in lines[1]
