"""The statistics page's figures, kept per server process for COURTPATH_STATISTICS_CACHE_SECONDS.

The page aggregates every case: at 5,000 cases it costs seconds of CPU (README, Benchmarks), and under the load test
several coordinators opening it at once took every worker's CPU from the other pages. Its figures change slowly, so a
process computes them at most once per period and per view of them (exact or suppressed, with or without the codes
of unreadable cases, language); concurrent requests for the same view wait for the one computing it instead of
computing it again. What is kept is what the page shows, aggregates and case codes, never a name or a fact.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Figures:
    context: dict[str, Any]
    computed_at: Any  # an aware datetime: shown on the page
    monotonic: float


_figures: dict[Hashable, Figures] = {}
_locks: dict[Hashable, threading.Lock] = {}
_guard = threading.Lock()


def figures(key: Hashable, compute: Callable[[], dict[str, Any]]) -> Figures:
    """The figures of `key`, computed by `compute` unless this process has them from the last period."""
    seconds = settings.COURTPATH_STATISTICS_CACHE_SECONDS
    if seconds <= 0:
        return Figures(compute(), timezone.now(), time.monotonic())
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        kept = _figures.get(key)
        if kept is None or time.monotonic() - kept.monotonic >= seconds:
            kept = Figures(compute(), timezone.now(), time.monotonic())
            _figures[key] = kept
        return kept


def forget() -> None:
    """Drop every kept figure (tests; a process that must show fresh figures at once)."""
    with _guard:
        _figures.clear()
