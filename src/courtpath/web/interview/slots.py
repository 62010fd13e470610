"""A limit on how many public PDFs all server processes make at once.

gunicorn runs several worker processes, so a semaphore in one process would not do. Each slot is a lock file in the
data folder; a request holds one with fcntl.flock while WeasyPrint works, and the kernel releases it when the file
is closed, also when the process dies. A request that finds every slot taken retries for a short while, then gives
up (the view answers 503 with Retry-After). The files are empty: they hold no data, only locks.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RETRY_SECONDS = 0.05


class NoFreeSlot(Exception):
    """Every slot stayed taken for the whole wait."""


def _try_slot(path: Path) -> int | None:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


@contextmanager
def slot(folder: Path, slots: int, wait_seconds: float) -> Iterator[None]:
    """Hold one of `slots` lock files in `folder` for the body of the `with`; NoFreeSlot after `wait_seconds`."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths = [folder / f"slot-{number}" for number in range(slots)]
    deadline = time.monotonic() + wait_seconds
    while True:
        descriptor = next((d for d in map(_try_slot, paths) if d is not None), None)
        if descriptor is not None:
            break
        if time.monotonic() >= deadline:
            raise NoFreeSlot
        time.sleep(RETRY_SECONDS)
    try:
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
