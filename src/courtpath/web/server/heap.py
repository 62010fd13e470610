"""The loaded app, out of the garbage collector's way.

Python's cyclic garbage collector walks every tracked object it has not frozen each time it makes a full
collection. A worker holds about 100,000 such objects once Django, the views and the law data are loaded, and they
live as long as the worker: a page that makes many objects (the coordinators' dashboard and statistics at thousands
of cases make tens of thousands) sets off a full collection that walks them all again. Freezing what is loaded when
the worker is ready (`gc.freeze`, Python's documented use for servers) leaves only what requests made since to walk.
Measured at 10,000 cases (benchmarks/bench_staff_pages.py, in process): a coordinator's first dashboard view of a
minute took a median 163 ms of CPU with the heap as loaded and 110 ms with it frozen; the statistics 192 and 143 ms.

Frozen objects are still freed when nothing refers to them (reference counting); only a reference cycle among them
would stay until the worker ends, and the loaded app does not drop its modules.
"""

from __future__ import annotations

import gc


def freeze_loaded_app() -> int:
    """Load what a worker's first request would (the URLconf, and with it every view module), then freeze every
    object alive; returns how many are frozen. Call once, when the worker has loaded the app."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, so that they are frozen too
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
