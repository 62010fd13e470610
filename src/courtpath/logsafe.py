"""One line per log record: control characters in logged text are escaped, so a request cannot write a line of its own.

A `%0A` in a URL reaches the code as a real line feed; logged as it is, the rest of the path reads as a new record
("2026-12-07 deleted case C-ABC"). `escape` writes every character that could end a line, move the cursor, hide or
reorder text as a visible escape sequence, and the backslash itself as `\\\\`, so every backslash in the output
starts an escape and `unescape` gives back the exact text. `OneLineFormatter` applies it to the whole formatted
record (a traceback included) for every handler of the Python logging configuration (`web/settings.py` LOGGING);
gunicorn's access log escapes each value it puts in its line (`web/serverlog.py`).
"""

from __future__ import annotations

import logging
import re

# C0 controls, DEL, C1 controls (U+0085 among them); the Arabic letter mark, zero-width and bidirectional marks,
# U+2028 and U+2029 (line and paragraph separators), embeddings and overrides, invisible operators and isolates;
# the byte order mark; lone surrogates (undecodable bytes), which an encoder would refuse.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
_PATTERNS = {
    (quote, ascii_only): re.compile(
        "[\\\\" + _UNSAFE + ('"' if quote else "") + ("\x80-\U0010ffff" if ascii_only else "") + "]"
    )
    for quote in (False, True)
    for ascii_only in (False, True)
}
_SHORT = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_SEQUENCE = re.compile(r"\\(?:([\\nrt])|x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    if character in _SHORT:
        return _SHORT[character]
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str, *, quote: bool = False, ascii_only: bool = False) -> str:
    """`text` on one line with no control, invisible or reordering character: such characters become `\\n`, `\\r`,
    `\\t`, `\\xNN`, `\\uNNNN`, and a backslash becomes `\\\\`. `quote` escapes `"` too (a value inside quotes);
    `ascii_only` escapes every character beyond ASCII as well."""
    return _PATTERNS[quote, ascii_only].sub(_escaped, text)


def _unescaped(match: re.Match[str]) -> str:
    short, byte, unit, wide = match.groups()
    if short is not None:
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[short]
    return chr(int(byte or unit or wide, 16))


def unescape(text: str) -> str:
    """The text `escape` was given (to read a log line back)."""
    return _ESCAPE_SEQUENCE.sub(_unescaped, text)


# Paths whose part is a secret: the calendar feed's token (web/agenda/feeds.py) is its only credential.
_SECRET_PATH = re.compile(r"(/calendar/)[^/\s\"?]+(\.ics)")


def redact_secret_paths(text: str) -> str:
    """`text` with the secret part of such paths replaced (`/calendar/[token].ics`)."""
    return _SECRET_PATH.sub(r"\1[token]\2", text)


class OneLineFormatter(logging.Formatter):
    """A logging formatter whose every record is one line: the formatted record, traceback included, escaped, with
    secret paths redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return escape(redact_secret_paths(super().format(record)))
