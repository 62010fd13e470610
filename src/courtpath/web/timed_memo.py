"""A per-process memo whose entries last `seconds`: what pages work out from sealed values (deadlines, list rows,
moments of dates entered by hand) is kept as long as the data-key cache keeps a key (vault/keys.py), so a shredded
case's derived values leave the process's memory with its key."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TimedMemo(Generic[V]):
    """Thread-safe; expired entries are swept at most four times per lifetime; past `max_entries` the memo is
    emptied rather than grown (0: no bound)."""

    def __init__(self, seconds: float, max_entries: int = 0) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self.entries: dict[Hashable, tuple[float, V]] = {}
        self.lock = threading.Lock()
        self.swept = time.monotonic()

    def get(self, key: Hashable) -> V | None:
        now = time.monotonic()
        with self.lock:
            if now - self.swept >= self.seconds / 4:
                self.entries = {k: v for k, v in self.entries.items() if now - v[0] < self.seconds}
                self.swept = now
            kept = self.entries.get(key)
        return None if kept is None or now - kept[0] >= self.seconds else kept[1]

    def put(self, key: Hashable, value: V) -> None:
        with self.lock:
            if self.max_entries and len(self.entries) >= self.max_entries:
                self.entries.clear()
            self.entries[key] = (time.monotonic(), value)

    def forget(self) -> None:
        with self.lock:
            self.entries.clear()
