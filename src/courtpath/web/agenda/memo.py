"""Moments of dates entered by hand that this process opened lately, so that the dashboard does not open every sealed
moment on every view (agenda.selectors.manual_due). An entry is keyed by the item and the authentication tag of its
sealed moment (new whenever the moment is sealed again), and kept as long as the data-key cache keeps a key
(vault/keys.py): a shredded case's dates leave the process's memory with its key, as the deadlines' memo does."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Hashable

from courtpath.web.vault import keys

MAX_ENTRIES = 200_000


class Moments:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.entries: dict[Hashable, tuple[float, tuple[dt.datetime, bool]]] = {}
        self.lock = threading.Lock()
        self.swept = time.monotonic()

    def get(self, key: Hashable) -> tuple[dt.datetime, bool] | None:
        now = time.monotonic()
        with self.lock:
            if now - self.swept >= self.seconds / 4:
                self.entries = {k: v for k, v in self.entries.items() if now - v[0] < self.seconds}
                self.swept = now
            kept = self.entries.get(key)
        return None if kept is None or now - kept[0] >= self.seconds else kept[1]

    def put(self, key: Hashable, moment: tuple[dt.datetime, bool]) -> None:
        with self.lock:
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (time.monotonic(), moment)

    def forget(self) -> None:
        with self.lock:
            self.entries.clear()


moments = Moments(keys.CACHE_SECONDS)


def forget() -> None:
    """Drop every kept moment (tests, benchmarks)."""
    moments.forget()
