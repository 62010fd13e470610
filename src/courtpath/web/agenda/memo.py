"""Moments of dates entered by hand that this process opened lately, so that the dashboard does not open every sealed
moment on every view (agenda.selectors.manual_due). An entry is keyed by the item and the authentication tag of its
sealed moment (new whenever the moment is sealed again), and kept as long as the data-key cache keeps a key
(vault/keys.py): a shredded case's dates leave the process's memory with its key, as the deadlines' memo does."""

from __future__ import annotations

import datetime as dt

from courtpath.web.timed_memo import TimedMemo
from courtpath.web.vault import keys

MAX_ENTRIES = 200_000


moments: TimedMemo[tuple[dt.datetime, bool]] = TimedMemo(keys.CACHE_SECONDS, MAX_ENTRIES)


def forget() -> None:
    """Drop every kept moment (tests, benchmarks)."""
    moments.forget()
