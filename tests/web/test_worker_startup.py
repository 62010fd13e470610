"""What a server worker loads at start (issue 17, item 14: about 700 MB per worker). Every gunicorn worker imports
the URLconf and with it every view; the heavy libraries that only some pages need are imported by those pages:
polars and the analytics (statistics, what-if), WeasyPrint (PDFs), python-docx and the Russian dictionaries (drafts).
benchmarks/bench_memory.py measures the memory itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src"
WORKER_START = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # what a worker's first request does: every view module imported
from courtpath.drafting import morph
loaded = [m for m in ("polars", "pyarrow", "weasyprint", "docx", "courtpath.analytics.aggregate") if m in sys.modules]
print(json.dumps({"loaded": loaded, "dictionaries": morph.analyzer.cache_info().currsize}))
"""


def _in_a_worker(script: str, folder: Path) -> dict[str, object]:
    """What `script` prints last (JSON), run in a fresh Python as a worker starts: production settings, SQLite."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(SOURCE),
        "COURTPATH_DATA_DIR": str(folder),
        "COURTPATH_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_worker_starts_without_the_heavy_libraries(tmp_path: Path) -> None:
    assert _in_a_worker(WORKER_START, tmp_path) == {"loaded": [], "dictionaries": 0}


FREEZE = """
import gc, json, sys
import django
django.setup()
from courtpath.web.server import heap
frozen = heap.freeze_loaded_app()
views = "courtpath.web.cases.views" in sys.modules
print(json.dumps({"frozen": frozen, "count": gc.get_freeze_count(), "views": views}))
"""


def test_a_worker_freezes_the_loaded_app_with_its_views(tmp_path: Path) -> None:
    """courtpath.web.server.heap: the loaded app, views included, is out of the garbage collector's walks."""
    found = _in_a_worker(FREEZE, tmp_path)
    assert found["views"] and found["frozen"] == found["count"] > 20_000  # type: ignore[operator]


def test_the_server_worker_freezes_the_app_once_it_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from gunicorn.workers.gthread import ThreadWorker

    from courtpath.web.server import worker

    calls: list[str] = []
    monkeypatch.setattr(ThreadWorker, "load_wsgi", lambda self: calls.append("loaded"))
    monkeypatch.setattr(worker.heap, "freeze_loaded_app", lambda: calls.append("frozen") or 0)
    worker.SlowClientSafeWorker.load_wsgi(object.__new__(worker.SlowClientSafeWorker))
    assert calls == ["loaded", "frozen"]
