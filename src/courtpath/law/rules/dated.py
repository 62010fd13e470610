"""Picking the version of a dated General Part rule that governs an act (arts. 9 and 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def valid_from(self) -> dt.date: ...


V = TypeVar("V", bound=Dated)


def in_force_on(versions: Sequence[V], day: dt.date) -> V | None:
    """The version in force on `day` (versions sorted by date), or None before the first."""
    found = None
    for version in versions:
        if version.valid_from <= day:
            found = version
    return found
